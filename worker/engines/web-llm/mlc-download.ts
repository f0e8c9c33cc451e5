// An MLC model's download (Llama 3.1 8B: about 4.5 GB in a hundred shards), done by the model
// store instead of web-llm's fetcher: every file chunked and resumable with Range, its size
// checked against tensor-cache.json and its SHA-256 against the record's, then written into
// web-llm's own cache where its reload looks, and its chunks dropped. One progress stream, in
// bytes, for the whole model. web-llm's reload then finds everything cached.
import { LlamaChatError } from '../../../protocol/errors.js';
import type { ModelRecord } from '../../../protocol/types.js';
import { deleteModel, getFolder, getManifest, putFolder, type FolderFile, type FolderManifest } from '../../store/database.js';
import { chunkDigest } from '../../store/digest.js';
import { ensureSpace, storeOrFail } from '../../store/storage-space.js';
import { withModelLock } from '../../store/model-lock.js';
import { openModelFile } from '../../store/model-store.js';
import type { StallTimes } from '../../store/stall-watchdog.js';
import type { ProgressSink } from '../engine.js';
import {
  checkModelLibrary,
  checkTensorCache,
  configFile,
  contentFiles,
  fileStoreId,
  parseChatConfig,
  parseTensorCache,
  tensorCacheFile,
  type MlcFile,
  type TensorCache,
} from './mlc-files.js';
import { deleteFiles } from './mlc-stored.js';
import { hasEntries, readEntry, writeEntry } from './webllm-cache.js';
import { inParallel } from '../../in-parallel.js';

/**
 * Downloads whatever of `record`'s files web-llm's cache lacks. Tabs wait for each other. Each
 * file's download has the store's stall watchdog (`stallTimes`: its times, the defaults where absent).
 */
export async function downloadMlcModel(record: ModelRecord, onProgress: ProgressSink, stallTimes?: Partial<StallTimes>): Promise<void> {
  return withModelLock(record.id, onProgress, (onProgress) => new MlcDownload(record, onProgress, stallTimes).run());
}

/**
 * Shards downloaded at once. One at a time, each shard's request, checks and writes left the
 * link idle in between (the 8B's 108 shards stored at a quarter of the GGUF path's speed); a few
 * keep it busy, and hold only a few shards (about 40 MB each) in memory.
 */
const FILES_IN_FLIGHT = 4;

class MlcDownload {
  private folder!: FolderManifest;
  /** Bytes so far of each file under way (several at once). */
  private readonly underWay = new Map<FolderFile, number>();
  /** True once every file is listed: only then is the total known. */
  private planned = false;

  constructor(
    private readonly record: ModelRecord,
    private readonly onProgress: ProgressSink,
    private readonly stallTimes: Partial<StallTimes> | undefined,
  ) {}

  async run(): Promise<void> {
    const { record } = this;
    const stored = await getFolder(record.id);
    this.folder = stored?.url === record.url ? stored : { id: record.id, engine: 'web-llm', url: record.url, files: [], lastUsed: 0 };
    if (stored && stored !== this.folder) await deleteFiles(record.id, stored.files); // the model moved
    this.folder.lastUsed = Date.now(); // a partial download counts as use: it is listed by it
    const config = parseChatConfig(record, (await this.obtain(configFile(record))) as ArrayBuffer);
    const tensorCache = (await this.obtain(tensorCacheFile(record))) as TensorCache;
    const content = contentFiles(record, config, tensorCache);
    await this.plan([configFile(record), tensorCacheFile(record), ...content]);

    // Before the first byte of the weights: the space they need.
    let needed = 0;
    for (const file of content) if (!this.entry(file).done) needed += (file.bytes ?? 0) - (await this.partialBytes(file));
    await ensureSpace(record, needed);
    const missing = content.filter((file) => !this.entry(file).done);
    // The tokenizer and the model library first, in turn: a library that is none is refused
    // before a byte of the weights is asked for. Then the weights' shards, a few at once.
    for (const file of missing) if (file.bytes === undefined) await this.obtain(file);
    await inParallel(
      missing.filter((file) => file.bytes !== undefined),
      FILES_IN_FLIGHT,
      (file) => this.obtain(file),
    );
    await putFolder(this.folder);
  }

  /** The folder's entry for `file`, added when new. */
  private entry(file: MlcFile): FolderFile {
    let entry = this.folder.files.find((f) => f.url === file.url && f.database === file.database);
    if (!entry) {
      entry = { name: file.name, url: file.url, database: file.database, bytes: file.bytes ?? 0, done: false };
      this.folder.files.push(entry);
    }
    return entry;
  }

  /** Lists every file; drops what an older listing had and this one does not (a changed library URL). */
  private async plan(files: MlcFile[]): Promise<void> {
    const entries = files.map((file) => this.entry(file));
    const stale = this.folder.files.filter((f) => !entries.includes(f));
    if (stale.length > 0) await deleteFiles(this.record.id, stale);
    this.folder.files = entries;
    // Already in web-llm's cache (put there by web-llm itself, or just before a crash): keep it.
    for (const [index, file] of files.entries()) {
      const entry = entries[index]!;
      if (entry.done || !(await hasEntries(file.database, [file.url]))) continue;
      if (!entry.bytes) entry.bytes = byteSize(await readEntry(file.database, file.url));
      entry.done = true;
      await deleteModel(fileStoreId(this.record.id, file.name));
    }
    this.planned = true;
    await putFolder(this.folder);
  }

  private async partialBytes(file: MlcFile): Promise<number> {
    const manifest = await getManifest(fileStoreId(this.record.id, file.name));
    return manifest ? manifest.storedChunks * manifest.chunkBytes : 0;
  }

  /** The whole model's progress; `text`: what the store says of a file beyond its bytes (it waits on the server, it resumes). */
  private report(text = `Downloading ${this.record.label ?? this.record.id}`): void {
    const files = this.folder.files;
    let current = 0;
    for (const loaded of this.underWay.values()) current += loaded; // a finished file leaves it as it turns done
    const done = files.reduce((sum, f) => sum + (f.done ? f.bytes : 0), 0);
    const known = this.planned && files.every((f) => f.bytes > 0);
    const total = known ? files.reduce((sum, f) => sum + f.bytes, 0) : 0;
    this.onProgress({ phase: 'download', loaded: done + current, total, text });
  }

  /** `file`'s data as web-llm keeps it: from its cache, or downloaded, checked and written there. */
  private async obtain(file: MlcFile): Promise<ArrayBuffer | object> {
    const entry = this.entry(file);
    if (entry.done) {
      const cached = await readEntry(file.database, file.url);
      if (cached !== undefined) return file.form === 'json' ? checkTensorCache(this.record, cached) : (cached as ArrayBuffer);
      entry.done = false; // gone from web-llm's cache since: fetch it again
    }
    const bytes = await this.download(file, entry);
    if (file.database === 'webllm/wasm') await checkModelLibrary(this.record, bytes);
    const data = file.form === 'json' ? parseTensorCache(this.record, bytes) : bytes;
    await storeOrFail(() => writeEntry(file.database, file.url, data));
    entry.done = true;
    entry.bytes = bytes.byteLength;
    this.underWay.delete(entry);
    await putFolder(this.folder);
    await deleteModel(fileStoreId(this.record.id, file.name));
    return data;
  }

  /** The file's bytes through the model store: resumed, size- and hash-checked. */
  private async download(file: MlcFile, entry: FolderFile, again = true): Promise<ArrayBuffer> {
    const id = fileStoreId(this.record.id, file.name);
    const fileRecord: ModelRecord = {
      id,
      engine: 'web-llm',
      url: file.url,
      label: `${this.record.label ?? this.record.id} (${file.name})`,
      ...(file.sha256 ? { sha256: file.sha256 } : {}),
    };
    const blob = await openModelFile(
      fileRecord,
      (progress) => {
        if (progress.phase !== 'download') return; // the store's own hash pass: a step of this download
        if (!entry.bytes && progress.total > 0) entry.bytes = progress.total;
        this.underWay.set(entry, progress.loaded);
        this.report(progress.text.startsWith('Downloading ') ? undefined : progress.text);
      },
      { ...(file.bytes !== undefined ? { exactSize: file.bytes } : {}), ...(this.stallTimes ? { stallTimes: this.stallTimes } : {}) },
    );
    const bytes = await blob.arrayBuffer();
    if (file.bytes !== undefined && bytes.byteLength !== file.bytes) {
      await deleteModel(id);
      throw new LlamaChatError(
        'integrity',
        `${file.url} has ${bytes.byteLength} bytes where tensor-cache.json says ${file.bytes}, so it was refused and nothing of it kept.`,
      );
    }
    // Without a hash for the whole file, each chunk's own hash finds damage done while it sat stored.
    if (!file.sha256 && (await damaged(id, bytes))) {
      await deleteModel(id);
      if (again) return this.download(file, entry, false);
      throw new LlamaChatError('integrity', `The stored parts of ${file.url} keep changing after download. Try again.`);
    }
    return bytes;
  }
}

/** True when a chunk of stored file `id` no longer has the hash it arrived with. */
async function damaged(id: string, bytes: ArrayBuffer): Promise<boolean> {
  const manifest = await getManifest(id);
  if (!manifest) return false;
  for (let index = 0; index < manifest.storedChunks; index++) {
    const chunk = new Uint8Array(
      bytes,
      index * manifest.chunkBytes,
      Math.min(manifest.chunkBytes, bytes.byteLength - index * manifest.chunkBytes),
    );
    if ((await chunkDigest(chunk)) !== manifest.chunkHashes[index]) return true;
  }
  return false;
}

function byteSize(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  return new TextEncoder().encode(JSON.stringify(data)).length; // a listing web-llm keeps parsed
}
