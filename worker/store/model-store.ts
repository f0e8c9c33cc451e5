// The project's own store of model files: downloaded in chunks so a broken download resumes
// with an HTTP Range request (download.ts), kept as one file per model in OPFS (model-files.ts,
// read at disk speed) or, where OPFS is missing, as chunks in IndexedDB, and handed to the
// engine as a Blob it reads from, without a network request and without a copy in memory.
// Each chunk's SHA-256 is kept, so a damaged chunk is found and fetched again on its own.
import { LlamaChatError } from '../../protocol/errors.js';
import { LORA_STORE_PREFIX } from '../../protocol/lora-adapters.js';
import type { CachedModel, LoadProgress, ModelRecord } from '../../protocol/types.js';
import type { Sink } from '../../protocol/worker-api.js';
import {
  deleteModel,
  getManifest,
  keptInMemoryOnly,
  listManifests,
  putChunk,
  putManifest,
  readStoredBytes,
  storeExists,
  type ModelManifest,
} from './database.js';
import { chunkDigest, FileDigest } from './digest.js';
import { download, type DownloadOptions } from './download.js';
import { withModelLock } from './model-lock.js';
import { fetchRange } from './model-requests.js';

type ProgressSink = Sink<LoadProgress>;

/**
 * The model file as one Blob: from IndexedDB when complete, otherwise downloaded (or resumed)
 * first. Tabs loading the same model wait for each other instead of downloading it twice.
 */
export async function openModelFile(record: ModelRecord, onProgress: ProgressSink, options: DownloadOptions = {}): Promise<Blob> {
  return withModelLock(record.id, onProgress, async (onProgress) => {
    const stored = await readComplete(record, onProgress, options);
    if (stored) return stored;
    await download(record, onProgress, options);
    const downloaded = await readComplete(record, onProgress, options);
    if (!downloaded) throw new LlamaChatError('integrity', `The stored copy of ${record.id} is incomplete. Try again.`);
    if (await keptInMemoryOnly()) {
      const text = `${record.label ?? record.id} is ready for this visit only`;
      onProgress({ phase: 'load', loaded: 0, total: downloaded.size, text, notice: IN_MEMORY_NOTICE });
    }
    return downloaded;
  });
}

/** What a person is told where the browser keeps nothing for the site (some private windows). */
const IN_MEMORY_NOTICE =
  'This browser keeps no files for this site (a private window, or storage switched off), so the model will download again on your next visit.';

async function readComplete(record: ModelRecord, onProgress: ProgressSink, options: DownloadOptions): Promise<Blob | undefined> {
  const manifest = await getManifest(record.id);
  if (!manifest?.complete || manifest.url !== record.url) return undefined;
  const file = await assemble(manifest);
  if (!file) {
    // Evicted or damaged: start over rather than hand the engine a broken file.
    await deleteModel(record.id);
    return undefined;
  }
  const sha256 = fileSha256(record);
  const checked = sha256 ? await verified(record, sha256, manifest, file, onProgress, options) : file;
  await putManifest({ ...manifest, lastUsed: Date.now() });
  return checked;
}

/** The stored file as one Blob, or undefined when any of it is missing or the size is wrong. */
async function assemble(manifest: ModelManifest): Promise<Blob | undefined> {
  const file = await readStoredBytes(manifest);
  return file?.size === manifest.size ? file : undefined;
}

/**
 * Hashes the stored `file` chunk by chunk against the record's SHA-256 and returns the file to
 * hand over. Damaged chunks (their own hash changed since download) are fetched again and the
 * user is told; a file that was wrong from the start is deleted and reported.
 */
async function verified(
  record: ModelRecord,
  sha256: string,
  manifest: ModelManifest,
  file: Blob,
  onProgress: ProgressSink,
  options: DownloadOptions,
  repairs = 1,
): Promise<Blob> {
  const name = record.label ?? record.id;
  const whole = new FileDigest();
  const damaged: number[] = [];
  for (let index = 0; index < manifest.storedChunks; index++) {
    const start = index * manifest.chunkBytes;
    const bytes = new Uint8Array(await file.slice(start, start + manifest.chunkBytes).arrayBuffer());
    if ((await chunkDigest(bytes)) !== manifest.chunkHashes[index]) damaged.push(index);
    whole.update(bytes);
    onProgress({ phase: 'load', loaded: index * manifest.chunkBytes + bytes.length, total: manifest.size, text: `Checking ${name}` });
  }
  const digest = whole.hex();
  if (digest === sha256) return file;

  if (damaged.length > 0 && repairs > 0) {
    const parts = `${damaged.length} damaged part${damaged.length === 1 ? '' : 's'}`;
    const total = damaged.length * manifest.chunkBytes;
    onProgress({
      phase: 'download',
      loaded: 0,
      total,
      text: `${parts} of the stored ${name} found; downloading ${damaged.length === 1 ? 'it' : 'them'} again`,
    });
    for (const index of damaged) await refetchChunk(record, manifest, index, options);
    // Chunks in IndexedDB are new Blobs now: read the file again.
    return verified(record, sha256, manifest, (await assemble(manifest)) ?? file, onProgress, options, repairs - 1);
  }
  await deleteModel(record.id);
  throw new LlamaChatError(
    'integrity',
    `${record.id} failed its integrity check: its SHA-256 is ${digest}, the page expects ${sha256}. The server may be serving a different file; the download was discarded.`,
  );
}

async function refetchChunk(record: ModelRecord, manifest: ModelManifest, index: number, options: DownloadOptions): Promise<void> {
  const start = index * manifest.chunkBytes;
  const end = Math.min(manifest.size, start + manifest.chunkBytes) - 1;
  const bytes = await fetchRange(record, start, end, options.stallTimes);
  manifest.chunkHashes[index] = await chunkDigest(bytes);
  await putChunk(manifest, index, bytes);
}

/** The file of `record` is stored complete (from the same URL). */
export async function isModelFileStored(record: ModelRecord): Promise<boolean> {
  if (!(await storeExists())) return false;
  const manifest = await getManifest(record.id);
  return !!manifest?.complete && manifest.url === record.url;
}

export function deleteModelFile(id: string): Promise<void> {
  return deleteModel(id);
}

/** Rethrows `error`; a stored file it calls damaged (`integrity`) is deleted first, so trying again downloads it afresh. */
export async function discardIfDamaged(id: string, error: unknown): Promise<never> {
  if (error instanceof LlamaChatError && error.code === 'integrity') await deleteModel(id).catch(() => {});
  throw error;
}

/** The hash of a one-file model (a map of hashes belongs to a folder model: see ModelRecord). */
function fileSha256(record: ModelRecord): string | undefined {
  return typeof record.sha256 === 'string' ? record.sha256.toLowerCase() : undefined;
}

/** The model files `engine` keeps in the store (web-llm's partial files are counted by its adapter). */
export async function listModelFiles(engine: ModelRecord['engine']): Promise<CachedModel[]> {
  if (!(await storeExists())) return [];
  const manifests = (await listManifests()).filter((m) => m.engine === engine);
  return manifests.map((m) => ({
    id: m.id,
    engine: m.engine,
    bytes: m.complete ? m.size : m.storedChunks * m.chunkBytes,
    complete: m.complete,
    lastUsed: m.lastUsed,
    ...(m.id.startsWith(LORA_STORE_PREFIX) ? { loraAdapter: true } : {}),
  }));
}
