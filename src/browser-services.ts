// The real engine, device and storage behind every <llama-chat>; unit tests inject fakes.
import { EngineClient } from './engine-client.js';
import { deleteHistory, loadHistory, saveHistory } from './history-store.js';
import { pickModel } from './model-choice.js';
import type { SessionServices } from './session-types.js';

export const browserServices: SessionServices = {
  createClient: (models) => new EngineClient(models),
  pickModel,
  history: { load: loadHistory, save: saveHistory, delete: deleteHistory },
};
