// One model for every session of an installation: loaded once (its download reported to every
// create() that waits for it), used by one call at a time, unloaded when the last session ends.
import { LlamaChatError } from '../../protocol/errors.js';
import {
  DEFAULT_CONTEXT_LENGTH,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type LoadProgress,
  type ModelRecord,
  type TokenCountRequest,
} from '../../protocol/types.js';
import { EngineClient, type EngineOptions } from '../client/engine-client.js';
import { loadPart } from '../shared/code-part.js';
import { untilAborted } from './signals.js';
import type { Availability } from './types.js';

export interface LanguageModelOptions extends EngineOptions {
  /** The longest answer one prompt may get, in tokens (ours, not the spec's); default 1024, and never more than the window leaves. */
  maxOutputTokens?: number;
}

/** web-llm 0.2.86 keeps its tokenizer to itself, and the Prompt API's counts must be the model's: GGUF models only for now. */
function canCount(record: ModelRecord): boolean {
  return record.engine === 'wllama';
}

/** The device probe and model choice, loaded when first needed (as createEngine() does). */
async function pickModel(id: string | undefined, models: readonly ModelRecord[] | undefined) {
  return (await loadPart(() => import('../models/model-choice.js'))).pickModel(id, models);
}

export class ModelHost {
  private client: EngineClient | undefined;
  private loading: Promise<ModelRecord> | undefined;
  private downloading = false;
  private readonly listeners = new Set<(progress: LoadProgress) => void>();
  private sessions = 0;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly options: LanguageModelOptions = {}) {}

  get idle(): boolean {
    return this.sessions === 0 && !this.loading;
  }

  async availability(): Promise<Availability> {
    if (this.loading) return this.downloading ? 'downloading' : 'available';
    let record: ModelRecord;
    try {
      record = (await pickModel(this.options.model, this.options.models)).record;
    } catch {
      return 'unavailable'; // no engine for it here (no WebGPU, too little memory, an unknown id)
    }
    if (!canCount(record)) return 'unavailable';
    return (await this.engine().isStored(record)) ? 'available' : 'downloadable';
  }

  /** Loads the model (once for all sessions) and counts one more session on it; a caller that gave up (`signal`) first counts none. */
  async acquire(onProgress: (progress: LoadProgress) => void, signal: AbortSignal): Promise<ModelRecord> {
    this.listeners.add(onProgress);
    this.loading ??= this.run(() => this.load()).catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    const loading = this.loading;
    try {
      const record = await untilAborted(loading, signal);
      this.sessions++;
      return record;
    } finally {
      this.listeners.delete(onProgress);
    }
  }

  /** One session fewer; after the last, the model leaves memory (it stays stored). */
  release(): void {
    if (--this.sessions > 0) return;
    this.loading = undefined;
    // Its worker ends with it; calls made from now on (availability(), the next load) start a fresh one.
    const client = this.client;
    this.client = undefined;
    void this.run(async () => client?.unload()).catch(() => {});
  }

  contextWindow(record: ModelRecord): number {
    return record.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  }

  /** Runs `task` after every task before it: the engine answers one request at a time. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => {});
    return result;
  }

  count(request: TokenCountRequest): Promise<number> {
    return this.engine().countTokens(request);
  }

  stream(request: ChatCompletionRequest): AsyncIterable<ChatCompletionChunk> {
    return this.engine().stream(request);
  }

  interrupt(): Promise<void> {
    return this.engine().interrupt();
  }

  private async load(): Promise<ModelRecord> {
    const { record } = await pickModel(this.options.model, this.options.models);
    if (!canCount(record)) {
      throw new LlamaChatError(
        'bad-input',
        `${record.id} runs on web-llm, whose tokenizer this library cannot reach yet; the Prompt API here needs a GGUF model (engine "wllama").`,
      );
    }
    const client = this.engine();
    this.downloading = !(await client.isStored(record));
    try {
      await client.load(record, (progress) => {
        this.options.onProgress?.(progress);
        for (const listener of this.listeners) listener(progress);
      });
    } finally {
      this.downloading = false;
    }
    return record;
  }

  private engine(): EngineClient {
    this.client ??= new EngineClient(this.options.models);
    return this.client;
  }
}
