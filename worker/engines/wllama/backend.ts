// GGUF models on llama.cpp compiled to wasm (wllama). Weights come from our model store as
// Blobs; wllama runs on the CPU unless the GPU has shader-f16, which its WebGPU shaders need.
import { LogLevel, Wllama, WllamaAbortError } from '@wllama/wllama/esm/index.js';
import type { ChatCompletionChunk as WllamaChunk } from '@wllama/wllama/esm/index.js';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
// The same llama.cpp built without JSPI and Memory64 (Asyncify, wasm32), for Safari: shipped in
// dist/ and fetched from there only where the default build cannot run.
import compatWasmUrl from '@wllama/wllama-compat/wasm/wllama.wasm?url';
import compatWorkerUrl from '@wllama/wllama-compat/wasm/wllama.js?url';
import { probeDevice } from '../../../protocol/device-probe.js';
import { LlamaChatError } from '../../../protocol/errors.js';
import {
  DEFAULT_CONTEXT_LENGTH,
  type ChatMessage,
  type FinishReason,
  type ModelRecord,
  type StallLimits,
} from '../../../protocol/types.js';
import { modelFileLocation } from '../../store/model-files.js';
import { discardIfDamaged, openModelFile } from '../../store/model-store.js';
import { chunkBuilder } from '../chunks.js';
import type { ChunkSink, EngineRequest, LoadedModel, ProgressSink } from '../engine.js';
import { toEngineError } from '../errors.js';
import { checkContentSecurityPolicy } from './csp-preflight.js';
import { emptyWllamaCache } from './no-cache.js';
import { threadCount } from './threads.js';
import { memoryCheck } from './memory-check.js';
import { fileReadsSource, WLLAMA_MODEL_FILE, type ModelFileLocation } from './file-reads.js';
import { openLoraAdapters } from './lora-adapters.js';
import { loraFileName, mountLoraFiles } from './lora-files.js';
import { adapterScales } from '../../../protocol/lora-adapters.js';
import { startNextLlamaCppWith, watchLlamaCpp } from './llama-cpp-liveness.js';
import { EngineLog } from './log.js';
import { toWllamaGrammar } from './request.js';
import { UsageMeter } from './usage-meter.js';

export class WllamaModel implements LoadedModel {
  private current: AbortController | undefined;
  /** The adapter scales llama.cpp's cached prompt was read with: another set reads the prompt anew. */
  private cachedScales: number[];

  private constructor(
    readonly record: ModelRecord,
    private readonly wllama: Wllama,
    private readonly log: EngineLog,
    private readonly liveness: ReturnType<typeof watchLlamaCpp>,
  ) {
    this.cachedScales = adapterScales(record, undefined).scales;
  }

  static async load(record: ModelRecord, onProgress: ProgressSink, stallLimits?: StallLimits): Promise<WllamaModel> {
    const device = await probeDevice();
    // What cannot fit is refused before its download (the record's size, then the file's first bytes).
    const memory = memoryCheck(record, device);
    const file = await openModelFile(record, onProgress, {
      beforeRequest: () => memory.beforeRequest(),
      inspect: (prefix, size) => memory.inspectDownload(prefix, size),
      ...(stallLimits ? { stallTimes: stallLimits } : {}),
    });
    // Only what the file itself shows (a header that does not parse, tensors past its end) makes it damaged.
    const header = await memory.checkStored(file).catch((error: unknown) => discardIfDamaged(record.id, error));
    // Its LoRA adapters: stored like the model, each checked against it before llama.cpp sees any.
    const adapters = await openLoraAdapters(record, header, onProgress, stallLimits);
    onProgress({ phase: 'load', loaded: 0, total: file.size, text: `Loading ${record.label ?? record.id}` });

    await checkContentSecurityPolicy(wasmUrl);
    // llama.cpp's warnings and errors are kept: a bare "(ABORT)" gets its reason from them.
    const log = new EngineLog();
    const wllama = new Wllama({ default: wasmUrl }, { logger: log, suppressNativeLog: false, cacheManager: emptyWllamaCache() });
    // wllama picks the compat build where JSPI or Memory64 is missing (not on Firefox, whose
    // default build runs without JSPI): from dist/, never from wllama's CDN.
    wllama.setCompat({ wasm: compatWasmUrl, worker: compatWorkerUrl });
    const liveness = watchLlamaCpp(); // its worker may end silently: fail then, do not wait
    // Files in OPFS llama.cpp reads itself; the adapters are put beside the model for it.
    const locations: Record<string, ModelFileLocation> = {};
    const loraFiles = adapters.map((blob, index) => ({ name: loraFileName(index), blob }));
    for (const { name, blob } of [{ name: WLLAMA_MODEL_FILE, blob: file }, ...loraFiles]) {
      const location = modelFileLocation(blob);
      if (location) locations[name] = location;
    }
    startNextLlamaCppWith(fileReadsSource(locations), mountLoraFiles(loraFiles));
    try {
      const loading = wllama.loadModel([file], {
        n_ctx: record.contextLength ?? DEFAULT_CONTEXT_LENGTH,
        // Every core where the page is cross-origin isolated, else one (threads.ts). WebGPU
        // only where wllama's f16 shaders can run.
        n_threads: threadCount(),
        n_gpu_layers: device.shaderF16 ? undefined : 0,
        n_parallel: 1,
        // llama.cpp's warm-up is an empty answer over every weight: at the 8B's shapes on one
        // thread it added 6 s to a 13 s stored load, and the first real answer took as long
        // with it as without (bench figure 10).
        warmup: false,
        log_level: LogLevel.WARN,
        // Every adapter is loaded with the model at scale 0; each request sets the scales it wants.
        ...(loraFiles.length > 0
          ? { lora_adapters: loraFiles.map(({ name }) => ({ path: `/models/${name}`, scale: 0 })), lora_init_without_apply: true }
          : {}),
      });
      await Promise.race([loading, liveness.died]);
      // wllama resolves even when llama.cpp could not read the file; it then aborts on first use.
      if (!(wllama.getModelMetadata().hparams.nVocab > 0)) {
        throw new Error('llama.cpp could not read the model');
      }
    } catch (error) {
      liveness.stop();
      await wllama.exit().catch(() => {});
      await discardIfDamaged(record.id, toEngineError(error, 'load', record.id, log.recent()));
    }
    onProgress({ phase: 'load', loaded: file.size, total: file.size, text: `Loaded ${record.label ?? record.id}` });
    return new WllamaModel(record, wllama, log, liveness);
  }

  async chat(request: EngineRequest, onChunk: ChunkSink): Promise<void> {
    const abort = new AbortController();
    this.current = abort;
    const chunks = chunkBuilder(this.record.id);
    const meter = new UsageMeter();
    let finish: FinishReason = 'stop';

    try {
      const answering = this.wllama.createChatCompletion({
        messages: request.messages,
        stream: true,
        abortSignal: abort.signal,
        temperature: request.temperature, // wllama reads the OpenAI name; its `temp` is ignored here
        top_p: request.top_p,
        top_k: request.top_k,
        seed: request.seed,
        max_tokens: request.max_tokens,
        grammar: toWllamaGrammar(request),
        ...this.adapterOptions(adapterScales(this.record, request.adapter).scales),
        onData: (chunk: WllamaChunk) => {
          const choice = chunk.choices[0];
          if (chunk.timings) meter.timings(promptTokens(chunk.timings), chunk.timings.predicted_n);
          if (choice?.delta.content) {
            meter.token();
            onChunk(chunks.delta(choice.delta.content));
          }
          if (choice?.finish_reason === 'length') finish = 'length';
        },
      });
      await Promise.race([answering, this.liveness.died]);
    } catch (error) {
      if (!(error instanceof WllamaAbortError)) throw toEngineError(error, 'chat', this.record.id, this.log.recent());
      finish = 'abort';
    } finally {
      if (this.current === abort) this.current = undefined;
    }
    onChunk(chunks.finish(finish, request.stream_options?.include_usage ? meter.usage() : undefined));
  }

  /**
   * wllama 3.8 has no tokenizer call of its own: llama.cpp counts the prompt it reads, so this
   * reads it for one token (and keeps it cached, so the answer that follows reuses the work).
   */
  async countTokens(messages: ChatMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    let counted: number | undefined;
    try {
      const counting = this.wllama.createChatCompletion({
        messages,
        stream: true,
        max_tokens: 1,
        ...this.adapterOptions(this.cachedScales), // keeps the cache as the last answer left it
        onData: (chunk: WllamaChunk) => {
          if (chunk.timings) counted = promptTokens(chunk.timings);
        },
      });
      await Promise.race([counting, this.liveness.died]);
    } catch (error) {
      // Longer than the window: llama.cpp refuses it, saying how many tokens it made of it.
      const over = /request \((\d+) tokens\) exceeds the available context size/.exec(error instanceof Error ? error.message : '');
      if (over) return Number(over[1]);
      throw toEngineError(error, 'chat', this.record.id, this.log.recent());
    }
    if (counted === undefined) throw new LlamaChatError('bad-input', `${this.record.id} did not report how many tokens it read.`);
    return counted;
  }

  /**
   * llama.cpp's per-request adapter scales: every adapter listed (one left out would keep the scale
   * of the last request that named it), and the cached prompt read anew when the set changed (its
   * cache does not tell adapters apart).
   */
  private adapterOptions(scales: number[]): { lora?: { id: number; scale: number }[]; cache_prompt?: boolean } {
    if (scales.length === 0) return {};
    const same = scales.join() === this.cachedScales.join();
    this.cachedScales = scales;
    return { lora: scales.map((scale, id) => ({ id, scale })), ...(same ? {} : { cache_prompt: false }) };
  }

  interrupt(): void {
    this.current?.abort();
  }

  async unload(): Promise<void> {
    this.interrupt();
    this.liveness.stop();
    await this.wllama.exit();
  }
}

/** The whole prompt: llama.cpp reports the tokens it read anew and those it found in its cache apart. */
function promptTokens(timings: { prompt_n: number; cache_n?: number }): number {
  return timings.prompt_n + (timings.cache_n ?? 0);
}
