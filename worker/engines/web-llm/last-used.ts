// web-llm keeps no record of when a model was last used; we keep one beside its cache.
import { createStore, del, get, set } from 'idb-keyval';

const lastUsed = createStore('llama-chat-web-llm', 'last-used');

export function markUsed(id: string): Promise<void> {
  return set(id, Date.now(), lastUsed);
}

export async function lastUsedAt(id: string): Promise<number> {
  return (await get<number>(id, lastUsed)) ?? 0;
}

export function forgetUsed(id: string): Promise<void> {
  return del(id, lastUsed);
}
