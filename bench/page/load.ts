// Figures 6–7: a large model through createEngine(), from the network or from IndexedDB. The
// engine is kept until unloadEngine(), so the driver can read memory with the model in place.
import { createEngine, type Engine, type ModelRecord } from 'llama-chat';
import type { LoadRun } from './protocol.js';

let engine: Engine | undefined;

export async function loadWithEngine(record: ModelRecord): Promise<LoadRun> {
  let downloaded = false;
  let storeEndedAt: number | undefined;
  const startedAt = performance.now();
  engine = await createEngine({
    model: record.id,
    models: [record],
    onProgress: (progress) => {
      if (progress.phase === 'download') downloaded = true;
      if (progress.phase === 'load') storeEndedAt ??= performance.now();
    },
  });
  const readyAt = performance.now();
  return { downloaded, storeMs: (storeEndedAt ?? readyAt) - startedAt, readyMs: readyAt - startedAt };
}

export async function unloadEngine(): Promise<void> {
  await engine?.unload();
  engine = undefined;
}
