// web-llm fails mostly with plain Errors carrying a sentence, sometimes with named ones. What
// only web-llm says is read here; device loss, memory and context go through toEngineError.
import { LlamaChatError } from '../../../protocol/errors.js';
import type { ModelRecord } from '../../../protocol/types.js';
import { toEngineError, type EngineStage } from '../errors.js';

const NETWORK = /network response was not ok|failed to fetch|networkerror|load failed|err_/i;

/** `library`: a load that failed before web-llm's first report, while it started the model library. */
export function mapWebLlmError(error: unknown, record: ModelRecord, stage: EngineStage | 'library' = 'load'): LlamaChatError {
  if (error instanceof LlamaChatError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const reason = ` (${message.split('\n')[0]})`;

  switch (name) {
    case 'WebGPUNotAvailableError':
    case 'WebGPUNotFoundError':
      return new LlamaChatError(
        'webgpu-unavailable',
        `${record.id} needs WebGPU, which this browser could not provide. Try a current Chrome, Edge or Safari, or a GGUF model on the CPU.`,
      );
    case 'ShaderF16SupportError':
    case 'FeatureSupportError':
      return new LlamaChatError('webgpu-unavailable', `This GPU lacks a feature ${record.id} needs${reason}. Choose the q4f32_1 build.`);
    case 'QuotaExceededError':
      return new LlamaChatError(
        'quota-exceeded',
        `The browser ran out of storage while saving ${record.id}. Free some space (delete cached models or site data) and try again.`,
      );
    case 'IntegrityError':
      // web-llm checks the record's hashes again on every load, on the copies in its cache.
      return new LlamaChatError(
        'integrity',
        `A stored file of ${record.id} is not the one that was checked when it was downloaded${reason}. Delete the model from this device and download it again.`,
      );
    case 'AbortError':
      return new LlamaChatError('aborted', 'Loading was cancelled.');
  }
  if (NETWORK.test(message)) {
    return new LlamaChatError(
      'network',
      `Could not download ${record.id} from ${record.url}${reason}. Check the connection and try again; finished parts are kept.`,
    );
  }
  if (/quota/i.test(message)) {
    return new LlamaChatError('quota-exceeded', `The browser ran out of storage while saving ${record.id}. Free some space and try again.`);
  }
  const general = toEngineError(error, stage === 'chat' ? 'chat' : 'load', record.id);
  // What toEngineError could not explain at a load (its bad-input or integrity): web-llm's own readings below.
  if (stage === 'chat' || (general.code !== 'integrity' && general.code !== 'bad-input')) return general;
  // A load failure nothing above explains: most often a model library that is not one.
  const wasm = error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError || /wasm|webassembly/i.test(message);
  if (wasm || stage === 'library') {
    return new LlamaChatError(
      'integrity',
      `web-llm could not start the model library for ${record.id} (${record.modelLib ?? 'model_lib'})${reason}: it must be the library compiled for this model and web-llm 0.2.86. Check the record's modelLib URL.`,
    );
  }
  return new LlamaChatError('integrity', `${record.id} could not be loaded${reason}.`);
}
