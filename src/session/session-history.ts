// The session's conversation in storage: writes in order (a clear() is never overtaken by an
// earlier save), and an answer still streaming kept as stopped, which is what it is if the
// page goes away now.
import type { RestoredHistory } from '../history/history-store.js';
import type { HistoryStorage, ViewMessage } from './session-types.js';

export class SessionHistory {
  private writes: Promise<void> = Promise.resolve();
  /** Messages of the restored conversation too old to show: saved ahead of what is shown. */
  earlier: readonly ViewMessage[] = [];

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

  /** The conversation kept under `key`, read after every write already queued. */
  read(key: string): Promise<RestoredHistory> {
    return this.writes.then(() => this.storage.load(key));
  }

  private write(operation: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(operation).catch((error: unknown) => this.onFailure(error));
    return this.writes;
  }
}
