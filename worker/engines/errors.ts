// Turns what an engine throws (typed errors or plain sentences, from wllama, web-llm or the
// browser's WebGPU) into the error codes the page sees, each with a way forward.
import { LlamaChatError } from '../../protocol/errors.js';

/** What the engine was doing when it failed. */
export type EngineStage = 'load' | 'chat';

interface EngineFailure {
  name: string;
  message: string;
  /** wllama's WllamaError carries a `type` ("kv_cache_full", "load_error", …). */
  type: string;
}

function describe(error: unknown): EngineFailure {
  if (typeof error === 'object' && error !== null) {
    const { name, message, type } = error as { name?: unknown; message?: unknown; type?: unknown };
    return { name: String(name ?? ''), message: String(message ?? ''), type: String(type ?? '') };
  }
  return { name: '', message: String(error), type: '' };
}

const DEVICE_LOST =
  /device[\s_-]*(?:was\s+|is\s+)?lost|DXGI_ERROR_DEVICE_(?:REMOVED|HUNG|RESET)|VK_ERROR_DEVICE_LOST|GPU (?:process|device) (?:crashed|was reset)/i;
const OUT_OF_MEMORY =
  /out of memory|failed to allocate|could not allocate|cannot allocate|unable to allocate|insufficient memory|allocation failed|OOM\b/i;
/** What llama.cpp says of a file whose header or size is wrong: the only load failures that mean damage. */
const DAMAGED_FILE =
  /invalid magic|not within the file bounds|unexpectedly reached end of file|failed to read (?:key|tensor|magic|header)/i;
const CONTEXT_FULL = /context (?:window|length|size)|exceeds? (?:the )?context|n_ctx|kv[ _]cache[ _]full|too many tokens/i;

/** wllama's report of a wasm abort: the reason is only in what llama.cpp logged before it. */
const ABORTED = /^\(ABORT\)|wllama has crashed/;

/**
 * The LlamaChatError for an engine failure at `stage` of model `modelId`. `recentLog` holds
 * the engine's last warning and error lines, consulted when the error itself is a bare abort.
 */
export function toEngineError(error: unknown, stage: EngineStage, modelId: string, recentLog: readonly string[] = []): LlamaChatError {
  if (error instanceof LlamaChatError) return error;
  const described = describe(error);
  const { name, type } = described;
  const reason = ABORTED.test(described.message) ? recentLog.at(-1) : undefined;
  const message = reason ? `${described.message.trim()} after: ${reason}` : described.message;
  // A load's log is its own (a fresh engine per load): its lines say why, even when the error does not.
  const logged = ABORTED.test(described.message) || stage === 'load' ? recentLog.join('\n') : '';
  if (name === 'DeviceLostError' || DEVICE_LOST.test(message) || DEVICE_LOST.test(logged)) {
    return new LlamaChatError(
      'device-lost',
      `The GPU stopped responding (its device was lost${message ? `: ${message}` : ''}). Reload the model to continue; if it happens again, reload the page.`,
    );
  }
  if (OUT_OF_MEMORY.test(message) || OUT_OF_MEMORY.test(logged)) {
    const why = OUT_OF_MEMORY.test(message) ? message : (logged.split('\n').find((line) => OUT_OF_MEMORY.test(line)) ?? message);
    return new LlamaChatError(
      'insufficient-memory',
      stage === 'load'
        ? `There is not enough memory to load ${modelId} (${why}). Its file was kept. Close other tabs, or choose a smaller model or a shorter context (a GGUF model on the CPU has at most 4 GiB, whatever the device).`
        : `There is not enough memory to answer (${message}). Close other tabs or choose a smaller model.`,
    );
  }
  if (type === 'kv_cache_full' || name === 'ContextWindowSizeExceededError' || CONTEXT_FULL.test(message)) {
    return new LlamaChatError(
      'context-overflow',
      `The conversation is longer than the model's context window. Clear it or send a shorter message. (${message})`,
    );
  }
  // A worker llama.cpp could not start (a page policy, a browser limit) says nothing about the file.
  if (/Failed to construct 'Worker'/i.test(message)) {
    return new LlamaChatError(
      'worker-crashed',
      `The model's engine could not start its worker (${message}). On a page with Trusted Types or a CSP, see the README's CSP section.`,
    );
  }
  if (stage === 'load' && (DAMAGED_FILE.test(message) || DAMAGED_FILE.test(logged))) {
    return new LlamaChatError('integrity', `${modelId} could not be loaded: the file is not a usable GGUF model (${message}).`);
  }
  if (stage === 'load') {
    // The file passed its checks: it is kept, and trying again will not download it.
    return new LlamaChatError(
      'bad-input',
      `The engine could not load ${modelId} (${message}). Its file passed its checks and was kept. If the model's architecture is newer than this engine supports, choose another model.`,
    );
  }
  return new LlamaChatError('bad-input', `The model could not answer: ${message}`);
}
