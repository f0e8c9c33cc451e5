// Where a download's chunks go, and how: to the model's file by the store's writer, a worker
// of its own, while the download reads on (file-writer.ts); to the file on the download's own
// thread where no writer can start; to IndexedDB where files cannot be used. Each chunk's
// SHA-256 is taken before its bytes leave, and the manifest counts a chunk only once it is
// written. Once `signal` is aborted (the attempt was dropped), no chunk is handed on.
import { commitChunk, putChunk, type ModelManifest } from './database.js';
import { chunkDigest } from './digest.js';
import { startFileWriter, type FileWriter } from './file-writer.js';
import { DIRECTORY, fileName, WRITE_ATTEMPTS, WRITE_RETRY_MS, writeModelBytes } from './model-files.js';
import { storeOrFail } from './storage-space.js';
import { WritePipeline, type PipelineSteps } from './write-pipeline.js';

/** Chunks in memory with a writer: one being written, one waiting for it, one being filled. */
const WRITER_DEPTH = 3;

export interface ChunkStoring {
  /** A buffer of chunkBytes to fill; waits while every buffer is on its way to storage. */
  next(): Promise<Uint8Array<ArrayBuffer>>;
  /** Hands the next chunk's bytes over (a view over a buffer from next()). */
  put(bytes: Uint8Array<ArrayBuffer>): void;
  /** Resolves once every chunk handed over is stored and counted. */
  drain(): Promise<void>;
}

/** The storing of `manifest`'s chunks from chunk `manifest.storedChunks` on; `stored` hears of each chunk counted. */
export async function chunkStoring(manifest: ModelManifest, signal: AbortSignal, stored: () => void): Promise<ChunkStoring> {
  const writer = manifest.inFile ? await startFileWriter(DIRECTORY, WRITE_ATTEMPTS, WRITE_RETRY_MS) : undefined;
  if (writer) signal.addEventListener('abort', () => writer.close(), { once: true });
  const hashes = new Map<number, Promise<string>>();
  const hashOf = (index: number) => {
    const hash = hashes.get(index);
    hashes.delete(index);
    return hash;
  };
  const steps: PipelineSteps = {
    write: (index, bytes) => {
      signal.throwIfAborted();
      return storeOrFail(() => writeChunk(manifest, index, bytes, signal, writer, hashOf));
    },
    commit: async (index) => {
      // A chunk kept in IndexedDB was counted with its bytes, in one transaction.
      if (manifest.inFile) await storeOrFail(() => commitChunk(manifest, index, hashOf(index), signal));
      stored();
    },
  };
  const pipeline = new WritePipeline(steps, manifest.chunkBytes, writer ? WRITER_DEPTH : 1);
  let index = manifest.storedChunks;
  return {
    next: () => pipeline.next(),
    put(bytes) {
      // WebCrypto copies the bytes now and hashes them on another thread, before they are handed on.
      hashes.set(index, chunkDigest(bytes));
      pipeline.put(index++, bytes);
    },
    drain: () => pipeline.drain(),
  };
}

async function writeChunk(
  manifest: ModelManifest,
  index: number,
  bytes: Uint8Array<ArrayBuffer>,
  signal: AbortSignal,
  writer: FileWriter | undefined,
  hashOf: (index: number) => Promise<string> | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  const offset = index * manifest.chunkBytes;
  if (writer) return writer.write(fileName(manifest.id), offset, bytes);
  if (manifest.inFile) await writeModelBytes(manifest.id, offset, bytes, signal);
  else await putChunk(manifest, index, bytes, signal, hashOf(index));
  return new Uint8Array(bytes.buffer);
}
