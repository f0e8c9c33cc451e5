// web-llm 0.2.86's own IndexedDB cache (its ArtifactIndexedDBCache), read and written directly:
// databases `webllm/config`, `webllm/model`, `webllm/wasm` at version 1, each with one object
// store `urls` (keyPath `url`) holding `{ url, data }`. This is web-llm's internal layout: the
// version is pinned in package.json and test/e2e/mlc-contract.spec.ts checks that web-llm's own
// code finds what is written here.
import { openDB, type IDBPDatabase } from 'idb';
import type { WebLlmDatabase } from './mlc-files.js';

const STORE = 'urls';
const VERSION = 1;

async function exists(name: WebLlmDatabase): Promise<boolean> {
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((db) => db.name === name);
}

/** Opens `name` as web-llm would create it; `create: false` leaves a missing one missing (a look must not create). */
async function withDatabase<T>(name: WebLlmDatabase, create: boolean, use: (db: IDBPDatabase) => Promise<T>): Promise<T | undefined> {
  if (!create && !(await exists(name))) return undefined;
  const db = await openDB(name, VERSION, {
    upgrade(created) {
      if (!created.objectStoreNames.contains(STORE)) created.createObjectStore(STORE, { keyPath: 'url' });
    },
  });
  try {
    // A database someone else created without the store (never web-llm) holds nothing of ours.
    return db.objectStoreNames.contains(STORE) ? await use(db) : undefined;
  } finally {
    // Closed at once: forgetting everything deletes these databases, which an open connection blocks.
    db.close();
  }
}

/** True when every one of `urls` has an entry in `database`. */
export async function hasEntries(database: WebLlmDatabase, urls: readonly string[]): Promise<boolean> {
  if (urls.length === 0) return true;
  const found = await withDatabase(database, false, async (db) => {
    const tx = db.transaction(STORE);
    const keys = await Promise.all(urls.map((url) => tx.store.getKey(url)));
    return keys.every((key) => key !== undefined);
  });
  return found ?? false;
}

/** The `data` of `url`'s entry: an ArrayBuffer, or parsed JSON for files web-llm reads as JSON. */
export async function readEntry(database: WebLlmDatabase, url: string): Promise<unknown> {
  const entry = await withDatabase(database, false, (db) => db.get(STORE, url) as Promise<{ data?: unknown } | undefined>);
  return entry?.data;
}

/** Writes `url`'s entry in the form web-llm stores it itself. */
export async function writeEntry(database: WebLlmDatabase, url: string, data: ArrayBuffer | object): Promise<void> {
  await withDatabase(database, true, (db) => db.put(STORE, { url, data }));
}

export async function deleteEntries(database: WebLlmDatabase, urls: readonly string[]): Promise<void> {
  if (urls.length === 0) return;
  await withDatabase(database, false, async (db) => {
    const tx = db.transaction(STORE, 'readwrite');
    await Promise.all([...urls.map((url) => tx.store.delete(url)), tx.done]);
  });
}
