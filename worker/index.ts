// The worker's one entry point: an object exposed with comlink. Engines and their megabytes
// load here, never on the page's main thread.
import { expose, releaseProxy, type Remote } from 'comlink';
import '../src/errors.js'; // carries error codes across the boundary
import type { CachedModel, ChatCompletionChunk, ChatCompletionRequest, LoadProgress, ModelRecord, StorageEstimate } from '../src/types.js';
import type { Backend } from './backend.js';
import { loadBackend } from './engine-router.js';
import { deleteCachedModel, listCachedModels } from './model-cache.js';

type Sink<T> = (value: T) => void;

/**
 * Calls a main-thread callback without waiting per call, then waits once for the last one:
 * callbacks travel on their own MessagePort, so this keeps them ahead of the method's result.
 */
async function withSink<T, R>(callback: Sink<T>, use: (sink: Sink<T>) => Promise<R>): Promise<R> {
  // The page passes comlink.proxy(fn); what arrives here is a remote handle on it.
  const remote = callback as unknown as Remote<(value: unknown) => void>;
  let last: Promise<void> = Promise.resolve();
  try {
    const result = await use((value) => {
      last = remote(value).catch(() => {}); // the page may have gone; the work goes on
    });
    await last;
    return result;
  } finally {
    remote[releaseProxy]();
  }
}

let backend: Backend | undefined;

const api = {
  async load(record: ModelRecord, onProgress: Sink<LoadProgress>): Promise<void> {
    await backend?.unload();
    backend = undefined;
    backend = await withSink(onProgress, (sink) => loadBackend(record, sink));
  },

  async chat(request: ChatCompletionRequest, onChunk: Sink<ChatCompletionChunk>): Promise<void> {
    const active = backend;
    if (!active) {
      (onChunk as unknown as Remote<Sink<ChatCompletionChunk>>)[releaseProxy]();
      throw new Error('No model is loaded: call load() first.');
    }
    await withSink(onChunk, (sink) => active.chat(request, sink));
  },

  interrupt(): void {
    backend?.interrupt();
  },

  async unload(): Promise<void> {
    await backend?.unload();
    backend = undefined;
  },

  /** Stored models; `records` says which web-llm builds to look for. */
  listCached(records: ModelRecord[]): Promise<CachedModel[]> {
    return listCachedModels(records);
  },

  async deleteCached(record: ModelRecord | string): Promise<void> {
    if (backend?.record.id === (typeof record === 'string' ? record : record.id)) await api.unload();
    await deleteCachedModel(record);
  },

  async estimate(): Promise<StorageEstimate> {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    return { usage, quota };
  },
};

export type WorkerApi = typeof api;

expose(api);
