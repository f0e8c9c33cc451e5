// wllama driven directly on the benchmark page, loaded with the same settings as
// worker/engines/wllama/backend.ts uses on a GPU without shader-f16: the baseline for our layers.
import type { ModelRecord } from 'llama-chat';
import { LoggerWithoutDebug, Wllama } from '@wllama/wllama/esm/index.js';

/** new Wllama() → loadModel() of `file`; resolves with it ready to answer. */
export async function loadDirectWllama(file: Blob, record: ModelRecord, wasmUrl: string): Promise<Wllama> {
  const wllama = new Wllama({ default: wasmUrl }, { logger: LoggerWithoutDebug, suppressNativeLog: true });
  wllama.setCompat(null);
  await wllama.loadModel([file], { n_ctx: record.contextLength, n_threads: 1, n_gpu_layers: 0, n_parallel: 1 });
  return wllama;
}

/** Milliseconds from new Wllama() until it can answer, then ended. */
export async function timeDirectLoad(file: Blob, record: ModelRecord, wasmUrl: string): Promise<number> {
  const startedAt = performance.now();
  const wllama = await loadDirectWllama(file, record, wasmUrl);
  const ms = performance.now() - startedAt;
  await wllama.exit();
  return ms;
}
