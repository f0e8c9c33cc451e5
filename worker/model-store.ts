// The project's own store of model files in IndexedDB: downloaded in fixed-size chunks so a
// broken download resumes with an HTTP Range request, and read back as disk-backed Blobs so
// the engine gets the weights without a network request and without copying them into memory.
// Each chunk's SHA-256 is kept, so a damaged chunk is found and fetched again on its own.
import { createStore, del, delMany, get, getMany, keys, set, values } from 'idb-keyval';
import { LlamaChatError } from '../src/errors.js';
import type { CachedModel, ModelRecord } from '../src/types.js';
import type { ProgressSink } from './backend.js';
import { chunkBytesFor } from './chunk-size.js';
import { chunkDigest, FileDigest } from './digest.js';

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
  /** Hex SHA-256 of each stored chunk, as it arrived from the network. */
  chunkHashes?: string[];
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
    const stored = await readComplete(record, onProgress);
    if (stored) return stored;
    await download(record, onProgress);
    const downloaded = await readComplete(record, onProgress);
    if (!downloaded) throw new LlamaChatError('integrity', `The stored copy of ${record.id} is incomplete. Try again.`);
    return downloaded;
  });
}

async function withModelLock<T>(id: string, task: () => Promise<T>): Promise<T> {
  // Web Locks are missing in some embedded browsers; the store stays correct without them.
  if (!('locks' in navigator)) return task();
  return navigator.locks.request(`llama-chat:model:${id}`, task);
}

async function readComplete(record: ModelRecord, onProgress: ProgressSink): Promise<Blob | undefined> {
  const manifest = await get<ModelManifest>(record.id, manifests);
  if (!manifest?.complete || manifest.url !== record.url) return undefined;
  const file = await assemble(manifest);
  if (!file) {
    // Evicted or damaged: start over rather than hand the engine a broken file.
    await deleteModelFile(record.id);
    return undefined;
  }
  if (record.sha256 && !(await verified(record, manifest, onProgress))) return undefined;
  await set(record.id, { ...manifest, lastUsed: Date.now() }, manifests);
  // Verification may have replaced damaged chunks: read them again only then.
  return record.sha256 ? assemble(manifest) : file;
}

/** The stored chunks as one Blob, or undefined when any is missing or the size is wrong. */
async function assemble(manifest: ModelManifest): Promise<Blob | undefined> {
  const parts = await getMany<Blob>(chunkKeys(manifest.id, manifest.storedChunks), chunks);
  if (!parts.every((part): part is Blob => part instanceof Blob)) return undefined;
  const file = new Blob(parts);
  return file.size === manifest.size ? file : undefined;
}

/**
 * Hashes the stored file chunk by chunk against the record's SHA-256. Damaged chunks (their
 * own hash changed since download) are fetched again and the user is told; a file that was
 * wrong from the start is deleted and reported. False: deleted, download it again.
 */
async function verified(record: ModelRecord, manifest: ModelManifest, onProgress: ProgressSink, repairs = 1): Promise<boolean> {
  const name = record.label ?? record.id;
  const whole = new FileDigest();
  const damaged: number[] = [];
  for (let index = 0; index < manifest.storedChunks; index++) {
    const part = await get<Blob>([record.id, index], chunks);
    const bytes = new Uint8Array(await part!.arrayBuffer());
    if (manifest.chunkHashes && (await chunkDigest(bytes)) !== manifest.chunkHashes[index]) damaged.push(index);
    whole.update(bytes);
    onProgress({ phase: 'load', loaded: index * manifest.chunkBytes + bytes.length, total: manifest.size, text: `Checking ${name}` });
  }
  const digest = whole.hex();
  if (digest === record.sha256!.toLowerCase()) return true;

  if (damaged.length > 0 && repairs > 0) {
    onProgress({
      phase: 'download',
      loaded: 0,
      total: damaged.length * manifest.chunkBytes,
      text: `${damaged.length} damaged part${damaged.length === 1 ? '' : 's'} of the stored ${name} found; downloading ${damaged.length === 1 ? 'it' : 'them'} again`,
    });
    for (const index of damaged) await refetchChunk(record, manifest, index);
    await set(record.id, manifest, manifests);
    return verified(record, manifest, onProgress, repairs - 1);
  }
  await deleteModelFile(record.id);
  if (!manifest.chunkHashes) return false; // an old entry without chunk hashes: fetch it afresh
  throw new LlamaChatError(
    'integrity',
    `${record.id} failed its integrity check: its SHA-256 is ${digest}, the page expects ${record.sha256}. The server may be serving a different file; the download was discarded.`,
  );
}

async function refetchChunk(record: ModelRecord, manifest: ModelManifest, index: number): Promise<void> {
  const start = index * manifest.chunkBytes;
  const end = Math.min(manifest.size, start + manifest.chunkBytes) - 1;
  const response = await fetchModel(record, `bytes=${start}-${end}`);
  const bytes = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (response.status !== 206 || bytes.length !== end - start + 1) {
    throw new LlamaChatError('network', `Could not download a damaged part of ${record.id} again. Try again.`);
  }
  await putChunk([record.id, index], new Blob([bytes]));
  (manifest.chunkHashes ??= [])[index] = await chunkDigest(bytes);
}

async function download(record: ModelRecord, onProgress: ProgressSink): Promise<void> {
  const previous = await get<ModelManifest>(record.id, manifests);
  const resumable = previous && previous.url === record.url && !previous.complete && previous.storedChunks > 0;
  if (previous && !resumable) await deleteModelFile(record.id);
  const start = resumable ? previous.storedChunks * previous.chunkBytes : 0;
  // Known size first: refuse before a single byte is fetched.
  await ensureSpace(record, (record.sizeBytes ?? 0) - start);
  if (resumable && previous.size > 0 && start >= previous.size) {
    await set(record.id, { ...previous, complete: true }, manifests); // stopped just before the last write
    return;
  }

  const response = await fetchModel(record, start > 0 ? `bytes=${start}-` : undefined);
  let size = Number(response.headers.get('content-length') ?? 0);
  if (start > 0) {
    const total = totalFromContentRange(response);
    if (response.status === 206 && total === previous?.size) {
      size = total;
    } else {
      // The server ignored Range or the file changed: what we have is no good, start over.
      await response.body?.cancel();
      await deleteModelFile(record.id);
      return download(record, onProgress);
    }
  }
  try {
    await ensureSpace(record, size - start);
  } catch (error) {
    await response.body?.cancel();
    throw error;
  }

  const chunkBytes = resumable ? previous.chunkBytes : chunkBytesFor(size || (record.sizeBytes ?? 0));
  const manifest: ModelManifest = {
    id: record.id,
    engine: record.engine,
    url: record.url,
    size,
    chunkBytes,
    storedChunks: start / chunkBytes,
    chunkHashes: resumable ? [...(previous.chunkHashes ?? [])].slice(0, previous.storedChunks) : [],
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

  const buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  const storeChunk = async () => {
    // new Blob copies the bytes, so the one buffer is reused for every chunk.
    const bytes = buffer.subarray(0, filled);
    await putChunk([record.id, manifest.storedChunks], new Blob([bytes]));
    manifest.chunkHashes!.push(await chunkDigest(bytes));
    manifest.storedChunks += 1;
    filled = 0;
    // The chunk is written before the manifest counts it: a crash between the two only
    // means that chunk is fetched again.
    await set(record.id, manifest, manifests);
  };

  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await readOrFail(reader, record);
    if (done) break;
    let offset = 0;
    while (offset < value.length) {
      const take = Math.min(value.length - offset, chunkBytes - filled);
      buffer.set(value.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === chunkBytes) await storeChunk();
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

async function fetchModel(record: ModelRecord, range: string | undefined): Promise<Response> {
  const headers: HeadersInit = range ? { Range: range } : {};
  let response: Response;
  try {
    response = await fetch(record.url, { headers, credentials: 'omit', cache: 'no-store' });
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
  if (!navigator.storage?.estimate || !(bytesNeeded > 0)) return;
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
  const available = Math.max(0, quota - usage);
  if (bytesNeeded > available) {
    throw new LlamaChatError(
      'quota-exceeded',
      `${record.id} needs ${formatMB(bytesNeeded)} (${bytesNeeded} bytes) of storage but only ${formatMB(available)} (${available} bytes) is available. Free some space (delete cached models or site data) and try again.`,
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
