// The model store's IndexedDB: the manifests, and the chunks of models whose bytes are not in a
// file (model-files.ts). A chunk and the manifest that counts it commit in one transaction; a
// chunk written to a file is on disk before its manifest counts it. A model made of many files
// (an MLC folder) also has a folder manifest: each file is downloaded as a model file of its own.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { EngineKind } from '../../protocol/engines.js';
import { deleteModelBytes, openModelBytes, writeModelBytes } from './model-files.js';

export const STORE_DATABASE = 'llama-chat-store';
/** Where version 0.1 kept the same things; deleted on first open (nothing there is worth keeping twice). */
const OLD_DATABASES = ['llama-chat-models', 'llama-chat-chunks'];

export interface ModelManifest {
  id: string;
  engine: EngineKind;
  url: string;
  /** Bytes in the file; 0 while unknown. */
  size: number;
  chunkBytes: number;
  /** Chunks stored so far, in order from the start of the file. */
  storedChunks: number;
  /** Hex SHA-256 of each stored chunk, as it arrived from the network. */
  chunkHashes: string[];
  /** True only once every chunk is stored: a partial entry never claims to be complete. */
  complete: boolean;
  lastUsed: number;
  /** The bytes are in the model's OPFS file (model-files.ts), not in the chunks store. */
  inFile?: boolean;
}

/** One file of a folder model: downloaded through the store, then handed to its engine's own cache. */
export interface FolderFile {
  /** Path in the folder (`params_shard_0.bin`), or the model library's file name. */
  name: string;
  url: string;
  /** The engine's database the finished file went into (web-llm: `webllm/model`, …). */
  database: string;
  /** Bytes; 0 while unknown. */
  bytes: number;
  /** Downloaded, checked and handed over; its chunks are gone from the store. */
  done: boolean;
}

export interface FolderManifest {
  id: string;
  engine: EngineKind;
  url: string;
  files: FolderFile[];
  lastUsed: number;
}

interface StoreSchema extends DBSchema {
  manifests: { key: string; value: ModelManifest };
  chunks: { key: [string, number]; value: Blob };
  folders: { key: string; value: FolderManifest };
}

let opened: Promise<IDBPDatabase<StoreSchema>> | undefined;

function database(): Promise<IDBPDatabase<StoreSchema>> {
  opened ??= openDB<StoreSchema>(STORE_DATABASE, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('manifests');
        db.createObjectStore('chunks');
        for (const name of OLD_DATABASES) indexedDB.deleteDatabase(name);
      }
      if (oldVersion < 2) db.createObjectStore('folders');
    },
    // Another tab upgrading (a newer library version) needs this one to let go.
    blocking() {
      void opened?.then((db) => db.close());
      opened = undefined;
    },
  });
  return opened;
}

/** Closes this worker's connection (so the database can be deleted); the next use opens it again. */
export async function closeStore(): Promise<void> {
  const db = opened;
  opened = undefined;
  (await db?.catch(() => undefined))?.close();
}

function chunksOf(id: string, from = 0, to = Infinity): IDBKeyRange {
  return IDBKeyRange.bound([id, from], [id, to]);
}

/** False when the store's database does not exist yet: a look must not create it (e.g. right after forgetting everything). */
export async function storeExists(): Promise<boolean> {
  if (opened || !indexedDB.databases) return true;
  return (await indexedDB.databases()).some((db) => db.name === STORE_DATABASE);
}

export async function getManifest(id: string): Promise<ModelManifest | undefined> {
  return (await database()).get('manifests', id);
}

export async function putManifest(manifest: ModelManifest): Promise<void> {
  await (await database()).put('manifests', manifest, manifest.id);
}

export async function listManifests(): Promise<ModelManifest[]> {
  return (await database()).getAll('manifests');
}

/** Stores chunk `index` of `manifest`'s model, and then the manifest that now counts it. */
export async function putChunk(manifest: ModelManifest, index: number, bytes: Uint8Array): Promise<void> {
  if (manifest.inFile) {
    await writeModelBytes(manifest.id, index * manifest.chunkBytes, bytes);
    await putManifest(manifest);
    return;
  }
  const tx = (await database()).transaction(['chunks', 'manifests'], 'readwrite');
  await Promise.all([
    tx.objectStore('chunks').put(new Blob([bytes as Uint8Array<ArrayBuffer>]), [manifest.id, index]),
    tx.objectStore('manifests').put(manifest, manifest.id),
    tx.done,
  ]);
}

/** The stored chunks of `manifest`'s model as one Blob, read lazily (undefined when there is no file). */
export async function readStoredBytes(manifest: ModelManifest): Promise<Blob | undefined> {
  if (manifest.storedChunks === 0) return new Blob([]); // an empty file has no chunk, hence no file
  if (manifest.inFile) return openModelBytes(manifest.id);
  return new Blob(await (await database()).getAll('chunks', chunksOf(manifest.id, 0, manifest.storedChunks - 1)));
}

/** A model's manifest and all its chunks, in one transaction, then its file. */
export async function deleteModel(id: string): Promise<void> {
  const tx = (await database()).transaction(['chunks', 'manifests'], 'readwrite');
  await Promise.all([tx.objectStore('chunks').delete(chunksOf(id)), tx.objectStore('manifests').delete(id), tx.done]);
  await deleteModelBytes(id);
}

export async function getFolder(id: string): Promise<FolderManifest | undefined> {
  return (await database()).get('folders', id);
}

export async function putFolder(folder: FolderManifest): Promise<void> {
  await (await database()).put('folders', folder, folder.id);
}

export async function listFolders(): Promise<FolderManifest[]> {
  return (await database()).getAll('folders');
}

export async function deleteFolder(id: string): Promise<void> {
  await (await database()).delete('folders', id);
}
