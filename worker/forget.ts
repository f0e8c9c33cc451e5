// Forgetting everything the library stored on this origin, from the worker's side: the model
// store, web-llm's caches (IndexedDB and Cache Storage) and the small state beside them.
import { closeStore, STORE_DATABASE } from './store/database.js';
import { deleteAllModelBytes } from './store/model-files.js';

/** web-llm 0.2.86 keeps its files in these databases (cacheBackend 'indexeddb') or caches (the default). */
const WEB_LLM_STORES = ['webllm/config', 'webllm/model', 'webllm/wasm'];
const OWN_DATABASES = [STORE_DATABASE, 'llama-chat-web-llm', 'llama-chat-models', 'llama-chat-chunks'];
/** How long a deletion may wait for another tab to let go of a database. */
const BLOCKED_WAIT_MS = 5000;

/** Deletes every database and cache the engines use; returns the names another tab still holds open. */
export async function forgetStoredModels(): Promise<string[]> {
  await closeStore();
  const held: string[] = [];
  for (const name of [...OWN_DATABASES, ...WEB_LLM_STORES]) {
    if (!(await deleteDatabase(name))) held.push(name);
  }
  if (!(await deleteAllModelBytes())) held.push('llama-chat-models (model files)');
  if ('caches' in globalThis) {
    for (const name of await caches.keys()) if (WEB_LLM_STORES.includes(name) || name.startsWith('webllm')) await caches.delete(name);
  }
  return held;
}

/** True once deleted; false when another connection still holds it after BLOCKED_WAIT_MS (it goes when that one closes). */
export function deleteDatabase(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    let timer: ReturnType<typeof setTimeout> | undefined;
    request.onsuccess = () => (clearTimeout(timer), resolve(true));
    request.onerror = () => (clearTimeout(timer), resolve(false));
    request.onblocked = () => (timer = setTimeout(() => resolve(false), BLOCKED_WAIT_MS));
  });
}
