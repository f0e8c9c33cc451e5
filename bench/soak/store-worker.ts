// The download soak's worker (bench/download-soak.ts): the model store's own download of one
// file, as the engine worker runs it (openModelFile: the model's Web Lock, the chunked download,
// the OPFS file, the manifests in IndexedDB), without an engine behind it, so a file larger than
// the CPU engine can load is downloaded all the same. The calls it waits on are tracked
// (pending-ops.ts) so a stalled download says where it waits.
import { instrument, pendingOps } from './pending-ops.js';
import type { SoakRequest, WorkerMessage } from './messages.js';

instrument();
// The store is imported after the wrapping, so every call it makes goes through it.
const store = import('@soak-store');

const post = (message: WorkerMessage) => postMessage(message);

addEventListener('message', (event: MessageEvent<SoakRequest>) => {
  const request = event.data;
  if (request.type === 'where') {
    void (async () => {
      const locks = await Promise.race([
        navigator.locks.query(),
        new Promise((resolve) => setTimeout(() => resolve('no answer in 2 s'), 2_000)),
      ]);
      post({ type: 'where', ...pendingOps(), locks });
    })();
    return;
  }
  void (async () => {
    const { openModelFile } = await store;
    const startedAt = performance.now();
    try {
      const file = await openModelFile(request.record, (progress) => post({ type: 'progress', progress }), {
        ...(request.stallTimes ? { stallTimes: request.stallTimes } : {}),
      });
      post({ type: 'done', size: file.size, ms: performance.now() - startedAt });
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      post({ type: 'failed', code: code ?? 'unknown', message: message ?? String(error) });
    }
  })();
});
