// One engine per model for every tab and element of the site. The first worker to take the
// engine's Web Lock hosts it (loads the model and serves the others); every other worker that
// asks for the same record joins it instead of loading a copy. The lock goes with the holder's
// life, so when the holder ends the next request elects another, which loads from storage.
// Where Web Locks or BroadcastChannel are missing, each worker loads its own, as before.
import { LlamaChatError, type ErrorCode } from '../../protocol/errors.js';
import { holdLifeLock } from '../../protocol/life-lock.js';
import type { ChatMessage, ModelRecord } from '../../protocol/types.js';
import type { ChunkSink, EngineRequest, LoadedModel, ProgressSink } from '../engines/engine.js';
import { EngineHolder } from './engine-holder.js';
import { HolderGone, RemoteModel } from './engine-guest.js';
import { engineKey, modelOfKey } from './engine-key.js';
import { turnQueue, type Seat } from './turn-queue.js';

/** Failures after which the engine cannot answer again. */
const ENGINE_LOST = new Set<ErrorCode>(['device-lost', 'worker-crashed']);

/** How many times a worker looks for a holder that keeps vanishing before it loads its own. */
const ELECTIONS = 10;
/** Times one request is asked again of a new holder when the one it waited on goes before answering. */
const CARRIES = 3;

type LoadLocal = (onProgress: ProgressSink) => Promise<LoadedModel>;

export function canShare(): boolean {
  return typeof BroadcastChannel === 'function' && globalThis.navigator?.locks !== undefined;
}

/** Loads `record` through the site's one engine for it: hosting it here, or joining the tab that does. */
export async function loadShared(record: ModelRecord, onProgress: ProgressSink, loadLocal: LoadLocal): Promise<LoadedModel> {
  const model = new SharedModel(record, loadLocal);
  await model.connect(onProgress);
  return model;
}

/** Whether some worker of this origin hosts (or is loading) `record`'s engine. */
export async function isHosted(record: ModelRecord): Promise<boolean> {
  if (!canShare()) return false;
  const key = engineKey(record);
  return ((await navigator.locks.query()).held ?? []).some((lock) => lock.name === key);
}

/** Ids of the models some worker of this origin hosts, by engine kind and id. */
export async function hostedModelIds(): Promise<Set<string>> {
  if (!canShare()) return new Set();
  const names = ((await navigator.locks.query()).held ?? []).map((lock) => lock.name ?? '');
  return new Set(names.flatMap((name) => modelOfKey(name) ?? []));
}

/** What this worker answers through: its own seat at the engine it hosts, or a remote one. */
interface Backend {
  chat(request: EngineRequest, onChunk: ChunkSink): Promise<void>;
  countTokens(messages: ChatMessage[]): Promise<number>;
  interrupt(): void;
  unload(): Promise<void>;
  readonly lost: boolean;
}

class SharedModel implements LoadedModel {
  private backend: Backend | undefined;
  private reconnecting: Promise<void> | undefined;
  private readonly key: string;
  /** The answer under way was asked to stop. */
  private stopped = false;

  constructor(
    readonly record: ModelRecord,
    private readonly loadLocal: LoadLocal,
  ) {
    this.key = engineKey(record);
  }

  async connect(onProgress: ProgressSink): Promise<void> {
    const life = await ownLifeLock();
    for (let election = 0; election < ELECTIONS; election++) {
      const release = await takeLock(this.key);
      if (release) {
        this.backend = await this.host(release, life, onProgress);
        return;
      }
      const remote = await RemoteModel.join(this.record, this.key, life, onProgress);
      if (remote) {
        this.backend = remote;
        return;
      }
    }
    // Holders keep coming and going (or cannot answer): this worker keeps a model of its own.
    const own = await this.loadLocal(onProgress);
    const seat = turnQueue(own).seat();
    this.backend = { ...seatCalls(seat), unload: () => own.unload(), lost: false };
  }

  async chat(request: EngineRequest, onChunk: ChunkSink): Promise<void> {
    this.stopped = false;
    let answered = false;
    const heard: ChunkSink = (chunk) => {
      answered ||= chunk.choices.some((c) => c.delta.content || c.delta.tool_calls || c.finish_reason);
      onChunk(chunk);
    };
    return this.carriedOver(
      () => !answered && !this.stopped,
      async () => (await this.current()).chat(request, heard),
    );
  }

  async countTokens(messages: ChatMessage[]): Promise<number> {
    return this.carriedOver(
      () => true,
      async () => (await this.current()).countTokens(messages),
    );
  }

  /**
   * Runs `ask`; when the holder goes before any of its answer arrived (`unanswered()`), asks the
   * holder that takes over instead, after its load, as if nothing had happened. An answer already
   * streaming is cut off (its text is kept by the page).
   */
  private async carriedOver<T>(unanswered: () => boolean, ask: () => Promise<T>): Promise<T> {
    for (let carried = 0; ; carried++) {
      try {
        return await ask();
      } catch (error) {
        if (!(error instanceof HolderGone) || !unanswered() || carried >= CARRIES) throw error;
      }
    }
  }

  private async current(): Promise<Backend> {
    if (!this.backend || this.backend.lost) {
      // The holder went since the last answer: elect a new one (maybe this worker), which loads from storage.
      this.reconnecting ??= this.connect(() => {}).finally(() => (this.reconnecting = undefined));
      await this.reconnecting;
    }
    return this.backend!;
  }

  interrupt(): void {
    this.stopped = true; // a stopped request is not asked again of the next holder
    this.backend?.interrupt();
  }

  async unload(): Promise<void> {
    const backend = this.backend;
    this.backend = undefined;
    await backend?.unload();
  }

  private async host(release: () => void, life: string, onProgress: ProgressSink): Promise<Backend> {
    const holder = new EngineHolder(this.key, life);
    let local: LoadedModel;
    try {
      local = await this.loadLocal((progress) => {
        onProgress(progress);
        holder.progress(progress);
      });
    } catch (error) {
      holder.failed(error);
      release();
      throw error;
    }
    // An engine that failed for good (its device lost, llama.cpp gone) is given up: guests are
    // told, the lock goes, and the next request from any tab loads a fresh one.
    let retired = false;
    const retire = () => {
      if (retired) return;
      retired = true;
      holder.close();
      void local
        .unload()
        .catch(() => {})
        .finally(release);
    };
    const guarded: LoadedModel = {
      record: local.record,
      ...(local.countTokens ? { countTokens: (messages: ChatMessage[]) => local.countTokens!(messages) } : {}),
      chat: (request, onChunk) =>
        local.chat(request, onChunk).catch((error: unknown) => {
          // After the failure has reached whoever asked (device-lost says more than "gone").
          if (error instanceof LlamaChatError && ENGINE_LOST.has(error.code)) setTimeout(retire);
          throw error;
        }),
      interrupt: () => local.interrupt(),
      unload: () => local.unload(),
    };
    const seat: Seat = holder.ready(guarded);
    return {
      ...seatCalls(seat),
      get lost() {
        return retired;
      },
      async unload() {
        if (retired) return;
        retired = true;
        holder.close();
        try {
          await local.unload();
        } finally {
          release();
        }
      },
    };
  }
}

/** A seat's calls, bound, as a backend answers through them. */
function seatCalls(seat: Seat): Pick<Backend, 'chat' | 'countTokens' | 'interrupt'> {
  return {
    chat: (request, onChunk) => seat.chat(request, onChunk),
    countTokens: (messages) => seat.countTokens(messages),
    interrupt: () => seat.interrupt(),
  };
}

/** The engine's lock when no one holds it: resolves with its release, or undefined when held. */
function takeLock(name: string): Promise<(() => void) | undefined> {
  return new Promise((resolve) => {
    void navigator.locks.request(name, { ifAvailable: true }, (lock) => {
      if (!lock) return resolve(undefined);
      return new Promise<void>((release) => resolve(release));
    });
  });
}

let lifeLock: Promise<string> | undefined;

/** A lock this worker holds for its whole life: the holder and its guests watch each other's. */
function ownLifeLock(): Promise<string> {
  lifeLock ??= (async () => {
    const name = `llama-chat:life:${crypto.randomUUID()}`;
    await holdLifeLock(name);
    return name;
  })();
  return lifeLock;
}
