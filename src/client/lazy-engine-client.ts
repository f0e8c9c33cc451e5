// The engine client (comlink, the worker's start-up) is a chunk of its own, loaded the first
// time a chat or a page asks its worker anything: a page pays for it when a model is about to
// be used, not to render the element. This stands in for it with the same methods.
import type { Engine, EngineClient as RealClient, EngineOptions, ModelCache } from './engine-client.js';
import { loadPart } from '../shared/code-part.js';
import { LlamaChatError } from '../../protocol/errors.js';
import type { LoadOptions } from '../../protocol/worker-api.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, LoadProgress, ModelRecord } from '../../protocol/types.js';

const clientModule = () => loadPart(() => import('./engine-client.js'));

/** Starts a worker, loads the model into it and resolves once it can answer. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return (await clientModule()).createEngine(options);
}

/**
 * Owns one worker at a time, as the real client does: `terminate()` fails what is under way
 * with `aborted`, and the next call starts a fresh worker.
 */
export class LazyEngineClient {
  private real: Promise<RealClient> | undefined;
  /** The client once loaded: answers stream from it directly, with no extra step per chunk. */
  private loaded: RealClient | undefined;
  /** Counts terminate() calls: a call made before one must not start a worker after it. */
  private generation = 0;

  /** `models`: the page's own records, so their stored copies are found too. */
  constructor(private readonly models: readonly ModelRecord[] = []) {}

  readonly cache: ModelCache = {
    list: () => this.use((c) => c.cache.list()),
    delete: (id) => this.use((c) => c.cache.delete(id)),
    estimate: () => this.use((c) => c.cache.estimate()),
  };

  isStored(record: ModelRecord): Promise<boolean> {
    return this.use((c) => c.isStored(record));
  }

  load(record: ModelRecord, onProgress: (progress: LoadProgress) => void = () => {}, options?: LoadOptions): Promise<void> {
    return this.use((c) => c.load(record, onProgress, options));
  }

  /** Streams the answer to `request`; leaving the loop early interrupts the answer. */
  stream(request: ChatCompletionRequest): AsyncIterable<ChatCompletionChunk> {
    if (this.loaded) return this.loaded.stream(request);
    const client = this.client(this.generation);
    return {
      async *[Symbol.asyncIterator]() {
        yield* (await client).stream(request);
      },
    };
  }

  complete(request: ChatCompletionRequest): Promise<ChatCompletion> {
    return this.use((c) => c.complete(request));
  }

  async interrupt(): Promise<void> {
    await (await this.real)?.interrupt();
  }

  async unload(): Promise<void> {
    await (await this.real)?.unload();
  }

  forgetEverything(): Promise<void> {
    return this.use((c) => c.forgetEverything());
  }

  /** Ends the worker at once; calls still under way fail with `aborted`. */
  terminate(): void {
    this.generation++;
    void this.real?.then((c) => c.terminate());
  }

  private use<T>(call: (client: RealClient) => Promise<T>): Promise<T> {
    return this.client(this.generation).then(call);
  }

  private async client(generation: number): Promise<RealClient> {
    this.real ??= clientModule().then(
      ({ EngineClient }) => (this.loaded = new EngineClient(this.models)),
      (error: unknown) => {
        this.real = undefined; // the next call tries to load it again
        throw error;
      },
    );
    const client = await this.real;
    if (generation !== this.generation) throw new LlamaChatError('aborted', 'The chat engine was unloaded.');
    return client;
  }
}
