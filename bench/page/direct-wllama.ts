// wllama driven directly on the benchmark page, loaded with the same settings as
// worker/engines/wllama/backend.ts uses on a GPU without shader-f16: the baseline for our layers.
import type { ModelRecord } from 'llama-chat';
import { LoggerWithoutDebug, LogLevel, Wllama } from '@wllama/wllama/esm/index.js';

/** Load settings a figure varies (batch sizes, flash attention); absent: wllama's defaults. */
export interface LoadSettings {
  n_batch?: number;
  n_ubatch?: number;
  flash_attn?: boolean;
}

/** What llama.cpp says while it loads, each line as given (figure 10 times its steps by them). */
export type LoadLog = (...parts: unknown[]) => void;

/**
 * new Wllama() → loadModel() of `file`; resolves with it ready to answer. `warmup`: llama.cpp's
 * warm-up (its default: on; the library's: off); `log`: every line of llama.cpp's log.
 */
export async function loadDirectWllama(
  file: Blob,
  record: ModelRecord,
  wasmUrl: string,
  { warmup, log, settings }: { warmup?: boolean; log?: LoadLog; settings?: LoadSettings } = {},
): Promise<Wllama> {
  const logger = log ? { debug: log, log, warn: log, error: log } : LoggerWithoutDebug;
  const wllama = new Wllama({ default: wasmUrl }, { logger, suppressNativeLog: !log });
  wllama.setCompat(null);
  await wllama.loadModel([file], {
    n_ctx: record.contextLength,
    n_threads: 1,
    n_gpu_layers: 0,
    n_parallel: 1,
    ...(warmup === undefined ? {} : { warmup }),
    ...(log ? { log_level: LogLevel.DEBUG } : {}),
    ...settings,
  });
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
