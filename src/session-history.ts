// The session's conversation in storage: writes in order (a clear() is never overtaken by an
// earlier save), and an answer still streaming kept as stopped, which is what it is if the
// page goes away now.
import type { HistoryStorage, ViewMessage } from './session-types.js';

export class SessionHistory {
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly storage: HistoryStorage) {}

  /** Resolves once `messages` are stored under `key`; `writing` is an answer still streaming. */
  save(key: string | undefined, messages: readonly ViewMessage[], writing?: ViewMessage): Promise<void> {
    if (!key) return Promise.resolve();
    const kept = messages
      // A trailing answer that has not begun is not worth keeping.
      .filter((m, i, all) => !(i === all.length - 1 && m.role === 'assistant' && !m.content))
      .map((m) => (m === writing ? { ...m, stopped: true } : m));
    return this.write(() => this.storage.save(key, kept));
  }

  forget(key: string | undefined): Promise<void> {
    return key ? this.write(() => this.storage.delete(key)) : Promise.resolve();
  }

  /** The conversation kept under `key`, read after every write already queued. */
  read(key: string): Promise<ViewMessage[]> {
    return this.writes.then(() => this.storage.load(key));
  }

  private write(operation: () => Promise<void>): Promise<void> {
    this.writes = this.writes
      .then(operation)
      .catch((error: unknown) => console.warn('llama-chat: the conversation could not be kept', error));
    return this.writes;
  }
}
