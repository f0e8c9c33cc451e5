import { LlamaChatError } from '../src/errors.js';
import type { ModelRecord } from '../src/types.js';
import type { Backend, ProgressSink } from './backend.js';

/**
 * Picks the backend that runs a model record. Each is imported on first use, so a page that
 * only runs GGUF models never loads web-llm's code, and the reverse.
 */
export async function loadBackend(record: ModelRecord, onProgress: ProgressSink): Promise<Backend> {
  switch (record.engine) {
    case 'wllama': {
      const { WllamaBackend } = await import('./wllama-backend.js');
      return WllamaBackend.load(record, onProgress);
    }
    case 'web-llm': {
      const { WebLlmBackend } = await import('./web-llm-backend.js');
      return WebLlmBackend.load(record, onProgress);
    }
    default:
      throw new LlamaChatError('bad-input', `Model ${record.id} names engine "${String(record.engine)}"; use "wllama" or "web-llm".`);
  }
}
