// MLC builds (Llama 3.1 8B) on WebGPU through web-llm, which keeps their files in its own
// IndexedDB cache. web-llm's code is imported only when a web-llm model is loaded or listed.
import type { CachedModel } from '../../../protocol/types.js';
import type { EngineAdapter } from '../engine.js';
import { forgetUsed, lastUsedAt } from './last-used.js';

export const webLlmAdapter: EngineAdapter = {
  async load(record, onProgress) {
    const { WebLlmModel } = await import('./backend.js');
    return WebLlmModel.load(record, onProgress);
  },

  async listStored(records) {
    const mine = records.filter((r) => r.engine === 'web-llm'); // this engine's own records
    if (mine.length === 0) return [];
    const { hasModelInCache } = await import('@mlc-ai/web-llm');
    const { appConfigFor } = await import('./app-config.js');
    const stored: CachedModel[] = [];
    for (const record of mine) {
      if (!(await hasModelInCache(record.id, appConfigFor(record)).catch(() => false))) continue;
      // web-llm keeps no byte count of its own: the record's published size stands in.
      stored.push({
        id: record.id,
        engine: 'web-llm',
        bytes: record.sizeBytes ?? 0,
        complete: true,
        lastUsed: await lastUsedAt(record.id),
      });
    }
    return stored;
  },

  async deleteStored(id, record) {
    if (record?.engine !== 'web-llm') return;
    const { deleteModelAllInfoInCache } = await import('@mlc-ai/web-llm');
    const { appConfigFor } = await import('./app-config.js');
    await deleteModelAllInfoInCache(id, appConfigFor(record));
    await forgetUsed(id);
  },
};
