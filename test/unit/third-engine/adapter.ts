// A third engine, whole: what a new engine folder under worker/engines/ holds. It echoes the
// last message back, word by word, and stores nothing.
import type { EngineAdapter, LoadedModel } from '../../../worker/engines/engine.js';
import { chunkBuilder } from '../../../worker/engines/chunks.js';

export const echoAdapter: EngineAdapter = {
  async load(record, onProgress) {
    onProgress({ phase: 'load', loaded: 1, total: 1, text: `Loaded ${record.id}` });
    let stopped = false;
    const model: LoadedModel = {
      record,
      async chat(request, onChunk) {
        stopped = false;
        const chunks = chunkBuilder(record.id);
        const words = request.messages.at(-1)?.content.split(/(?= )/) ?? [];
        for (const word of words) {
          if (stopped) break;
          onChunk(chunks.delta(word));
        }
        onChunk(chunks.finish(stopped ? 'abort' : 'stop'));
      },
      interrupt: () => void (stopped = true),
      unload: async () => {},
    };
    return model;
  },
  listStored: async () => [],
  deleteStored: async () => {},
};
