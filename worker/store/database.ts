// The model store's IndexedDB: the manifests, and the chunks of models whose bytes are not in a
// file (model-files.ts). A chunk and the manifest that counts it commit in one transaction; a
// chunk written to a file is on disk before its manifest counts it. A model made of many files
// (an MLC folder) also has a folder manifest: each file is downloaded as a model file of its own.
// Chunks are Blobs, or ArrayBuffers where IndexedDB refuses Blobs (WebKit's private sessions);
// where the browser keeps nothing at all, this visit's store is in memory (keepers.ts).
import { indexedDbKeeper, memoryKeeper, type Keeper } from './keepers.js';
import type { FolderManifest, ModelManifest } from './manifests.js';
import { deleteModelBytes, openModelBytes, writeModelBytes } from './model-files.js';

export type { FolderFile, FolderManifest, ModelManifest } from './manifests.js';

export const STORE_DATABASE = 'llama-chat-store';
/** Where version 0.1 kept the same things; deleted on first open (nothing there is worth keeping twice). */
const OLD_DATABASES = ['llama-chat-models', 'llama-chat-chunks'];

let opened: Promise<Keeper> | undefined;
/** IndexedDB took no Blob value here: chunks are kept as ArrayBuffers from now on. */
let blobsRefused = false;

function database(): Promise<Keeper> {
  opened ??= indexedDbKeeper(STORE_DATABASE, OLD_DATABASES, () => (opened = undefined)).catch(() => memoryKeeper());
  return opened;
}

/** True where this visit's models are kept in memory only: the browser keeps nothing for the site. */
export async function keptInMemoryOnly(): Promise<boolean> {
  return (await database()).inMemory;
}

/** Closes this worker's connection (so the database can be deleted); the next use opens it again. */
export async function closeStore(): Promise<void> {
  const keeper = opened;
  opened = undefined;
  (await keeper?.catch(() => undefined))?.close();
}

/** False when the store's database does not exist yet: a look must not create it (e.g. right after forgetting everything). */
export async function storeExists(): Promise<boolean> {
  if (opened || !globalThis.indexedDB?.databases) return true;
  return (await indexedDB.databases()).some((db) => db.name === STORE_DATABASE);
}

export async function getManifest(id: string): Promise<ModelManifest | undefined> {
  return (await database()).get('manifests', id);
}

export async function putManifest(manifest: ModelManifest): Promise<void> {
  await (await database()).put('manifests', manifest.id, manifest);
}

export async function listManifests(): Promise<ModelManifest[]> {
  return (await database()).getAll('manifests');
}

/**
 * Stores chunk `index` of `manifest`'s model, and then the manifest that now counts it. Once
 * `signal` is aborted (a download dropped while this waited) nothing more is written.
 */
/**
 * Stores chunk `index` of `manifest`'s model and the manifest that counts it. With `hash` (the
 * chunk's SHA-256, still being computed) the manifest counts the chunk once its bytes are written
 * and its hash is known; without, the caller has counted it already.
 */
export async function putChunk(
  manifest: ModelManifest,
  index: number,
  bytes: Uint8Array,
  signal?: AbortSignal,
  hash?: Promise<string>,
): Promise<void> {
  if (manifest.inFile) {
    await writeModelBytes(manifest.id, index * manifest.chunkBytes, bytes, signal);
    return commitChunk(manifest, index, hash, signal);
  }
  if (hash) countChunk(manifest, index, await hash);
  signal?.throwIfAborted();
  const keeper = await database();
  try {
    await keeper.putChunk(manifest, index, blobsRefused || keeper.inMemory ? copyOf(bytes) : new Blob([bytes as Uint8Array<ArrayBuffer>]));
  } catch (error) {
    if (keeper.inMemory || (error instanceof DOMException && error.name === 'QuotaExceededError')) throw error;
    if (!blobsRefused) {
      // "Error preparing Blob/File data to be stored in object store" (WebKit, private): the same bytes as an ArrayBuffer.
      blobsRefused = true;
      return putChunk(manifest, index, bytes, signal, hash);
    }
    // IndexedDB keeps nothing here at all: this visit's models live in memory.
    opened = Promise.resolve(memoryKeeper());
    return putChunk(manifest, index, bytes, signal, hash);
  }
}

/**
 * Counts chunk `index` of a model kept in a file, its bytes written there: the manifest that
 * counts it is stored unless `signal` was aborted meanwhile. Without `hash`, the caller counted it.
 */
export async function commitChunk(manifest: ModelManifest, index: number, hash?: Promise<string>, signal?: AbortSignal): Promise<void> {
  if (hash) countChunk(manifest, index, await hash);
  signal?.throwIfAborted();
  await putManifest(manifest);
}

function countChunk(manifest: ModelManifest, index: number, hash: string): void {
  manifest.chunkHashes[index] = hash;
  manifest.storedChunks = index + 1;
}

/** The bytes on their own: the caller reuses its buffer for the next chunk. */
function copyOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** The stored chunks of `manifest`'s model as one Blob, read lazily (undefined when there is no file). */
export async function readStoredBytes(manifest: ModelManifest): Promise<Blob | undefined> {
  if (manifest.storedChunks === 0) return new Blob([]); // an empty file has no chunk, hence no file
  if (manifest.inFile) return openModelBytes(manifest.id);
  return chunksAsBlob(manifest.id, manifest.storedChunks);
}

/** Chunks read from IndexedDB at a time while a model's Blob is put together. */
const CHUNKS_AT_ONCE = 4;

/**
 * The `count` chunks of model `id` as one Blob, a few at a time. Chunks kept as ArrayBuffers
 * (where IndexedDB refuses Blobs) are copied into Blobs one by one, with a pause for other tasks
 * between: one `new Blob()` of a 2.56 GB model's buffers held WebKit's worker for 40 s, its pings
 * unanswered, and it was ended as stuck (issue 35). Only a few chunks are in memory at once.
 */
async function chunksAsBlob(id: string, count: number): Promise<Blob> {
  const keeper = await database();
  const parts: Blob[] = [];
  for (let from = 0; from < count; from += CHUNKS_AT_ONCE) {
    for (const value of await keeper.chunks(id, from, Math.min(count, from + CHUNKS_AT_ONCE) - 1)) {
      parts.push(value instanceof Blob ? value : new Blob([value]));
      if (!(value instanceof Blob)) await new Promise((resolve) => setTimeout(resolve));
    }
  }
  return new Blob(parts);
}

/** A model's manifest and all its chunks, in one transaction, then its file. */
export async function deleteModel(id: string): Promise<void> {
  await (await database()).deleteModel(id);
  await deleteModelBytes(id);
}

export async function getFolder(id: string): Promise<FolderManifest | undefined> {
  return (await database()).get('folders', id);
}

export async function putFolder(folder: FolderManifest): Promise<void> {
  await (await database()).put('folders', folder.id, folder);
}

export async function listFolders(): Promise<FolderManifest[]> {
  return (await database()).getAll('folders');
}

export async function deleteFolder(id: string): Promise<void> {
  await (await database()).delete('folders', id);
}
