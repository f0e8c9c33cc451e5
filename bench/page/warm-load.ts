// Figure 6, a warm load taken apart: reading the stored model as the store does (its OPFS file
// with synchronous reads in a worker, or IndexedDB chunks where it keeps them), the same file
// as a plain Blob, and wllama alone ingesting the same bytes from a Blob in memory, from bytes
// in memory without a Blob, and from the stored file as a plain Blob.
import type { ModelRecord } from 'llama-chat';
import type { Wllama } from '@wllama/wllama/esm/index.js';
import { loadDirectWllama, timeDirectLoad } from './direct-wllama.js';
import type { IngestSource, StoreReadRun } from './protocol.js';
import { answerFromWorker } from './source-worker.js';

const STORE_DATABASE = 'llama-chat-store';
const FILES_DIRECTORY = 'llama-chat-models';
/** One read: the store's chunk size, and the largest tensor llama.cpp asks for in this model. */
const READ_BYTES = 16 * 1024 * 1024;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The stored model as one plain Blob (worker/store/database.ts), and whether it is an OPFS file. */
async function storedFile(id: string): Promise<{ file: Blob; inFile: boolean }> {
  const db = await request(indexedDB.open(STORE_DATABASE));
  try {
    const manifest = (await request(db.transaction('manifests').objectStore('manifests').get(id))) as { inFile?: boolean } | undefined;
    if (!manifest) throw new Error(`${id} is not in the store: load it once first`);
    if (manifest.inFile) {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(FILES_DIRECTORY);
      return { file: await (await folder.getFileHandle(encodeURIComponent(id))).getFile(), inFile: true };
    }
    const chunks = db.transaction('chunks').objectStore('chunks');
    return { file: new Blob((await request(chunks.getAll(IDBKeyRange.bound([id, 0], [id, Infinity])))) as Blob[]), inFile: false };
  } finally {
    db.close();
  }
}

/**
 * Milliseconds for a worker to read model `id`'s OPFS file as llama.cpp's worker does while a
 * model loads (worker/engines/wllama/file-reads.ts): a read-only synchronous handle opened for
 * each 16 MB read, into a buffer reused from read to read; and the same into a new buffer each time.
 */
export async function timeFileReadsInWorker(id: string): Promise<{ reusedMs: number; freshMs: number }> {
  const source = `onmessage = async ({ data: { folder, name, readBytes } }) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
    const handle = await dir.getFileHandle(name);
    const size = (await handle.getFile()).size;
    const readAll = async (reuse) => {
      const startedAt = performance.now();
      const kept = new Uint8Array(readBytes);
      for (let at = 0; at < size; at += readBytes) {
        const reader = await handle.createSyncAccessHandle({ mode: 'read-only' });
        const length = Math.min(readBytes, size - at);
        reader.read(reuse ? kept.subarray(0, length) : new Uint8Array(length), { at });
        reader.close();
      }
      return performance.now() - startedAt;
    };
    postMessage({ reusedMs: await readAll(true), freshMs: await readAll(false) });
  };`;
  return answerFromWorker(source, { folder: FILES_DIRECTORY, name: encodeURIComponent(id), readBytes: READ_BYTES }, 'file read worker');
}

/** Milliseconds to read every byte of `file` into this thread, `parallel` reads in flight. */
async function timeReadAll(file: Blob, parallel: number): Promise<number> {
  const startedAt = performance.now();
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < file.size) {
      const start = next;
      next += READ_BYTES;
      await file.slice(start, start + READ_BYTES).arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: parallel }, reader));
  return performance.now() - startedAt;
}

let inMemory: ArrayBuffer | undefined;

/** A Blob over bytes in memory whose reads are plain copies: the engine's ingest without any Blob read. */
function bytesAsBlob(bytes: ArrayBuffer, start = 0, end = bytes.byteLength): Blob {
  return new (class extends Blob {
    override get size(): number {
      return end - start;
    }
    override slice(from = 0, to = end - start): Blob {
      return bytesAsBlob(bytes, start + from, Math.min(start + to, end));
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      return Promise.resolve(bytes.slice(start, end));
    }
  })([]);
}

/** The store's read of every byte; the same file as a plain Blob, one read and four at a time; a Blob made in memory. */
export async function readStore(id: string): Promise<StoreReadRun> {
  const startedAt = performance.now();
  const { file, inFile } = await storedFile(id);
  const handlesMs = performance.now() - startedAt;
  const fileReads = inFile ? await timeFileReadsInWorker(id) : undefined;
  const sequentialMs = await timeReadAll(file, 1);
  const parallelMs = await timeReadAll(file, 4);
  inMemory = await file.arrayBuffer();
  const inMemoryMs = await timeReadAll(new Blob([inMemory]), 1);
  return {
    bytes: file.size,
    inFile,
    handlesMs,
    storeMs: fileReads?.reusedMs ?? sequentialMs,
    freshBuffersMs: fileReads?.freshMs ?? sequentialMs,
    sequentialMs,
    parallelMs,
    inMemoryMs,
  };
}

/** new Wllama() → loadModel() resolved, fed the bytes from `source`. */
export async function wllamaIngest(record: ModelRecord, wasmUrl: string, source: IngestSource): Promise<number> {
  if (source !== 'stored' && !inMemory) throw new Error('readStore() first: it reads the bytes into memory');
  const file =
    source === 'stored' ? (await storedFile(record.id)).file : source === 'memory' ? new Blob([inMemory!]) : bytesAsBlob(inMemory!);
  return timeDirectLoad(file, record, wasmUrl);
}

let alone: Wllama | undefined;

/** wllama alone loading the stored file in this tab, kept until unloadAlone(): the yardstick for the library's memory. */
export async function loadAlone(record: ModelRecord, wasmUrl: string): Promise<number> {
  const { file } = await storedFile(record.id);
  const startedAt = performance.now();
  alone = await loadDirectWllama(file, record, wasmUrl);
  return performance.now() - startedAt;
}

export async function unloadAlone(): Promise<void> {
  await alone?.exit();
  alone = undefined;
}
