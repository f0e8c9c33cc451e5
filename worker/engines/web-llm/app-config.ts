import type { AppConfig } from '@mlc-ai/web-llm';
import type { ModelRecord } from '../../../protocol/types.js';

/** web-llm's app config for one record; `cacheBackend: 'indexeddb'` keeps weights in IndexedDB. */
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
      },
    ],
  };
}
