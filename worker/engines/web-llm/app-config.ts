import type { AppConfig } from '@mlc-ai/web-llm';
import type { ModelRecord } from '../../../protocol/types.js';
import { webLlmIntegrity } from './mlc-files.js';

/**
 * web-llm's app config for one record: `cacheBackend: 'indexeddb'` is where our downloader puts
 * the files (webllm-cache.ts); `integrity` has web-llm check config, tokenizer and library again.
 */
export function appConfigFor(record: ModelRecord): AppConfig {
  return {
    cacheBackend: 'indexeddb',
    model_list: [
      {
        model: record.url,
        model_id: record.id,
        model_lib: record.modelLib ?? '',
        vram_required_MB: record.vramMB,
        required_features: record.requiredFeatures,
        overrides: record.contextLength ? { context_window_size: record.contextLength } : undefined,
        integrity: webLlmIntegrity(record),
      },
    ],
  };
}
