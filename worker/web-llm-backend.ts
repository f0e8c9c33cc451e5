// Llama 3.1 8B (and any MLC build) on WebGPU through web-llm's MLCEngine, hosted directly in
// our worker: web-llm's own worker handler would put a second RPC layer on the token path.
import { MLCEngine, type AppConfig, type ChatCompletionChunk as MlcChunk } from '@mlc-ai/web-llm';

// For the model cache: importing web-llm from this one module keeps it in one chunk.
export { deleteModelAllInfoInCache, hasModelInCache } from '@mlc-ai/web-llm';
import type { ChatCompletionRequest, FinishReason, ModelRecord } from '../src/types.js';
import type { Backend, ChunkSink, ProgressSink } from './backend.js';
import { markWebLlmUsed } from './model-cache.js';
import { mapWebLlmError } from './web-llm-errors.js';
import { mapWebLlmProgress } from './web-llm-progress.js';

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

export class WebLlmBackend implements Backend {
  private constructor(
    readonly record: ModelRecord,
    private readonly engine: MLCEngine,
  ) {}

  static async load(record: ModelRecord, onProgress: ProgressSink): Promise<WebLlmBackend> {
    const sizeBytes = record.sizeBytes ?? 0;
    const engine = new MLCEngine({
      appConfig: appConfigFor(record),
      initProgressCallback: (report) => onProgress(mapWebLlmProgress(report, sizeBytes)),
      logLevel: 'WARN',
    });
    try {
      await engine.reload(record.id);
    } catch (error) {
      await engine.unload().catch(() => {});
      throw mapWebLlmError(error, record);
    }
    await markWebLlmUsed(record.id);
    return new WebLlmBackend(record, engine);
  }

  async chat(request: ChatCompletionRequest, onChunk: ChunkSink): Promise<void> {
    try {
      const stream = await this.engine.chat.completions.create({
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: request.temperature,
        top_p: request.top_p,
        max_tokens: request.max_tokens,
        seed: request.seed,
      });
      for await (const chunk of stream as AsyncIterable<MlcChunk>) {
        const choice = chunk.choices[0];
        const usage = chunk.usage;
        if (usage && !request.stream_options?.include_usage) continue;
        onChunk({
          id: chunk.id,
          object: 'chat.completion.chunk',
          created: chunk.created,
          model: this.record.id,
          choices: choice
            ? [{ index: 0, delta: choice.delta.content ? { content: choice.delta.content } : {}, finish_reason: (choice.finish_reason as FinishReason | null) ?? null }]
            : [],
          ...(usage
            ? {
                usage: {
                  prompt_tokens: usage.prompt_tokens,
                  completion_tokens: usage.completion_tokens,
                  total_tokens: usage.total_tokens,
                  extra: {
                    time_to_first_token_s: usage.extra?.time_to_first_token_s ?? 0,
                    decode_tokens_per_s: usage.extra?.decode_tokens_per_s ?? 0,
                    e2e_latency_s: usage.extra?.e2e_latency_s ?? 0,
                  },
                },
              }
            : {}),
        });
      }
    } catch (error) {
      throw mapWebLlmError(error, this.record, 'chat');
    }
  }

  interrupt(): void {
    void this.engine.interruptGenerate();
  }

  async unload(): Promise<void> {
    await this.engine.unload();
  }
}
