// The main thread's handle on the engine worker: an OpenAI-shaped API over comlink.
import { proxy, type Remote } from 'comlink';
import { installErrorTransfer } from '../../protocol/error-transfer.js';
import type { LoadOptions, WorkerApi } from '../../protocol/worker-api.js';
import { AsyncQueue } from './async-queue.js';
import { findModel, knownModels } from '../models/catalog.js';
import { loadPart } from '../shared/code-part.js';
import { LlamaChatError, toLlamaChatError } from '../../protocol/errors.js';
import { withAbsoluteUrls } from '../models/model-urls.js';
import { openAiFetch, type FetchFunction } from './openai-http.js';
import { LOAD_SILENCE_MS, loadPatienceMs } from './heartbeat.js';
import { usesCompatBuild } from '../../protocol/cpu-build.js';
import { WorkerConnection, WorkerStuck } from './worker-connection.js';
import type {
  CachedModel,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  FinishReason,
  LoadProgress,
  ModelRecord,
  StallLimits,
  StorageEstimate,
  TokenCountRequest,
  ToolCall,
} from '../../protocol/types.js';

installErrorTransfer();

export interface EngineOptions {
  /** A model id; absent: the best built-in model for this device (Llama 3.1 8B on WebGPU). */
  model?: string;
  /** Extra model records the id may name. */
  models?: readonly ModelRecord[];
  onProgress?: (progress: LoadProgress) => void;
  /**
   * true: a model of this engine's own. By default every engine and `<llama-chat>` of the site
   * (in every tab) that loads the same model shares one copy of it.
   */
  ownEngine?: boolean;
  /** How long a download or a load may make no progress before the library resumes it or gives up (README, "Reliability and privacy"). */
  stallLimits?: StallLimits;
}

export interface Completions {
  create(request: ChatCompletionRequest & { stream: true }): Promise<AsyncIterable<ChatCompletionChunk>>;
  create(request: ChatCompletionRequest & { stream?: false }): Promise<ChatCompletion>;
}

export interface Engine {
  /** The loaded model's record; `model.license` says what its license asks of the site. */
  readonly model: ModelRecord;
  readonly chat: { readonly completions: Completions };
  /** Stops the answer under way; its stream ends with finish_reason "abort". */
  interrupt(): Promise<void>;
  /** Frees the model and ends the worker. */
  unload(): Promise<void>;
  /** Deletes every byte the library stored on this origin (models, engine caches, conversations); ends the worker. */
  forgetEverything(): Promise<void>;
  readonly cache: ModelCache;
  /**
   * OpenAI's HTTP API answered on this device, with fetch's signature: `new OpenAI({ fetch: engine.fetch, … })`,
   * `createOpenAICompatible({ fetch: engine.fetch, … })`. POST …/chat/completions (JSON or Server-Sent Events), GET …/models.
   */
  readonly fetch: FetchFunction;
}

export interface ModelCache {
  list(): Promise<CachedModel[]>;
  delete(id: string): Promise<void>;
  estimate(): Promise<StorageEstimate>;
}

/** Starts a worker, loads the model into it and resolves once it can answer. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const { pickModel } = await loadPart(() => import('../models/model-choice.js')); // the device probe: loaded when first needed
  const { record } = await pickModel(options.model, options.models);
  const client = new EngineClient(options.models);
  try {
    await client.load(record, options.onProgress, {
      shared: !options.ownEngine,
      ...(options.stallLimits ? { stallLimits: options.stallLimits } : {}),
    });
  } catch (error) {
    client.terminate();
    throw error;
  }
  return client.engine(record);
}

/**
 * Owns one worker at a time (a fresh one after the last ended). Every call races the worker's
 * death, so a crashed or vanished worker turns into `worker-crashed`, never a promise that
 * does not settle.
 */
export class EngineClient {
  private connection: WorkerConnection | undefined;

  /** `models`: the page's own records, so their stored copies are found too. */
  constructor(private readonly models: readonly ModelRecord[] = []) {}

  readonly cache: ModelCache = {
    list: () => this.call((api) => api.listCache(knownModels(this.models).map((m) => withAbsoluteUrls(m)))),
    delete: (id) => {
      const record = findModel(id, this.models);
      return this.call((api) => api.deleteFromCache(record ? withAbsoluteUrls(record) : id));
    },
    estimate: () => this.call((api) => api.estimate()),
  };

  /** True when `record`'s model is stored complete on this device. */
  async isStored(record: ModelRecord): Promise<boolean> {
    const resolved = withAbsoluteUrls(record);
    return this.call((api) => api.isStored(resolved));
  }

  async load(record: ModelRecord, onProgress: (progress: LoadProgress) => void = () => {}, options?: LoadOptions): Promise<void> {
    const resolved = withAbsoluteUrls(record);
    const limit = options?.stallLimits?.loadSilenceMs;
    const silentAfterMs = typeof limit === 'number' && limit > 0 ? limit : LOAD_SILENCE_MS;
    const load = () => {
      let lastProgressAt = Date.now();
      const progressed = (progress: LoadProgress) => {
        lastProgressAt = Date.now();
        onProgress(progress);
      };
      return this.call((api) => api.load(resolved, proxy(progressed), options), {
        watch: { lastProgressAt: () => lastProgressAt, silentAfterMs, stuckAfterMs: loadPatienceMs(record.sizeBytes, usesCompatBuild()) },
      });
    };
    // A worker that got stuck loading, or whose load stopped moving, is ended (heartbeat.ts); one fresh worker tries again.
    return load().catch((error: unknown) => (error instanceof WorkerStuck ? load() : Promise.reject(error)));
  }

  /** Streams the answer to `request`; leaving the loop early interrupts the answer. */
  stream(request: ChatCompletionRequest): AsyncIterable<ChatCompletionChunk> {
    const queue = new AsyncQueue<ChatCompletionChunk>(() => void this.interrupt());
    this.call((api) =>
      api.chat(
        request,
        proxy((chunks: ChatCompletionChunk[]) => {
          for (const chunk of chunks) queue.push(chunk);
        }),
      ),
    ).then(
      () => queue.end(),
      (error: unknown) => queue.fail(error),
    );
    return queue;
  }

  async complete(request: ChatCompletionRequest): Promise<ChatCompletion> {
    let content = '';
    let finish: FinishReason = 'stop';
    let last: ChatCompletionChunk | undefined;
    const calls: ToolCall[] = [];
    for await (const chunk of this.stream({ ...request, stream: true, stream_options: { include_usage: true } })) {
      const choice = chunk.choices[0];
      content += choice?.delta.content ?? '';
      for (const { index, ...call } of choice?.delta.tool_calls ?? []) calls[index] = call;
      finish = choice?.finish_reason ?? finish;
      last = chunk;
    }
    if (!last?.usage) throw new LlamaChatError('aborted', 'The answer ended before it was complete.');
    return {
      id: last.id,
      object: 'chat.completion',
      created: last.created,
      model: last.model,
      choices: [
        {
          index: 0,
          // As OpenAI's API: content is null when the model called tools instead of answering.
          message: calls.length > 0 ? { role: 'assistant', content: content || null, tool_calls: calls } : { role: 'assistant', content },
          finish_reason: finish,
        },
      ],
      usage: last.usage,
    };
  }

  /** Tokens the loaded model makes of `request`'s messages and tools (protocol/worker-api.ts). */
  countTokens(request: TokenCountRequest): Promise<number> {
    return this.call((api) => api.countTokens(request));
  }

  async interrupt(): Promise<void> {
    if (this.connection) await this.call((api) => api.interrupt());
  }

  async unload(): Promise<void> {
    if (this.connection) await this.call((api) => api.unload()).catch(() => {});
    this.terminate();
  }

  /**
   * Deletes every byte the library stored on this origin: model files, web-llm's caches and
   * every kept conversation. A fresh worker does it, after this one (and its connections) ended.
   */
  async forgetEverything(): Promise<void> {
    this.terminate();
    try {
      const held = await this.call((api) => api.forgetStoredModels());
      await (await loadPart(() => import('../history/history-store.js'))).forgetAllHistory();
      if (held.length > 0) {
        throw new LlamaChatError('aborted', `Another tab still has ${held.join(', ')} open; it is deleted as soon as that tab closes it.`);
      }
    } finally {
      this.terminate();
    }
  }

  /** Ends the worker at once; calls still under way fail with `aborted`. */
  terminate(): void {
    this.connection?.terminate();
    this.connection = undefined;
  }

  /** The headless `Engine` view of this client for `record`. */
  engine(record: ModelRecord): Engine {
    const create = ((request: ChatCompletionRequest) =>
      request.stream ? Promise.resolve(this.stream(request)) : this.complete(request)) as Completions['create'];
    return {
      model: record,
      chat: { completions: { create } },
      interrupt: () => this.interrupt(),
      forgetEverything: () => this.forgetEverything(),
      unload: () => this.unload(),
      cache: this.cache,
      fetch: openAiFetch({
        model: record,
        stream: (r) => this.stream(r),
        complete: (r) => this.complete(r),
        interrupt: () => this.interrupt(),
      }),
    };
  }

  /** `watch`: while the call lasts, the worker must answer pings (within stuckAfterMs) and the call must report progress (heartbeat.ts). */
  private async call<T>(
    use: (api: Remote<WorkerApi>) => Promise<T>,
    { watch }: { watch?: { lastProgressAt: () => number; silentAfterMs: number; stuckAfterMs?: number } } = {},
  ): Promise<T> {
    const connection = this.start();
    const stopWatching = watch ? connection.watchResponsive(watch) : undefined;
    try {
      return await Promise.race([use(connection.remote), connection.died]);
    } catch (error) {
      throw toLlamaChatError(error);
    } finally {
      stopWatching?.();
    }
  }

  private start(): WorkerConnection {
    if (!this.connection) {
      const connection = new WorkerConnection(() => {
        if (this.connection === connection) this.connection = undefined; // the next call starts a fresh one
      });
      this.connection = connection;
    }
    return this.connection;
  }
}
