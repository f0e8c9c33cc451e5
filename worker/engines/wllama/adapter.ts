// GGUF models on llama.cpp (wllama): files kept in our model store, loaded as Blobs.
import { adapterStoreRecord } from '../../../protocol/lora-adapters.js';
import type { EngineAdapter } from '../engine.js';
import { deleteModelFile, isModelFileStored, listModelFiles } from '../../store/model-store.js';

export const wllamaAdapter: EngineAdapter = {
  async load(record, onProgress, options) {
    const { WllamaModel } = await import('./backend.js');
    return WllamaModel.load(record, onProgress, options?.stallLimits);
  },
  // The model and every LoRA adapter it names: what "no download" means to the consent step.
  isStored: async (record) =>
    (await isModelFileStored(record)) &&
    (await Promise.all((record.adapters ?? []).map((a) => isModelFileStored(adapterStoreRecord(a))))).every(Boolean),
  listStored: () => listModelFiles('wllama'),
  deleteStored: (id) => deleteModelFile(id),
};
