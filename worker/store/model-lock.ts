// One download of a model at a time for the whole site: a Web Lock per model. A tab that waits
// for another's download hears that download's progress (the holder says it on a channel of the
// lock's name), so its own load is seen to move on, and a holder that stops moving is seen too.
import type { LoadProgress } from '../../protocol/types.js';
import type { Sink } from '../../protocol/worker-api.js';

/** Runs `task` holding model `id`'s lock; `task` reports through the sink it is given, which other tabs hear. */
export async function withModelLock<T>(
  id: string,
  onProgress: Sink<LoadProgress>,
  task: (onProgress: Sink<LoadProgress>) => Promise<T>,
): Promise<T> {
  // Web Locks are missing in some embedded browsers; the store stays correct without them.
  if (!('locks' in navigator)) return task(onProgress);
  const name = `llama-chat:model:${id}`;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
  let holding = false;
  if (channel) {
    channel.onmessage = (event: MessageEvent<LoadProgress>) => {
      if (!holding) onProgress({ ...event.data, text: `${event.data.text} (in another tab)` });
    };
  }
  try {
    return await navigator.locks.request(name, () => {
      holding = true;
      return task((progress) => {
        onProgress(progress);
        channel?.postMessage(progress);
      });
    });
  } finally {
    channel?.close();
  }
}
