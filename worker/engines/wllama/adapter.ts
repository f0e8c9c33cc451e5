// GGUF models on llama.cpp (wllama): files kept in our model store, loaded as Blobs.
import type { EngineAdapter } from '../engine.js';
import { deleteModelFile, isModelFileStored, listModelFiles } from '../../store/model-store.js';

export const wllamaAdapter: EngineAdapter = {
  async load(record, onProgress, options) {
    const { WllamaModel } = await import('./backend.js');
    return WllamaModel.load(record, onProgress, options?.stallLimits);
  },
  isStored: (record) => isModelFileStored(record),
  listStored: () => listModelFiles('wllama'),
  deleteStored: (id) => deleteModelFile(id),
};
