// A tab's view of an engine that another tab's worker hosts: a LoadedModel whose answers come
// over the guest's own channel. When the holder goes (its tab closed, crashed, discarded, or
// it unloaded) what is under way fails with HolderGone and `lost` turns true: the next request
// elects a new holder, and shared-engine.ts asks it again what had no answer yet.
import { whenReleased } from '../../protocol/life-lock.js';
import { LlamaChatError, toLlamaChatError } from '../../protocol/errors.js';
import type { ChatMessage, LoadProgress, ModelRecord } from '../../protocol/types.js';
import type { ChunkSink, EngineRequest, LoadedModel } from '../engines/engine.js';
import type { GuestMessage, HolderMessage, JoinMessage } from './link-messages.js';

/** How long a join waits for the holder's welcome before the election runs again. */
const WELCOME_WITHIN_MS = 3000;

interface Pending {
  onChunk: ChunkSink;
  done(tokens?: number): void;
  fail(error: unknown): void;
}

export class RemoteModel implements LoadedModel {
  private readonly pending = new Map<number, Pending>();
  private readonly watching = new AbortController();
  private nextId = 0;
  private running: number | undefined;
  lost = false;

  private constructor(
    readonly record: ModelRecord,
    private readonly channel: BroadcastChannel,
  ) {}

  /**
   * Asks the holder of `key` to serve this worker, whose life lock is `life`. Resolves once the
   * holder's model is ready (its load's progress goes to `onProgress`); undefined when no holder
   * answered or it went before it was ready; rejects with the holder's load failure.
   */
  static async join(
    record: ModelRecord,
    key: string,
    life: string,
    onProgress: (p: LoadProgress) => void,
  ): Promise<RemoteModel | undefined> {
    const link = `${key}:${crypto.randomUUID()}`;
    const channel = new BroadcastChannel(link);
    const model = new RemoteModel(record, channel);
    const joined = new Promise<boolean>((resolve, reject) => {
      const silence = setTimeout(() => resolve(false), WELCOME_WITHIN_MS);
      channel.onmessage = (event: MessageEvent<HolderMessage>) => {
        const message = event.data;
        if (message.type === 'welcome') {
          clearTimeout(silence);
          void whenReleased(message.life, model.watching.signal, { knownHeld: true }).then(() => {
            resolve(false);
            model.holderGone();
          });
        } else if (message.type === 'progress') onProgress(message.progress);
        else if (message.type === 'ready') resolve(true);
        else if (message.type === 'load-failed') reject(toLlamaChatError(message.error));
        else if (message.type === 'gone') resolve(false);
        if (message.type === 'ready') channel.onmessage = (e: MessageEvent<HolderMessage>) => model.receive(e.data);
      };
    });
    const joins = new BroadcastChannel(key);
    joins.postMessage({ type: 'join', link, life } satisfies JoinMessage);
    joins.close();
    const ok = await joined.catch((error: unknown) => {
      model.close();
      throw error;
    });
    if (ok && !model.lost) return model;
    model.close();
    return undefined;
  }

  chat(request: EngineRequest, onChunk: ChunkSink): Promise<void> {
    if (this.lost) return Promise.reject(holderGoneError());
    const id = this.nextId++;
    return new Promise<void>((done, fail) => {
      this.pending.set(id, { onChunk, done: () => done(), fail });
      this.running = id;
      this.send({ type: 'chat', id, request });
    });
  }

  countTokens(messages: ChatMessage[]): Promise<number> {
    if (this.lost) return Promise.reject(holderGoneError());
    const id = this.nextId++;
    return new Promise<number>((done, fail) => {
      this.pending.set(id, { onChunk: () => {}, done: (tokens) => done(tokens ?? 0), fail });
      this.send({ type: 'count', id, messages });
    });
  }

  interrupt(): void {
    if (this.running !== undefined) this.send({ type: 'interrupt', id: this.running });
  }

  async unload(): Promise<void> {
    if (!this.lost) this.send({ type: 'leave' });
    this.close();
  }

  private receive(message: HolderMessage): void {
    if (message.type === 'gone') return this.holderGone();
    if (message.type !== 'chunks' && message.type !== 'done' && message.type !== 'counted' && message.type !== 'failed') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'chunks') return message.chunks.forEach((chunk) => pending.onChunk(chunk));
    this.settle(message.id);
    if (message.type === 'done') pending.done();
    else if (message.type === 'counted') pending.done(message.tokens);
    else pending.fail(toLlamaChatError(message.error));
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.running === id) this.running = undefined;
  }

  private holderGone(): void {
    this.lost = true;
    for (const [id, pending] of this.pending) {
      this.settle(id);
      pending.fail(holderGoneError());
    }
    this.close();
  }

  private send(message: GuestMessage): void {
    this.channel.postMessage(message);
  }

  private close(): void {
    this.lost = true;
    this.watching.abort();
    this.channel.close();
  }
}

/** The holder went while a request was under way (shared-engine.ts carries one that had no answer yet to the next holder). */
export class HolderGone extends LlamaChatError {
  constructor() {
    super(
      'worker-crashed',
      'The tab that was running the chat engine for this site closed or stopped. Try again; the engine starts again here.',
    );
  }
}

function holderGoneError(): LlamaChatError {
  return new HolderGone();
}
