// Conversations kept under the element's `history-key`, in a database of their own so they
// never mix with model weights (which a user may delete separately).
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { limitHistory, plainMessages, type RestoredHistory, type StoredMessage } from './kept-messages.js';

export { limitHistory, RESTORE_LIMITS, type RestoredHistory, type StoredMessage } from './kept-messages.js';

let store: UseStore | undefined;
const conversations = () => (store ??= createStore('llama-chat-history', 'conversations'));

function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { role, content } = value as Record<string, unknown>;
  return (role === 'user' || role === 'assistant') && typeof content === 'string';
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

export function saveHistory(key: string, messages: readonly StoredMessage[]): Promise<void> {
  return set(key, { version: 1, savedAt: Date.now(), messages: plainMessages(messages) }, conversations());
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
