// The worker's one object: loads a model through its engine's adapter, answers, and manages
// what the engines store. worker/index.ts exposes it to the page with comlink.
import { releaseProxy, type Remote } from 'comlink';
import { adapterScales, adaptersProblem } from '../protocol/lora-adapters.js';
import { LlamaChatError } from '../protocol/errors.js';
import { holdLifeLock } from '../protocol/life-lock.js';
import type { Sink, WorkerApi } from '../protocol/worker-api.js';
import { DEFAULT_CONTEXT_LENGTH, type CachedModel, type ChatCompletionRequest, type ModelRecord } from '../protocol/types.js';
import type { LoadedModel, ProgressSink } from './engines/engine.js';
import { batchChunks } from './chunk-batcher.js';
import { EngineRegistry } from './engines/registry.js';
import { forgetStoredModels } from './forget.js';
import { failOnPolicyRefusal } from './policy-refusals.js';
import { engineMessages, structuredChat } from './structured/structured-chat.js';
import { canShare, hostedModelIds, isHosted, loadShared } from './sharing/shared-engine.js';

/**
 * Calls a main-thread callback without waiting per call, then waits once for the last one:
 * callbacks travel on their own MessagePort, so this keeps them ahead of the method's result.
 */
async function withSink<T, R>(callback: Sink<T>, use: (sink: Sink<T>) => Promise<R>): Promise<R> {
  // The page passes comlink.proxy(fn); what arrives here is a remote handle on it (a plain
  // function where the host is called directly, as in unit tests).
  const remote = callback as unknown as Partial<Remote<Sink<T>>> & ((value: T) => Promise<void> | void);
  let last: Promise<void> = Promise.resolve();
  try {
    const result = await use((value) => {
      last = Promise.resolve(remote(value)).catch(() => {}); // the page may have gone; the work goes on
    });
    await last;
    return result;
  } finally {
    remote[releaseProxy]?.();
  }
}

/** A chunk of the engine's own code that did not load (dist/ served incompletely, a CDN hiccup). */
function codeLoadFailure(error: unknown): LlamaChatError | undefined {
  const message = error instanceof Error ? error.message : '';
  if (!(error instanceof TypeError) || !/dynamically imported module|importing a module script failed/i.test(message)) return undefined;
  const file = /https?:\/\/\S+/.exec(message)?.[0];
  return new LlamaChatError(
    'network',
    `Part of the chat engine's code${file ? ` (${file})` : ''} could not be loaded. Check the connection and try again; if you host dist/ yourself, serve all of its files.`,
  );
}

/** What no engine could do with a request: an answer longer than the model's whole window. */
function requestProblem(request: ChatCompletionRequest, record: ModelRecord): LlamaChatError | undefined {
  try {
    adapterScales(record, request.adapter); // an adapter the record does not have
  } catch (error) {
    return error as LlamaChatError;
  }
  const limit = record.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  const max = request.max_tokens;
  if (max === undefined || (Number.isInteger(max) && max >= 1 && max <= limit)) return undefined;
  return new LlamaChatError(
    'bad-input',
    `max_tokens ${max} is out of range: use a whole number from 1 to ${limit} (the context window of ${record.id}).`,
  );
}

export function createEngineHost(registry = new EngineRegistry()): WorkerApi {
  let loaded: LoadedModel | undefined;

  const host: WorkerApi = {
    holdLifeLock,

    async ping() {},

    async load(record, onProgress, { shared = true, stallLimits } = {}) {
      await loaded?.unload();
      loaded = undefined;
      try {
        const adapters = adaptersProblem(record); // before any download
        if (adapters) throw adapters;
        const adapter = await failOnPolicyRefusal(registry.adapter(record.engine));
        const loadHere = (sink: ProgressSink) => adapter.load(record, sink, stallLimits ? { stallLimits } : {});
        const loading = withSink(onProgress, (sink) => (shared && canShare() ? loadShared(record, sink, loadHere) : loadHere(sink)));
        // A load failed by a policy refusal may still finish: unload what it leaves behind.
        loading.catch(() => {});
        loaded = await failOnPolicyRefusal(loading).catch((error: unknown) => {
          void loading.then((late) => late.unload()).catch(() => {});
          throw error;
        });
      } catch (error) {
        throw codeLoadFailure(error) ?? error;
      }
    },

    async chat(request, onChunks) {
      const active = loaded;
      if (!active) {
        await withSink(onChunks, () => Promise.resolve());
        throw new Error('No model is loaded: call load() first.');
      }
      const invalid = requestProblem(request, active.record);
      if (invalid) {
        await withSink(onChunks, () => Promise.resolve());
        throw invalid;
      }
      await withSink(onChunks, async (send) => {
        const batch = batchChunks(send);
        try {
          await structuredChat(active, request, batch.push);
        } finally {
          batch.flush(); // what the answer said before it ended or failed
        }
      });
    },

    interrupt() {
      loaded?.interrupt();
    },

    async countTokens(request) {
      if (!loaded) throw new Error('No model is loaded: call load() first.');
      if (!loaded.countTokens) throw new LlamaChatError('bad-input', `The engine of ${loaded.record.id} cannot count tokens.`);
      return loaded.countTokens(engineMessages(request));
    },

    async unload() {
      await loaded?.unload();
      loaded = undefined;
    },

    async isStored(record) {
      if (await isHosted(record)) return true; // another tab has it (or is loading it): no second consent, no second download
      const adapter = await registry.adapter(record.engine);
      return (await adapter.isStored?.(record)) ?? false;
    },

    async listCache(records) {
      const lists = await Promise.all((await registry.all()).map((adapter) => adapter.listStored(records)));
      const hosted = await hostedModelIds();
      return lists
        .flat()
        .map((m) => (hosted.has(`${m.engine}:${m.id}`) && m.id !== loaded?.record.id ? { ...m, inUse: true } : m)) satisfies CachedModel[];
    },

    async deleteFromCache(target) {
      const id = typeof target === 'string' ? target : target.id;
      const record: ModelRecord | undefined = typeof target === 'string' ? undefined : target;
      if (loaded?.record.id === id) await host.unload();
      for (const adapter of await registry.all()) await adapter.deleteStored(id, record);
    },

    async forgetStoredModels() {
      await host.unload();
      return forgetStoredModels();
    },

    async estimate() {
      const { usage = 0, quota = 0 } = await navigator.storage.estimate();
      return { usage, quota };
    },
  };
  return host;
}
