// The worker that hosts a shared engine: it answers joins on the engine's channel, tells each
// guest how the load goes, and serves their requests from the same turn queue as its own page's.
// A guest that ends (its tab closed, crashed or discarded) is seen through its life lock: its
// answers stop at once, so the engine is free for the others.
import { whenReleased } from '../../protocol/life-lock.js';
import { toLlamaChatError, type WireError } from '../../protocol/errors.js';
import type { ChatCompletionChunk, LoadProgress } from '../../protocol/types.js';
import { batchChunks } from '../chunk-batcher.js';
import type { LoadedModel } from '../engines/engine.js';
import type { GuestMessage, HolderMessage, JoinMessage } from './link-messages.js';
import { turnQueue, type Seat, type TurnQueue } from './turn-queue.js';

export function wireError(error: unknown): WireError {
  const { code, message } = toLlamaChatError(error, 'worker-crashed');
  return { code, message };
}

interface Guest {
  channel: BroadcastChannel;
  seat?: Seat;
  stopWatching: AbortController;
}

export class EngineHolder {
  private readonly joins: BroadcastChannel;
  private readonly guests = new Map<string, Guest>();
  private queue: TurnQueue | undefined;
  private lastProgress: LoadProgress | undefined;
  private failure: WireError | undefined;

  /** `key`: the engine's key (its join channel); `life`: a lock this worker holds for its life. */
  constructor(
    key: string,
    private readonly life: string,
  ) {
    this.joins = new BroadcastChannel(key);
    this.joins.onmessage = (event: MessageEvent<JoinMessage>) => {
      if (event.data?.type === 'join') this.welcome(event.data);
    };
  }

  progress(progress: LoadProgress): void {
    this.lastProgress = progress;
    this.broadcast({ type: 'progress', progress });
  }

  /** The load finished: guests may ask; returns this worker's own seat. */
  ready(model: LoadedModel): Seat {
    this.queue = turnQueue(model);
    for (const guest of this.guests.values()) guest.seat = this.queue.seat();
    this.broadcast({ type: 'ready' });
    return this.queue.seat();
  }

  failed(error: unknown): void {
    this.failure = wireError(error);
    this.broadcast({ type: 'load-failed', error: this.failure });
    this.close(false);
  }

  /** Stops serving: guests are told, so their next request finds (or becomes) a new holder. */
  close(tellGuests = true): void {
    this.joins.close();
    if (tellGuests) this.broadcast({ type: 'gone' });
    for (const link of [...this.guests.keys()]) this.drop(link);
  }

  private welcome({ link, life }: JoinMessage): void {
    if (this.guests.has(link)) return;
    const channel = new BroadcastChannel(link);
    const guest: Guest = { channel, seat: this.queue?.seat(), stopWatching: new AbortController() };
    this.guests.set(link, guest);
    channel.onmessage = (event: MessageEvent<GuestMessage>) => this.serve(link, guest, event.data);
    void whenReleased(life, guest.stopWatching.signal, { knownHeld: true }).then(() => this.drop(link));
    channel.postMessage({ type: 'welcome', life: this.life } satisfies HolderMessage);
    if (this.failure) channel.postMessage({ type: 'load-failed', error: this.failure } satisfies HolderMessage);
    else if (this.queue) channel.postMessage({ type: 'ready' } satisfies HolderMessage);
    else if (this.lastProgress) channel.postMessage({ type: 'progress', progress: this.lastProgress } satisfies HolderMessage);
  }

  private serve(link: string, guest: Guest, message: GuestMessage): void {
    const post = (reply: HolderMessage) => {
      try {
        guest.channel.postMessage(reply);
      } catch {
        // the guest left and its channel closed: what was still on its way goes nowhere
      }
    };
    if (message.type === 'leave') return this.drop(link);
    if (message.type === 'interrupt') return guest.seat?.interrupt();
    if (!guest.seat) return post({ type: 'failed', id: message.id, error: wireError(new Error('The model is not loaded yet.')) });
    const { id } = message;
    const failed = (error: unknown) => post({ type: 'failed', id, error: wireError(error) });
    if (message.type === 'count') {
      guest.seat.countTokens(message.messages).then((tokens) => post({ type: 'counted', id, tokens }), failed);
      return;
    }
    // Tokens go on to the guest's page, which batches them again: a message per token here cost
    // the headless path about a sixth of its speed on a fast model (bench figure 3).
    const batch = batchChunks<ChatCompletionChunk>((chunks) => post({ type: 'chunks', id, chunks }));
    guest.seat.chat(message.request, batch.push).then(
      () => {
        batch.flush();
        post({ type: 'done', id });
      },
      (error: unknown) => {
        batch.flush(); // what the answer said before it failed
        failed(error);
      },
    );
  }

  /** A guest gone or leaving: its answers stop, its channel closes. */
  private drop(link: string): void {
    const guest = this.guests.get(link);
    if (!guest) return;
    this.guests.delete(link);
    guest.stopWatching.abort();
    guest.seat?.interrupt();
    guest.channel.close();
  }

  private broadcast(message: HolderMessage): void {
    for (const guest of this.guests.values()) guest.channel.postMessage(message);
  }
}
