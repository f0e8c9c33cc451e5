// Downloading a model file into the store: chunk by chunk, each chunk committed with the
// manifest that counts it, resumed with an HTTP Range request after a break.
import { LlamaChatError } from '../../protocol/errors.js';
import type { LoadProgress, ModelRecord } from '../../protocol/types.js';
import type { Sink } from '../../protocol/worker-api.js';
import { bodyReader, type BodyRead, type BodyReader } from './body-reader.js';
import { chunkBytesFor } from './chunk-size.js';
import { deleteModel, getManifest, putChunk, putManifest, type ModelManifest } from './database.js';
import { chunkDigest } from './digest.js';
import { modelFilesDirectory } from './model-files.js';
import { PrefixInspection, type Inspect } from './prefix-inspection.js';

const PROGRESS_INTERVAL_MS = 100;

export interface DownloadOptions {
  /** The size a listing declares for the file (an MLC shard's `nbytes`): any other size is refused with `integrity`. */
  exactSize?: number;
  /**
   * Looks at the file's first bytes (up to INSPECT_BYTES) and its size before any of it is stored;
   * what it throws ends the download, nothing kept. Not called when a download resumes.
   */
  inspect?: Inspect;
  /** Runs once the space for the file is known to be there, before its first request: what it throws refuses it. */
  beforeRequest?: () => void;
}

/** Downloads `record`'s file into the store, resuming a partial copy of the same URL. */
export async function download(record: ModelRecord, onProgress: Sink<LoadProgress>, options: DownloadOptions = {}): Promise<void> {
  const { exactSize } = options;
  const previous = await getManifest(record.id);
  const resumable = previous && previous.url === record.url && !previous.complete && previous.storedChunks > 0;
  if (previous && !resumable) await deleteModel(record.id);
  const start = resumable ? previous.storedChunks * previous.chunkBytes : 0;
  // Known size first: refuse before a single byte is fetched.
  await ensureSpace(record, (exactSize ?? record.sizeBytes ?? 0) - start);
  options.beforeRequest?.();
  if (resumable && previous.size > 0 && start >= previous.size) {
    await putManifest({ ...previous, complete: true }); // stopped just before the last write
    return;
  }

  const response = await fetchModel(record, start > 0 ? `bytes=${start}-` : undefined);
  // A compressed body's Content-Length counts compressed bytes, not the file's.
  let size = isEncoded(response) ? 0 : Number(response.headers.get('content-length') ?? 0);
  if (start > 0) {
    const total = totalFromContentRange(response);
    if (response.status === 206 && total === previous?.size) {
      size = total;
    } else {
      // The server ignored Range or the file changed: what we have is no good, start over.
      await response.body?.cancel();
      await deleteModel(record.id);
      return download(record, onProgress, options);
    }
  }
  if (exactSize !== undefined && size && size !== exactSize) {
    // Refused before its body: a file of another size is another file.
    await response.body?.cancel();
    await deleteModel(record.id);
    throw wrongSize(record, size, exactSize);
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
    chunkHashes: resumable ? previous.chunkHashes.slice(0, previous.storedChunks) : [],
    complete: false,
    lastUsed: Date.now(),
    // A resumed download stays where it began; a new one goes to a file wherever files work.
    inFile: resumable ? previous.inFile : !!(await modelFilesDirectory()),
  };
  await putManifest(manifest);

  const total = size || exactSize || record.sizeBytes || 0;
  let loaded = start;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    onProgress({ phase: 'download', loaded, total, text: `Downloading ${record.label ?? record.id}` });
  };
  report(true);

  let buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  const storeChunk = async () => {
    // Storing copies the bytes (to disk or into a Blob), so the one buffer is reused for every chunk.
    const bytes = buffer.subarray(0, filled);
    const index = manifest.storedChunks;
    manifest.chunkHashes.push(await chunkDigest(bytes));
    manifest.storedChunks += 1;
    filled = 0;
    await storeOrFail(() => putChunk(manifest, index, bytes));
  };

  const body = bodyReader(response.body!);
  const inspection = start === 0 && options.inspect ? new PrefixInspection(options.inspect, size || total) : undefined;
  for (;;) {
    const read = await readOrFail(body, buffer, filled, record);
    buffer = read.buffer;
    if (inspection && !(await inspection.look(read.done ? undefined : buffer.subarray(filled, filled + read.bytes)))) {
      await body.cancel().catch(() => {});
      await deleteModel(record.id);
      throw inspection.failure;
    }
    if (read.done) break;
    // More than Content-Length can only be a compressed body whose encoding this page may not read.
    if (size && loaded + read.bytes > size) size = 0;
    const limit = exactSize ?? byteLimit(record, size);
    if (loaded + read.bytes > limit) {
      await body.cancel().catch(() => {});
      await deleteModel(record.id);
      throw new LlamaChatError(
        'integrity',
        `The server sent more than the ${limit} bytes expected for ${record.id}, so the download was stopped and discarded. Check the model URL and the record's sizeBytes.`,
      );
    }
    filled += read.bytes;
    loaded += read.bytes;
    if (filled === chunkBytes) await storeChunk();
    report(false);
  }
  if (filled > 0) await storeChunk();
  report(true);

  if (size && loaded !== size) {
    throw new LlamaChatError('network', `The download of ${record.id} ended after ${loaded} of ${size} bytes. Try again to resume it.`);
  }
  if (exactSize !== undefined && loaded !== exactSize) {
    await deleteModel(record.id);
    throw wrongSize(record, loaded, exactSize);
  }
  await putManifest({ ...manifest, size: loaded, complete: true });
}

/** Never store more than the file can be: its Content-Length, else the record's size (published sizes are rounded: 5% more). */
function byteLimit(record: ModelRecord, contentLength: number): number {
  if (contentLength) return contentLength;
  return record.sizeBytes ? Math.ceil(record.sizeBytes * 1.05) : Number.POSITIVE_INFINITY;
}

function wrongSize(record: ModelRecord, size: number, expected: number): LlamaChatError {
  return new LlamaChatError(
    'integrity',
    `The server's ${shownUrl(record.url)} has ${size} bytes where the model's listing says ${expected}, so it was refused and nothing of it kept. The server may be serving another version of the model.`,
  );
}

function isEncoded(response: Response): boolean {
  const encoding = response.headers.get('content-encoding');
  return !!encoding && encoding !== 'identity';
}

/** Bytes `start`..`end` (inclusive) of the model file, for repairing one chunk. */
export async function fetchRange(record: ModelRecord, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetchModel(record, `bytes=${start}-${end}`);
  const bytes = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (response.status !== 206 || bytes.length !== end - start + 1) {
    throw new LlamaChatError('network', `Could not download a damaged part of ${record.id} again. Try again.`);
  }
  return bytes;
}

async function fetchModel(record: ModelRecord, range: string | undefined): Promise<Response> {
  const headers: HeadersInit = range ? { Range: range } : {};
  let response: Response;
  try {
    response = await fetch(record.url, { headers, ...MODEL_REQUEST });
  } catch {
    throw await unreachable(record);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    const what = response.status === 404 ? 'has no file at' : `answered ${response.status} for`;
    throw new LlamaChatError('network', `The model server ${what} ${shownUrl(record.url)}. Check the model URL, then try again.`);
  }
  return response;
}

/** Model requests carry nothing about the page or the person: no cookies, no referrer. */
const MODEL_REQUEST: RequestInit = { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' };

/**
 * Why a fetch failed without an answer: a server that answers an opaque (no-cors) request but
 * refused the real one does not allow this page to read it (CORS); otherwise it was unreachable.
 */
async function unreachable(record: ModelRecord): Promise<LlamaChatError> {
  const answers = await fetch(record.url, { ...MODEL_REQUEST, method: 'HEAD', mode: 'no-cors' }).then(
    () => true,
    () => false,
  );
  const host = new URL(record.url).host;
  return answers
    ? new LlamaChatError(
        'network',
        `The server ${host} does not let this page read ${shownUrl(record.url)} (no CORS permission). Serve the model with Access-Control-Allow-Origin for this site, or from this site itself.`,
      )
    : new LlamaChatError('network', `Could not reach ${host} to download the model. Check the connection and try again.`);
}

/** A URL as people see it: without its query string (signed URLs carry secrets there). */
function shownUrl(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}

async function readOrFail(body: BodyReader, buffer: Uint8Array<ArrayBuffer>, from: number, record: ModelRecord): Promise<BodyRead> {
  try {
    return await body.readInto(buffer, from);
  } catch {
    throw new LlamaChatError('network', `The connection dropped while downloading ${record.id}. Try again to resume where it stopped.`);
  }
}

function totalFromContentRange(response: Response): number {
  // "bytes 100-199/2000" → 2000
  const total = response.headers.get('content-range')?.split('/')[1];
  return total && total !== '*' ? Number(total) : 0;
}

export async function ensureSpace(record: ModelRecord, bytesNeeded: number): Promise<void> {
  if (!navigator.storage?.estimate || !(bytesNeeded > 0)) return;
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
  if (bytesNeeded > quota) {
    // No amount of freeing space can help: the model is larger than all this site may store.
    throw new LlamaChatError(
      'bad-input',
      `${record.id} needs ${formatMB(bytesNeeded)} of storage, more than this browser lets the site store at all (${formatMB(quota)}). Choose a smaller model.`,
    );
  }
  const available = Math.max(0, quota - usage);
  if (bytesNeeded > available) {
    throw new LlamaChatError(
      'quota-exceeded',
      `${record.id} needs ${formatMB(bytesNeeded)} (${bytesNeeded} bytes) of storage but only ${formatMB(available)} (${available} bytes) is available. Free some space (delete cached models or site data) and try again.`,
    );
  }
}

export async function storeOrFail(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new LlamaChatError(
        'quota-exceeded',
        'The browser ran out of storage while saving the model. Free some space (a private window keeps far less than a normal one: open the page in a normal window) and try again; the download resumes where it stopped.',
      );
    }
    if (error instanceof DOMException) {
      // Never a bad input of the page's: what the browser refused, and the way on (its storage).
      throw new LlamaChatError(
        'quota-exceeded',
        `The browser refused to save the model (${error.name}: ${error.message}). Free some space, or allow this site to store data, and try again; the download resumes where it stopped.`,
      );
    }
    throw error;
  }
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
