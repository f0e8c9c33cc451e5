// The soak's engine mode builds the library with this first in its worker (download-soak.ts):
// the same tracking as the store mode's worker, asked and answered on a BroadcastChannel, so the
// library's own worker (comlink, the sharing layer, the engine's load) says where it waits.
import { instrument, pendingOps } from './pending-ops.js';

export const SOAK_CHANNEL = 'llama-chat-soak';

instrument();
const channel = new BroadcastChannel(SOAK_CHANNEL);
channel.onmessage = (event: MessageEvent<unknown>) => {
  if (event.data !== 'where') return;
  void (async () => {
    const locks = await Promise.race([
      navigator.locks.query(),
      new Promise((resolve) => setTimeout(() => resolve('no answer in 2 s'), 2_000)),
    ]);
    channel.postMessage({ type: 'where', ...pendingOps(), locks });
  })();
};
