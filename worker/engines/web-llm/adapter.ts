// MLC builds (Llama 3.1 8B) on WebGPU through web-llm. Our model store downloads their files
// (resumable, checked, measured) into web-llm's own IndexedDB cache; web-llm then loads them
// from there. web-llm's code is imported only once a model is downloaded and about to load.
import type { EngineAdapter } from '../engine.js';
import { downloadMlcModel } from './mlc-download.js';
import { deleteMlcModel, listMlcModels, mlcStoredState } from './mlc-stored.js';

export const webLlmAdapter: EngineAdapter = {
  async load(record, onProgress, options) {
    await downloadMlcModel(record, onProgress, options?.stallLimits);
    const { WebLlmModel } = await import('./backend.js');
    return WebLlmModel.load(record, onProgress);
  },
  listStored: (records) => listMlcModels(records),
  isStored: async (record) => (await mlcStoredState(record))?.complete ?? false,
  deleteStored: (id, record) => deleteMlcModel(id, record),
};
