// One attempt at downloading a model file into the store: from its last stored chunk (an HTTP
// Range request) to its end, each chunk committed with the manifest that counts it. The attempt
// ends when the file is complete, when something fails, or when the download's stall watchdog
// drops it (no byte for its time): then it ends at once, whatever it was waiting on, and nothing
// it had under way writes anything more, so download.ts can resume from what is stored.
import { LlamaChatError } from '../../protocol/errors.js';
import type { LoadProgress, ModelRecord } from '../../protocol/types.js';
import type { Sink } from '../../protocol/worker-api.js';
import { bodyReader, type BodyRead, type BodyReader } from './body-reader.js';
import { chunkBytesFor } from './chunk-size.js';
import { chunkStoring } from './chunk-storing.js';
import { deleteModel, getManifest, putManifest, type ModelManifest } from './database.js';
import { WriterLost } from './file-writer.js';
import { modelFilesDirectory } from './model-files.js';
import { fetchModel, isEncoded, shownUrl, totalFromContentRange } from './model-requests.js';
import { PrefixInspection, type Inspect } from './prefix-inspection.js';
import type { StallWatchdog } from './stall-watchdog.js';
import { ensureSpace } from './storage-space.js';

const PROGRESS_INTERVAL_MS = 100;

export interface AttemptOptions {
  exactSize?: number;
  inspect?: Inspect;
  beforeRequest?: () => void;
}

/** What a stalled attempt was waiting on: the server's next bytes, or the browser (storage, our own pipeline). */
export type Waiting = 'server' | 'browser';

/** The attempt gained no byte for the watchdog's time; `stored` bytes (of `total`) are kept, where the next attempt begins. */
export class Stalled extends Error {
  constructor(
    readonly waiting: Waiting,
    readonly stored: number,
    readonly total: number,
  ) {
    super(`The download stalled waiting on the ${waiting}`);
  }
}

/** The server ignored Range or the file changed: what was kept is deleted, and the download starts over. */
export class StartOver extends Error {}

export class DownloadAttempt {
  private readonly control = new AbortController();
  private waiting: Waiting = 'browser';
  private loaded = 0;
  private total = 0;
  private lastReport = 0;

  constructor(
    private readonly record: ModelRecord,
    private readonly onProgress: Sink<LoadProgress>,
    private readonly options: AttemptOptions,
    private readonly watchdog: StallWatchdog,
    /** Bytes known to be stored already (a stalled attempt's): where this one stands until it reads the manifest. */
    private stored = 0,
  ) {}

  /** Runs the attempt to the file's end; rejects with Stalled when the watchdog drops it. */
  async run(): Promise<void> {
    const { signal } = this.control;
    const stop = this.watchdog.watch({
      quiet: (silentMs) => this.report(true, waitingText(this.waiting, this.record, silentMs)),
      stalled: () => this.control.abort(new Stalled(this.waiting, this.stored, this.total)),
    });
    const dropped = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    dropped.catch(() => {});
    try {
      await Promise.race([this.download(), dropped]);
    } catch (error) {
      // The writer died with chunks in its hands: what it wrote is counted, and the download resumes from there.
      throw error instanceof WriterLost ? new Stalled('browser', this.stored, this.total) : error;
    } finally {
      stop();
      this.control.abort(); // a request still open (a failure midway) is dropped; a finished one is untouched
    }
  }

  /** Waits for `promise`, then goes on only if the attempt was not dropped meanwhile. */
  private async step<T>(promise: Promise<T>): Promise<T> {
    const value = await promise;
    this.control.signal.throwIfAborted();
    return value;
  }

  private report(force: boolean, text = `Downloading ${this.record.label ?? this.record.id}`): void {
    const now = performance.now();
    if (!force && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    this.onProgress({ phase: 'download', loaded: this.loaded, total: this.total, text });
  }

  private async download(): Promise<void> {
    const { record, options } = this;
    const { exactSize } = options;
    const previous = await this.step(getManifest(record.id));
    const resumable = previous && previous.url === record.url && !previous.complete && previous.storedChunks > 0;
    if (previous && !resumable) await this.step(deleteModel(record.id));
    const start = resumable ? previous.storedChunks * previous.chunkBytes : 0;
    this.stored = this.loaded = start;
    this.total = exactSize ?? record.sizeBytes ?? (resumable ? previous.size : 0);
    // Known size first: refuse before a single byte is fetched.
    await this.step(ensureSpace(record, (exactSize ?? record.sizeBytes ?? 0) - start));
    options.beforeRequest?.();
    if (resumable && previous.size > 0 && start >= previous.size) {
      await this.step(putManifest({ ...previous, complete: true })); // stopped just before the last write
      return;
    }

    this.waiting = 'server';
    const response = await this.step(fetchModel(record, start > 0 ? `bytes=${start}-` : undefined, this.control.signal));
    this.waiting = 'browser';
    // A compressed body's Content-Length counts compressed bytes, not the file's.
    let size = isEncoded(response) ? 0 : Number(response.headers.get('content-length') ?? 0);
    if (start > 0) {
      const total = totalFromContentRange(response);
      if (response.status === 206 && total === previous?.size) {
        size = total;
      } else {
        await response.body?.cancel();
        await this.step(deleteModel(record.id));
        throw new StartOver();
      }
    }
    if (exactSize !== undefined && size && size !== exactSize) {
      // Refused before its body: a file of another size is another file.
      await response.body?.cancel();
      await this.step(deleteModel(record.id));
      throw wrongSize(record, size, exactSize);
    }
    try {
      await this.step(ensureSpace(record, size - start));
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
      inFile: resumable ? previous.inFile : !!(await this.step(modelFilesDirectory())),
    };
    await this.step(putManifest(manifest));
    await this.body(response, manifest, start, size);
  }

  private async body(response: Response, manifest: ModelManifest, start: number, contentSize: number): Promise<void> {
    const { record, options, watchdog } = this;
    const { exactSize } = options;
    const { chunkBytes } = manifest;
    let size = contentSize;
    this.total = size || exactSize || record.sizeBytes || 0;
    this.loaded = start;
    this.report(true);

    const storing = await this.step(
      chunkStoring(manifest, this.control.signal, () => {
        this.stored = manifest.storedChunks * chunkBytes;
        watchdog.gained(); // a chunk on disk is progress too
      }),
    );
    this.waiting = 'browser';
    let buffer = await this.step(storing.next());
    let filled = 0;
    const storeChunk = async () => {
      // The buffer goes to storage (a writer of its own, reading on meanwhile); the next comes when one is free.
      storing.put(buffer.subarray(0, filled));
      filled = 0;
      buffer = await this.step(storing.next()); // waiting on the browser, as after every read
    };

    const body = bodyReader(response.body!);
    // The chunks on their way are written first: a write that came after the delete would make the file again.
    const discard = async () => {
      await body.cancel().catch(() => {});
      await storing.drain().catch(() => {});
      await deleteModel(record.id);
    };
    const inspection = start === 0 && options.inspect ? new PrefixInspection(options.inspect, size || this.total) : undefined;
    for (;;) {
      this.waiting = 'server';
      const read = await this.step(readOrFail(body, buffer, filled, record, this.control.signal));
      this.waiting = 'browser';
      buffer = read.buffer;
      if (read.bytes > 0) watchdog.gained();
      if (inspection && !(await this.step(inspection.look(read.done ? undefined : buffer.subarray(filled, filled + read.bytes))))) {
        await discard();
        throw inspection.failure;
      }
      if (read.done) break;
      // More than Content-Length can only be a compressed body whose encoding this page may not read.
      if (size && this.loaded + read.bytes > size) size = 0;
      const limit = exactSize ?? byteLimit(record, size);
      if (this.loaded + read.bytes > limit) {
        await discard();
        throw new LlamaChatError(
          'integrity',
          `The server sent more than the ${limit} bytes expected for ${record.id}, so the download was stopped and discarded. Check the model URL and the record's sizeBytes.`,
        );
      }
      filled += read.bytes;
      this.loaded += read.bytes;
      if (filled === chunkBytes) await storeChunk();
      this.report(false);
    }
    if (filled > 0) storing.put(buffer.subarray(0, filled));
    await this.step(storing.drain());
    this.report(true);

    if (size && this.loaded !== size) {
      throw new LlamaChatError(
        'network',
        `The download of ${record.id} ended after ${this.loaded} of ${size} bytes. Try again to resume it.`,
      );
    }
    if (exactSize !== undefined && this.loaded !== exactSize) {
      await deleteModel(record.id);
      throw wrongSize(record, this.loaded, exactSize);
    }
    await this.step(putManifest({ ...manifest, size: this.loaded, complete: true }));
  }
}

/** What progress says while no byte comes: who the download waits on, and for how long. */
function waitingText(waiting: Waiting, record: ModelRecord, silentMs: number): string {
  const seconds = Math.round(silentMs / 1000);
  return waiting === 'server'
    ? `Waiting for the server… (no data for ${seconds} s)`
    : `Waiting for the browser to store ${record.label ?? record.id}… (${seconds} s)`;
}

/** Never store more than the file can be: its Content-Length, else the record's size (published sizes are rounded: 5% more). */
function byteLimit(record: ModelRecord, contentLength: number): number {
  if (contentLength) return contentLength;
  return record.sizeBytes ? Math.ceil(record.sizeBytes * 1.05) : Number.POSITIVE_INFINITY;
}

export function wrongSize(record: ModelRecord, size: number, expected: number): LlamaChatError {
  return new LlamaChatError(
    'integrity',
    `The server's ${shownUrl(record.url)} has ${size} bytes where the model's listing says ${expected}, so it was refused and nothing of it kept. The server may be serving another version of the model.`,
  );
}

async function readOrFail(
  body: BodyReader,
  buffer: Uint8Array<ArrayBuffer>,
  from: number,
  record: ModelRecord,
  signal: AbortSignal,
): Promise<BodyRead> {
  try {
    return await body.readInto(buffer, from);
  } catch (error) {
    if (signal.aborted) throw error; // dropped by the watchdog: not a dropped connection
    throw new LlamaChatError('network', `The connection dropped while downloading ${record.id}. Try again to resume where it stopped.`);
  }
}
