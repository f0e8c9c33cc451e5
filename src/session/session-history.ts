// The session's conversation in storage: writes in order (a clear() is never overtaken by an
// earlier save), and an answer still streaming kept as stopped, which is what it is if the
// page goes away now.
import { limitHistory, type RestoredHistory } from '../history/kept-messages.js';
import type { HistoryStorage, ViewMessage } from './session-types.js';

/** A conversation to show: its newest messages, and a note when older ones are kept but hidden. */
export interface ShownConversation {
  messages: ViewMessage[];
  notice: string | undefined;
}

export class SessionHistory {
  private writes: Promise<void> = Promise.resolve();
  /** Messages of the restored conversation too old to show: saved ahead of what is shown. */
  earlier: readonly ViewMessage[] = [];
  /** The history key the shown conversation belongs to. */
  private key: string | undefined;

  /** `onFailure`: a save or delete failed (storage full); the conversation stays in memory. */
  constructor(
    private readonly storage: HistoryStorage,
    private readonly onFailure: (error: unknown) => void = () => {},
  ) {}

  /** Resolves once `messages` are stored under `key`; `writing` is an answer still streaming. */
  save(key: string | undefined, messages: readonly ViewMessage[], writing?: ViewMessage): Promise<void> {
    if (!key) return Promise.resolve();
    const kept = messages
      // A trailing answer that has not begun is not worth keeping.
      .filter((m, i, all) => !(i === all.length - 1 && m.role === 'assistant' && !m.content))
      .map((m) => (m === writing ? { ...m, stopped: true } : m));
    return this.write(() => this.storage.save(key, [...this.earlier, ...kept]));
  }

  forget(key: string | undefined): Promise<void> {
    this.earlier = [];
    return key ? this.write(() => this.storage.delete(key)) : Promise.resolve();
  }

  /**
   * The conversation kept under `key` to show, once read (after every write already queued);
   * undefined when what is shown stays: `wanted()` no longer holds, or a conversation begun
   * before any key was set (`shown`) is kept under the new key instead.
   */
  async restore(
    key: string | undefined,
    shown: () => readonly ViewMessage[],
    wanted: () => boolean,
  ): Promise<ShownConversation | undefined> {
    if (!key) {
      this.key = undefined;
      return undefined;
    }
    const restored = await this.read(key);
    if (!wanted()) return undefined;
    if (this.key === undefined && shown().length > 0) {
      this.key = key;
      void this.save(key, shown());
      return undefined;
    }
    this.key = key;
    return this.show(restored);
  }

  /** Replaces the conversation with `all` (an import): what to show now, and `all` being kept under `key`. */
  replace(key: string | undefined, all: readonly ViewMessage[]): { shown: ShownConversation; saved: Promise<void> } {
    const shown = this.show(limitHistory(all));
    // What is shown after what show() left out (`earlier`): all of it.
    return { shown, saved: this.save(key, shown.messages) };
  }

  private show({ messages, earlier }: RestoredHistory): ShownConversation {
    this.earlier = earlier;
    const hidden = earlier.length + (messages.some((m) => m.fullContent !== undefined) ? 1 : 0);
    const notice =
      hidden > 0
        ? `This conversation is long: ${hidden} of its earliest messages (or parts) are kept on this device but not shown.`
        : undefined;
    return { messages, notice };
  }

  /** The conversation kept under `key`, read after every write already queued. */
  read(key: string): Promise<RestoredHistory> {
    return this.writes.then(() => this.storage.load(key));
  }

  private write(operation: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(operation).catch((error: unknown) => this.onFailure(error));
    return this.writes;
  }
}
