// Where the store keeps its manifests and chunks: IndexedDB, or, where the browser keeps
// nothing for the site (IndexedDB missing or refusing to open), this worker's memory for the
// visit. Both keep the same records the same way; database.ts decides which one is in use.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FolderManifest, ModelManifest } from './manifests.js';

/** A chunk's bytes: a Blob, or an ArrayBuffer where IndexedDB refuses Blobs. */
export type ChunkValue = Blob | ArrayBuffer;

interface Records {
  manifests: ModelManifest;
  folders: FolderManifest;
}

export interface Keeper {
  /** Nothing outlives this worker: the next visit downloads again. */
  readonly inMemory: boolean;
  get<S extends keyof Records>(store: S, id: string): Promise<Records[S] | undefined>;
  put<S extends keyof Records>(store: S, id: string, value: Records[S]): Promise<void>;
  getAll<S extends keyof Records>(store: S): Promise<Records[S][]>;
  delete(store: keyof Records, id: string): Promise<void>;
  /** Chunk `index` and the manifest that counts it, together. */
  putChunk(manifest: ModelManifest, index: number, value: ChunkValue): Promise<void>;
  /** Chunks `from`..`to` of model `id`, in order. */
  chunks(id: string, from: number, to: number): Promise<ChunkValue[]>;
  /** A model's manifest and all its chunks, together. */
  deleteModel(id: string): Promise<void>;
  close(): void;
}

interface StoreSchema extends DBSchema {
  manifests: { key: string; value: ModelManifest };
  chunks: { key: [string, number]; value: ChunkValue };
  folders: { key: string; value: FolderManifest };
}

const chunkRange = (id: string, from = 0, to = Infinity) => IDBKeyRange.bound([id, from], [id, to]);

/** The store's database, opened (and upgraded) once; `onBlocking`: another tab needs it closed. */
export async function indexedDbKeeper(name: string, oldDatabases: readonly string[], onBlocking: () => void): Promise<Keeper> {
  const db: IDBPDatabase<StoreSchema> = await openDB<StoreSchema>(name, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('manifests');
        db.createObjectStore('chunks');
        for (const old of oldDatabases) indexedDB.deleteDatabase(old);
      }
      if (oldVersion < 2) db.createObjectStore('folders');
    },
    // Another tab upgrading (a newer library version) needs this one to let go.
    blocking() {
      db.close();
      onBlocking();
    },
  });
  return {
    inMemory: false,
    get: (store, id) => db.get(store, id) as Promise<never>,
    put: async (store, id, value) => void (await db.put(store, value as never, id)),
    getAll: (store) => db.getAll(store) as Promise<never>,
    delete: (store, id) => db.delete(store, id),
    async putChunk(manifest, index, value) {
      const tx = db.transaction(['chunks', 'manifests'], 'readwrite');
      await Promise.all([
        tx.objectStore('chunks').put(value, [manifest.id, index]),
        tx.objectStore('manifests').put(manifest, manifest.id),
        tx.done,
      ]);
    },
    chunks: (id, from, to) => db.getAll('chunks', chunkRange(id, from, to)),
    async deleteModel(id) {
      const tx = db.transaction(['chunks', 'manifests'], 'readwrite');
      await Promise.all([tx.objectStore('chunks').delete(chunkRange(id)), tx.objectStore('manifests').delete(id), tx.done]);
    },
    close: () => db.close(),
  };
}

/** The same records in this worker's memory, for a visit where the browser keeps nothing. */
export function memoryKeeper(): Keeper {
  const records = { manifests: new Map<string, ModelManifest>(), folders: new Map<string, FolderManifest>() };
  const chunks = new Map<string, ChunkValue[]>();
  const copy = <T>(value: T): T => structuredClone(value); // as IndexedDB would hand it back
  return {
    inMemory: true,
    get: async (store, id) => copy(records[store].get(id)) as never,
    put: async (store, id, value) => void records[store].set(id, copy(value) as never),
    getAll: async (store) => [...records[store].values()].map(copy) as never,
    delete: async (store, id) => void records[store].delete(id),
    async putChunk(manifest, index, value) {
      const list = chunks.get(manifest.id) ?? [];
      list[index] = value;
      chunks.set(manifest.id, list);
      records.manifests.set(manifest.id, copy(manifest));
    },
    chunks: async (id, from, to) => (chunks.get(id) ?? []).slice(from, to + 1),
    async deleteModel(id) {
      chunks.delete(id);
      records.manifests.delete(id);
    },
    close: () => {},
  };
}
