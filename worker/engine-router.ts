import { LlamaChatError } from '../src/errors.js';
import type { ModelRecord } from '../src/types.js';
import type { Backend, ProgressSink } from './backend.js';
import { WllamaBackend } from './wllama-backend.js';

/** Picks the backend that runs a model record. */
export async function loadBackend(record: ModelRecord, onProgress: ProgressSink): Promise<Backend> {
  switch (record.engine) {
    case 'wllama':
      return WllamaBackend.load(record, onProgress);
    case 'web-llm':
      throw new LlamaChatError(
        'webgpu-unavailable',
        `${record.id} needs the web-llm (WebGPU) backend, which this build does not include yet. Choose a GGUF model (engine: 'wllama').`,
      );
    default:
      throw new LlamaChatError('bad-input', `Model ${(record as ModelRecord).id} names an unknown engine.`);
  }
}
