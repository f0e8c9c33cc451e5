// A Web Lock held for a worker's whole life. The browser releases it when the worker ends in
// any way (a crash, close(), terminate(), a wasm thread gone), so whoever waits for it learns
// of the death at once: no `error` event is needed, and a worker that vanished silently is seen.

/** Holds the lock `name` until this worker (or page) ends; resolves once it is held. */
export function holdLifeLock(name: string): Promise<void> {
  return new Promise<void>((held) => {
    const locks = globalThis.navigator.locks;
    if (!locks) return held();
    void locks.request(name, () => {
      held();
      return new Promise<never>(() => {});
    });
  });
}

const POLL_MS = 20;

export interface WatchOptions {
  /** The holder said it took the lock: queue for it at once. */
  knownHeld?: boolean;
  /**
   * A holder not seen holding the lock within this time is taken for gone (it ended before it
   * could take it). Absent: keep waiting (never resolves for a lock never taken).
   */
  goneIfNotHeldWithinMs?: number;
}

/**
 * Resolves once the holder of `name` is gone: first waits to see it held (unless known), then
 * queues for it (granted only when the holder ends). Never resolves where Web Locks are
 * missing; `signal` stops watching (then it never resolves either).
 */
export async function whenReleased(name: string, signal: AbortSignal, options: WatchOptions = {}): Promise<void> {
  const locks = globalThis.navigator.locks;
  if (!locks) return never();
  const deadline = Date.now() + (options.goneIfNotHeldWithinMs ?? Number.POSITIVE_INFINITY);
  while (!options.knownHeld && !(await locks.query()).held?.some((lock) => lock.name === name)) {
    if (signal.aborted) return never();
    if (Date.now() > deadline) return; // it never took the lock: it is gone
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
