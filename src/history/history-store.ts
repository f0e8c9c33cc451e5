// Conversations kept under the element's `history-key`, in a database of their own so they
// never mix with model weights (which a user may delete separately).
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { ChatMessage } from '../../protocol/types.js';

export interface StoredMessage extends ChatMessage {
  stopped?: boolean;
  /** Only in memory: the whole text of a message restored cut (it is saved whole). */
  fullContent?: string;
}

let store: UseStore | undefined;
const conversations = () => (store ??= createStore('llama-chat-history', 'conversations'));

function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { role, content } = value as Record<string, unknown>;
  return (role === 'user' || role === 'assistant') && typeof content === 'string';
}

/** At most this much of a kept conversation comes back (newest first): enough for any chat, small enough to render at once. */
export const RESTORE_LIMITS = { messages: 400, characters: 400_000 } as const;

export interface RestoredHistory {
  /** What is shown: the newest messages; one longer than the limit is cut (its whole text in `fullContent`). */
  messages: StoredMessage[];
  /** Earlier messages left out, verbatim: kept in storage by every later save. */
  earlier: StoredMessage[];
}

/** The kept conversation, newest messages first within RESTORE_LIMITS; anything else reads as empty. */
export async function loadHistory(key: string): Promise<RestoredHistory> {
  const value: unknown = await get(key, conversations());
  const list = (value as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(list)) return { messages: [], earlier: [] };
  const plain = list
    .filter(isStoredMessage)
    .map(({ role, content, stopped }): StoredMessage => (stopped ? { role, content, stopped: true } : { role, content }));
  return limitHistory(plain);
}

/** The newest messages that fit RESTORE_LIMITS; a single message longer than the limit shows its start. */
export function limitHistory(all: readonly StoredMessage[]): RestoredHistory {
  const shown: StoredMessage[] = [];
  let characters = 0;
  let first = all.length;
  while (first > 0 && shown.length < RESTORE_LIMITS.messages && characters < RESTORE_LIMITS.characters) {
    const message = all[first - 1]!;
    const room = RESTORE_LIMITS.characters - characters;
    const cut = message.content.length > room;
    shown.unshift(cut ? { ...message, content: `${message.content.slice(0, room)} […]`, fullContent: message.content } : message);
    characters += Math.min(room, message.content.length);
    first -= 1;
  }
  return { messages: shown, earlier: all.slice(0, first) };
}
export function saveHistory(key: string, messages: readonly StoredMessage[]): Promise<void> {
  const plain = messages.map(({ role, content, stopped, fullContent }) =>
    stopped ? { role, content: fullContent ?? content, stopped: true } : { role, content: fullContent ?? content },
  );
  return set(key, { version: 1, savedAt: Date.now(), messages: plain }, conversations());
}

/** Deletes every kept conversation of every key: the whole database, after closing this page's connection. */
export async function forgetAllHistory(): Promise<void> {
  const open = store;
  store = undefined;
  await open?.('readonly', (conversations) => conversations.transaction.db.close());
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase('llama-chat-history');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('The conversations could not be deleted.'));
  });
}

export function deleteHistory(key: string): Promise<void> {
  return del(key, conversations());
}
