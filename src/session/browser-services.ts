// The real engine, device and storage behind every <llama-chat>; unit tests inject fakes.
// The engine client, choosing a model (the device probe) and the kept history load as chunks
// of their own, when first used: the page's first script holds the element.
import { loadPart } from '../shared/code-part.js';
import { LazyEngineClient } from '../client/lazy-engine-client.js';
import type { SessionServices } from './session-types.js';

const history = () => loadPart(() => import('../history/history-store.js'));

export const browserServices: SessionServices = {
  createClient: (models) => new LazyEngineClient(models),
  pickModel: async (id, models) => (await loadPart(() => import('../models/model-choice.js'))).pickModel(id, models),
  history: {
    load: async (key) => (await history()).loadHistory(key),
    save: async (key, messages) => (await history()).saveHistory(key, messages),
    delete: async (key) => (await history()).deleteHistory(key),
  },
};
