// The project's own store of model files in IndexedDB: downloaded in fixed-size chunks so a
// broken download resumes with an HTTP Range request, and read back as disk-backed Blobs so
// the engine gets the weights without a network request and without copying them into memory.
import { createStore, del, delMany, get, getMany, keys, set, values } from 'idb-keyval';
import { LlamaChatError } from '../src/errors.js';
import type { CachedModel, ModelRecord } from '../src/types.js';
import type { ProgressSink } from './backend.js';

export const CHUNK_BYTES = 16 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;

interface ModelManifest {
  id: string;
  engine: ModelRecord['engine'];
  url: string;
  /** Bytes in the file; 0 while unknown. */
  size: number;
  chunkBytes: number;
  /** Chunks stored so far, in order from the start of the file. */
  storedChunks: number;
  /** True only once every chunk is stored: a partial entry never claims to be complete. */
  complete: boolean;
  lastUsed: number;
}

type ChunkKey = [id: string, index: number];

const manifests = createStore('llama-chat-models', 'manifests');
const chunks = createStore('llama-chat-chunks', 'chunks');

function chunkKeys(id: string, count: number): ChunkKey[] {
  return Array.from({ length: count }, (_, index): ChunkKey => [id, index]);
}

/**
 * The model file as one Blob: from IndexedDB when complete, otherwise downloaded (or resumed)
 * first. Tabs loading the same model wait for each other instead of downloading it twice.
 */
export async function openModelFile(record: ModelRecord, onProgress: ProgressSink): Promise<Blob> {
  return withModelLock(record.id, async () => {
    const stored = await readComplete(record);
    if (stored) return stored;
    await download(record, onProgress);
    const downloaded = await readComplete(record);
    if (!downloaded) throw new LlamaChatError('integrity', `The stored copy of ${record.id} is incomplete. Try again.`);
    return downloaded;
  });
}

async function withModelLock<T>(id: string, task: () => Promise<T>): Promise<T> {
  // Web Locks are missing in some embedded browsers; the store stays correct without them.
  if (!('locks' in navigator)) return task();
  return navigator.locks.request(`llama-chat:model:${id}`, task);
}

async function readComplete(record: ModelRecord): Promise<Blob | undefined> {
  const manifest = await get<ModelManifest>(record.id, manifests);
  if (!manifest?.complete || manifest.url !== record.url) return undefined;
  const parts = await getMany<Blob>(chunkKeys(record.id, manifest.storedChunks), chunks);
  const file = parts.every((part): part is Blob => part instanceof Blob) ? new Blob(parts) : undefined;
  if (!file || file.size !== manifest.size) {
    // Evicted or damaged: start over rather than hand the engine a broken file.
    await deleteModelFile(record.id);
    return undefined;
  }
  await set(record.id, { ...manifest, lastUsed: Date.now() }, manifests);
  return file;
}

async function download(record: ModelRecord, onProgress: ProgressSink): Promise<void> {
  const previous = await get<ModelManifest>(record.id, manifests);
  const resumable = previous && previous.url === record.url && previous.chunkBytes === CHUNK_BYTES;
  if (previous && !resumable) await deleteModelFile(record.id);
  let start = resumable ? previous.storedChunks * CHUNK_BYTES : 0;
  if (resumable && previous.size > 0 && start >= previous.size) {
    await set(record.id, { ...previous, complete: true }, manifests); // stopped just before the last write
    return;
  }

  const response = await fetchModel(record, start);
  if (start > 0 && response.status !== 206) start = 0; // the server ignored Range: from the top
  const size = start > 0 ? totalFromContentRange(response) : Number(response.headers.get('content-length') ?? 0);
  await ensureSpace(record, Math.max(size, record.sizeBytes ?? 0) - start);

  const manifest: ModelManifest = {
    id: record.id,
    engine: record.engine,
    url: record.url,
    size,
    chunkBytes: CHUNK_BYTES,
    storedChunks: start / CHUNK_BYTES,
    complete: false,
    lastUsed: Date.now(),
  };
  await set(record.id, manifest, manifests);

  const total = size || record.sizeBytes || 0;
  let loaded = start;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    onProgress({ phase: 'download', loaded, total, text: `Downloading ${record.label ?? record.id}` });
  };
  report(true);

  const buffer = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  const storeChunk = async () => {
    // new Blob copies the bytes, so the one buffer is reused for every chunk.
    await putChunk([record.id, manifest.storedChunks], new Blob([buffer.subarray(0, filled)]));
    manifest.storedChunks += 1;
    filled = 0;
    await set(record.id, manifest, manifests);
  };

  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await readOrFail(reader, record);
    if (done) break;
    let offset = 0;
    while (offset < value.length) {
      const take = Math.min(value.length - offset, CHUNK_BYTES - filled);
      buffer.set(value.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === CHUNK_BYTES) await storeChunk();
    }
    loaded += value.length;
    report(false);
  }
  if (filled > 0) await storeChunk();
  report(true);

  if (size && loaded !== size) {
    throw new LlamaChatError('network', `The download of ${record.id} ended after ${loaded} of ${size} bytes. Try again to resume it.`);
  }
  await set(record.id, { ...manifest, size: loaded, complete: true }, manifests);
}

async function fetchModel(record: ModelRecord, start: number): Promise<Response> {
  const headers: HeadersInit = start > 0 ? { Range: `bytes=${start}-` } : {};
  let response: Response;
  try {
    response = await fetch(record.url, { headers, credentials: 'omit' });
  } catch {
    throw new LlamaChatError('network', `Could not reach ${record.url} to download the model. Check the connection and try again.`);
  }
  if (!response.ok || !response.body) {
    throw new LlamaChatError('network', `The server answered ${response.status} ${response.statusText} for ${record.url}. Check the model URL, then try again.`);
  }
  return response;
}

async function readOrFail(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  record: ModelRecord,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch {
    throw new LlamaChatError('network', `The connection dropped while downloading ${record.id}. Try again to resume where it stopped.`);
  }
}

function totalFromContentRange(response: Response): number {
  // "bytes 100-199/2000" → 2000
  const total = response.headers.get('content-range')?.split('/')[1];
  return total && total !== '*' ? Number(total) : 0;
}

async function ensureSpace(record: ModelRecord, bytesNeeded: number): Promise<void> {
  if (!navigator.storage?.estimate || bytesNeeded <= 0) return;
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
  const available = quota - usage;
  if (bytesNeeded > available) {
    throw new LlamaChatError(
      'quota-exceeded',
      `${record.id} needs ${formatMB(bytesNeeded)} of storage but only ${formatMB(available)} is available. Free some space (delete cached models or site data) and try again.`,
    );
  }
}

async function putChunk(key: ChunkKey, blob: Blob): Promise<void> {
  try {
    await set(key, blob, chunks);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new LlamaChatError('quota-exceeded', 'The browser ran out of storage while saving the model. Free some space and try again; the download resumes where it stopped.');
    }
    throw error;
  }
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export async function deleteModelFile(id: string): Promise<void> {
  const ownKeys = (await keys<IDBValidKey>(chunks)).filter((key) => Array.isArray(key) && key[0] === id);
  await delMany(ownKeys, chunks);
  await del(id, manifests);
}

export async function listModelFiles(): Promise<CachedModel[]> {
  const all = await values<ModelManifest>(manifests);
  return all.map((m) => ({
    id: m.id,
    engine: m.engine,
    bytes: m.complete ? m.size : m.storedChunks * m.chunkBytes,
    complete: m.complete,
    lastUsed: m.lastUsed,
  }));
}
