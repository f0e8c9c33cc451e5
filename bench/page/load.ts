// Figures 6–7: a large model through createEngine(), from the network or from IndexedDB.
import { createEngine, type ModelRecord } from 'llama-chat';
import type { LoadRun } from './protocol.js';

export async function loadWithEngine(record: ModelRecord): Promise<LoadRun> {
  let downloaded = false;
  let storeEndedAt: number | undefined;
  const startedAt = performance.now();
  const engine = await createEngine({
    model: record.id,
    models: [record],
    onProgress: (progress) => {
      if (progress.phase === 'download') downloaded = true;
      if (progress.phase === 'load') storeEndedAt ??= performance.now();
    },
  });
  const readyAt = performance.now();
  await engine.unload();
  return { downloaded, storeMs: (storeEndedAt ?? readyAt) - startedAt, readyMs: readyAt - startedAt };
}
