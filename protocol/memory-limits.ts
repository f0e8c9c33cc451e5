// What the CPU path (llama.cpp in wasm, both of wllama's builds) can hold, known before a download.
// Its wasm memory addresses 4 GiB at most (65,536 pages, the default build's memory64 import and
// the compat build alike), and the weights, the KV cache and llama.cpp's buffers must all fit in it.
import { LlamaChatError } from './errors.js';
import { DEFAULT_CONTEXT_LENGTH, type ModelRecord } from './types.js';
import { WASM_MEMORY_BYTES } from './wasm-memory.js';
import { COMPAT_FILE_BYTES } from './cpu-build.js';

export { WASM_MEMORY_BYTES };

/**
 * The runtime's own share of it (code, stacks, llama.cpp's read buffers). Measured at the 8B's
 * shapes with a 2048-token window: 26 layers (3.79 GB) load and 27 (3.91 GB) run out, which puts
 * it between 22 and 154 MB; this is near the middle.
 */
const RUNTIME_BYTES = 96 * 1024 ** 2;
/** Tokens llama.cpp computes at once (its default n_ubatch): its compute buffers scale with it. */
const MICRO_BATCH = 512;

/** What a GGUF model's header says about the memory it needs beyond its weights. */
export interface GgufShape {
  layers: number;
  embedding: number;
  /** Attention heads: without flash attention each scores every cached token. */
  heads: number;
  vocab: number;
  /** KV cache values per token per layer: KV heads × (key size + value size). */
  kvWidth: number;
  /** The context the model was trained for (llama.cpp caps the window there). */
  contextLength: number | undefined;
}

export interface CpuMemoryNeed {
  weights: number;
  kvCache: number;
  /** llama.cpp's compute buffers and the runtime's share. */
  buffers: number;
  total: number;
  /** The window the estimate is for, in tokens. */
  context: number;
}

/**
 * The wasm memory a GGUF file of `fileBytes` needs with `record`'s context window. Without its
 * `shape` (only the size is known) it counts the weights and the runtime: a lower bound.
 */
export function cpuMemoryNeed(record: ModelRecord, fileBytes: number, shape?: GgufShape): CpuMemoryNeed {
  const asked = record.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  const context = shape?.contextLength ? Math.min(asked, shape.contextLength) : asked;
  // An f16 cache: two bytes per value.
  const kvCache = shape ? 2 * context * shape.layers * shape.kvWidth : 0;
  // llama.cpp's largest graph buffer: a micro-batch's attention scores, f32 (measured: 126 MB for the
  // 8B's 32 heads at 2048 tokens, against 134 MB here), and one token's logits.
  const compute = shape ? 4 * (MICRO_BATCH * Math.max(context * shape.heads, 8 * shape.embedding) + shape.vocab) : 0;
  const buffers = RUNTIME_BYTES + compute;
  return { weights: fileBytes, kvCache, buffers, total: fileBytes + kvCache + buffers, context };
}

/**
 * `insufficient-memory` when `need` cannot fit the CPU path, naming the limit and the ways forward.
 * `stored`: the file is here already (it is kept); otherwise nothing of it was downloaded.
 */
export function cpuMemoryProblem(record: ModelRecord, need: CpuMemoryNeed, stored = false): LlamaChatError | undefined {
  if (need.total <= WASM_MEMORY_BYTES) return undefined;
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
  const parts = [`${gb(need.weights)} of weights`];
  if (need.kvCache) parts.push(`${gb(need.kvCache)} for a ${need.context}-token context`);
  parts.push(`${gb(need.buffers)} of working memory`);
  return new LlamaChatError(
    'insufficient-memory',
    `${record.label ?? record.id} is too large for this browser's CPU engine: it needs about ${gb(need.total)} (${parts.join(', ')}), and llama.cpp in WebAssembly can address at most ${gb(WASM_MEMORY_BYTES)} (4 GiB), on any device. ${stored ? 'The stored file was kept.' : 'Nothing was downloaded.'} Choose a smaller quantization of the model (Q3_K or Q2_K, or a smaller model)${need.kvCache ? ', a shorter context (contextLength)' : ''}, or its WebGPU build (web-llm) on a device with WebGPU.`,
  );
}

/**
 * `insufficient-memory` when a GGUF file of `fileBytes` is past what wllama's compat build can read
 * (Safari, iOS: 2 GiB), before the download; `stored`: the file is here already (it is kept).
 */
export function compatFileProblem(record: ModelRecord, fileBytes: number, stored = false): LlamaChatError | undefined {
  if (fileBytes <= COMPAT_FILE_BYTES) return undefined;
  return new LlamaChatError(
    'insufficient-memory',
    `${record.label ?? record.id} (${(fileBytes / 1e9).toFixed(2)} GB) is too large for this browser: Safari and every browser on iOS run llama.cpp in a 32-bit build that reads model files of at most ${(COMPAT_FILE_BYTES / 1e9).toFixed(2)} GB (2 GiB). ${stored ? 'The stored file was kept.' : 'Nothing was downloaded.'} Choose a model under 2 GB (Llama 3.2 1B, or a smaller quantization), or open the page in Chrome, Edge or Firefox on a computer.`,
  );
}
