// Conversations kept under the element's `history-key`, in a database of their own so they
// never mix with model weights (which a user may delete separately).
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { ChatMessage } from '../protocol/types.js';

export interface StoredMessage extends ChatMessage {
  stopped?: boolean;
}

let store: UseStore | undefined;
const conversations = () => (store ??= createStore('llama-chat-history', 'conversations'));

function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { role, content } = value as Record<string, unknown>;
  return (role === 'user' || role === 'assistant') && typeof content === 'string';
}

/** The kept conversation; anything that is not a list of messages reads as an empty one. */
export async function loadHistory(key: string): Promise<StoredMessage[]> {
  const value: unknown = await get(key, conversations());
  const list = (value as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(list)) return [];
  return list.filter(isStoredMessage).map(({ role, content, stopped }) => (stopped ? { role, content, stopped: true } : { role, content }));
}

export function saveHistory(key: string, messages: readonly StoredMessage[]): Promise<void> {
  const plain = messages.map(({ role, content, stopped }) => (stopped ? { role, content, stopped: true } : { role, content }));
  return set(key, { version: 1, savedAt: Date.now(), messages: plain }, conversations());
}

export function deleteHistory(key: string): Promise<void> {
  return del(key, conversations());
}
