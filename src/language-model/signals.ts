// Calls that an AbortSignal ends: they reject at once with its reason, as the spec says, whatever
// the work under them is still doing (the engine is told to stop separately).
import { abortReason } from './errors.js';

export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
