// A Web Lock held for a worker's whole life. The browser releases it when the worker ends in
// any way (a crash, close(), terminate(), a wasm thread gone), so whoever waits for it learns
// of the death at once: no `error` event is needed, and a worker that vanished silently is seen.

/** Holds the lock `name` until this worker (or page) ends. */
export function holdLifeLock(name: string): void {
  void globalThis.navigator.locks?.request(name, () => new Promise<never>(() => {}));
}

const POLL_MS = 50;
/** How long the holder may take to take the lock at all (its script is still loading). */
const TAKE_WITHIN_MS = 30_000;

/**
 * Resolves once the holder of `name` is gone: first waits to see it held, then queues for it
 * (granted only when the holder ends). Never resolves where Web Locks are missing; `signal`
 * stops watching (then it never resolves either).
 */
export async function whenReleased(name: string, signal: AbortSignal): Promise<void> {
  const locks = globalThis.navigator.locks;
  if (!locks) return never();
  const deadline = Date.now() + TAKE_WITHIN_MS;
  while (!(await locks.query()).held?.some((lock) => lock.name === name)) {
    if (signal.aborted || Date.now() > deadline) return never();
    await new Promise((wait) => setTimeout(wait, POLL_MS));
  }
  try {
    await locks.request(name, { signal }, () => undefined);
  } catch {
    return never(); // stopped watching
  }
}

function never(): Promise<never> {
  return new Promise<never>(() => {});
}
