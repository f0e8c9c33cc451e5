// Llama 3.1 8B (and any MLC build) on WebGPU through web-llm's MLCEngine, hosted directly in
// our worker: web-llm's own worker handler would put a second RPC layer on the token path.
import { MLCEngine, type ChatCompletionChunk as MlcChunk } from '@mlc-ai/web-llm';
import type { CompletionUsage, FinishReason, ModelRecord } from '../../../protocol/types.js';
import { chunkBuilder, type ChunkBuilder } from '../chunks.js';
import type { ChunkSink, EngineRequest, LoadedModel, ProgressSink } from '../engine.js';
import { appConfigFor } from './app-config.js';
import { mapWebLlmError } from './errors.js';
import { markUsed } from './last-used.js';
import { mapWebLlmProgress } from './progress.js';
import { toWebLlmRequest } from './request.js';

export class WebLlmModel implements LoadedModel {
  private constructor(
    readonly record: ModelRecord,
    private readonly engine: MLCEngine,
  ) {}

  static async load(record: ModelRecord, onProgress: ProgressSink): Promise<WebLlmModel> {
    // web-llm reports nothing until the library runs and the weights load: a failure before
    // its first report happened while starting the library (or the GPU, which fails by name).
    let started = false;
    const engine = new MLCEngine({
      appConfig: appConfigFor(record),
      initProgressCallback: (report) => {
        started = true;
        onProgress(mapWebLlmProgress(report));
      },
      logLevel: 'WARN',
    });
    try {
      await engine.reload(record.id);
    } catch (error) {
      await engine.unload().catch(() => {});
      throw mapWebLlmError(error, record, started ? 'load' : 'library');
    }
    await markUsed(record.id);
    return new WebLlmModel(record, engine);
  }

  async chat(request: EngineRequest, onChunk: ChunkSink): Promise<void> {
    try {
      const stream = await this.engine.chat.completions.create(toWebLlmRequest(request));
      let chunks: ChunkBuilder | undefined; // one answer: its id and time come with the first chunk
      for await (const chunk of stream as AsyncIterable<MlcChunk>) {
        chunks ??= chunkBuilder(this.record.id, chunk.id, chunk.created);
        const choice = chunk.choices[0];
        if (chunk.usage) {
          if (request.stream_options?.include_usage) onChunk(chunks.finish(null, toUsage(chunk.usage)));
          continue;
        }
        if (choice?.delta.content) onChunk(chunks.delta(choice.delta.content));
        if (choice?.finish_reason) onChunk(chunks.finish(choice.finish_reason as FinishReason));
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

function toUsage(usage: NonNullable<MlcChunk['usage']>): CompletionUsage {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
    extra: {
      time_to_first_token_s: usage.extra?.time_to_first_token_s ?? 0,
      decode_tokens_per_s: usage.extra?.decode_tokens_per_s ?? 0,
      e2e_latency_s: usage.extra?.e2e_latency_s ?? 0,
    },
  };
}
