// Figure 6, a warm load taken apart: reading the stored model out of IndexedDB, and wllama
// alone ingesting the same bytes from a Blob in memory, from bytes in memory without a Blob,
// and from the stored Blob. The store is read here on the page through its own database, as
// the worker reads it.
import type { ModelRecord } from 'llama-chat';
import { LoggerWithoutDebug, Wllama } from '@wllama/wllama/esm/index.js';
import type { IngestSource, StoreReadRun } from './protocol.js';

const STORE_DATABASE = 'llama-chat-store';
/** One read: the store's chunk size, and the largest tensor llama.cpp asks for in this model. */
const READ_BYTES = 16 * 1024 * 1024;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The stored model as one Blob, as worker/store/model-store.ts assembles it. */
async function storedFile(id: string): Promise<Blob> {
  const db = await request(indexedDB.open(STORE_DATABASE));
  try {
    const chunks = db.transaction('chunks').objectStore('chunks');
    const parts = (await request(chunks.getAll(IDBKeyRange.bound([id, 0], [id, Infinity])))) as Blob[];
    if (parts.length === 0) throw new Error(`${id} is not in the store: load it once first`);
    return new Blob(parts);
  } finally {
    db.close();
  }
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

/** IndexedDB → Blob → every byte, one read and four at a time; then the same bytes from a Blob made in memory. */
export async function readStore(id: string): Promise<StoreReadRun> {
  const startedAt = performance.now();
  const stored = await storedFile(id);
  const handlesMs = performance.now() - startedAt;
  const sequentialMs = await timeReadAll(stored, 1);
  const parallelMs = await timeReadAll(stored, 4);
  inMemory = await stored.arrayBuffer();
  const inMemoryMs = await timeReadAll(new Blob([inMemory]), 1);
  return { bytes: stored.size, handlesMs, sequentialMs, parallelMs, inMemoryMs };
}

/** new Wllama() → loadModel() resolved, with the engine's settings for one thread on the CPU. */
export async function wllamaIngest(record: ModelRecord, wasmUrl: string, source: IngestSource): Promise<number> {
  if (source !== 'stored' && !inMemory) throw new Error('readStore() first: it reads the bytes into memory');
  const file = source === 'stored' ? await storedFile(record.id) : source === 'memory' ? new Blob([inMemory!]) : bytesAsBlob(inMemory!);
  const startedAt = performance.now();
  const wllama = new Wllama({ default: wasmUrl }, { logger: LoggerWithoutDebug, suppressNativeLog: true });
  wllama.setCompat(null);
  await wllama.loadModel([file], { n_ctx: record.contextLength, n_threads: 1, n_gpu_layers: 0, n_parallel: 1 });
  const ms = performance.now() - startedAt;
  await wllama.exit();
  return ms;
}
