// Model bytes as files in the origin private file system (OPFS), one file per stored model.
// A worker reads them with a synchronous access handle straight from disk, several GB/s where
// an IndexedDB Blob comes through the browser's Blob pipe at a tenth of that or less. The
// manifest that says which bytes are there stays in IndexedDB (database.ts). Where OPFS or its
// synchronous handles are missing (some private windows, older browsers) the store keeps its
// chunks in IndexedDB instead.

export const DIRECTORY = 'llama-chat-models';
/** A handle another tab holds (a read under way) blocks a delete for a moment: try again this often. */
const DELETE_ATTEMPTS = 5;
const DELETE_RETRY_MS = 100;
/** The same for a write's handle: another handle on the file is closed within moments. */
export const WRITE_ATTEMPTS = 10;
export const WRITE_RETRY_MS = 200;

interface SyncAccessHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  flush(): void;
  close(): void;
}
type SyncFileHandle = FileSystemFileHandle & {
  createSyncAccessHandle(options?: { mode?: 'read-only' | 'readwrite' }): Promise<SyncAccessHandle>;
};

let directory: Promise<FileSystemDirectoryHandle | undefined> | undefined;

/** The store's OPFS folder, or undefined where files cannot be used (then chunks go to IndexedDB). */
export function modelFilesDirectory(): Promise<FileSystemDirectoryHandle | undefined> {
  directory ??= (async () => {
    try {
      if (typeof FileSystemFileHandle === 'undefined' || !('createSyncAccessHandle' in FileSystemFileHandle.prototype)) return undefined;
      return await (await navigator.storage.getDirectory()).getDirectoryHandle(DIRECTORY, { create: true });
    } catch {
      return undefined; // no OPFS here (a private window, a storage policy)
    }
  })();
  return directory;
}

/** Forgets the folder handle (after the folder itself was removed). */
function resetModelFilesDirectory(): void {
  directory = undefined;
}

/** Model ids may hold "/" and other characters a file name cannot. */
export function fileName(id: string): string {
  return encodeURIComponent(id);
}

async function fileHandle(id: string, create = false, retry = true): Promise<SyncFileHandle | undefined> {
  const folder = await modelFilesDirectory();
  if (!folder) throw new Error('The model files folder is not available');
  try {
    return (await folder.getFileHandle(fileName(id), { create })) as SyncFileHandle;
  } catch (error) {
    if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
    if (!create) return undefined;
    if (!retry) throw error;
    // Another tab forgot everything and removed the folder under this one's handle: open it anew.
    resetModelFilesDirectory();
    return fileHandle(id, create, false);
  }
}

/**
 * Writes `bytes` at `offset` of model `id`'s file, on disk before it resolves. Once `signal` is
 * aborted (the download was dropped while this waited for the file) it writes nothing.
 */
export async function writeModelBytes(id: string, offset: number, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
  const handle = await writeHandle((await fileHandle(id, true))!);
  try {
    signal?.throwIfAborted();
    // A short write is a full disk or a private window's cap: the store's out-of-room error.
    if (handle.write(bytes, { at: offset }) !== bytes.length)
      throw new DOMException(`Only part of a chunk of ${id} was written`, 'QuotaExceededError');
    handle.flush();
  } finally {
    handle.close();
  }
}

/**
 * The file's one read-write handle. Another may still be open for a moment (one that a dropped
 * download was waiting for, closed as soon as it arrives; a read under way in another tab): the
 * browser then refuses at once, so a few tries, a moment apart, and then the refusal stands.
 */
async function writeHandle(file: SyncFileHandle): Promise<SyncAccessHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await file.createSyncAccessHandle();
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NoModificationAllowedError') || attempt >= WRITE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_MS));
    }
  }
}

/**
 * Model `id`'s file as a Blob whose reads go through a synchronous handle, opened read-only for
 * each read (so other tabs may read at once, and a delete is never held up for long). Anything
 * else a Blob does (stream(), text()) works as on any file. Undefined when there is no file.
 */
export async function openModelBytes(id: string): Promise<Blob | undefined> {
  const handle = await fileHandle(id);
  if (!handle) return undefined;
  return new FileBytes(handle, await handle.getFile(), 0);
}

/** Where the bytes of a Blob from openModelBytes() are, for a worker that reads the file itself. */
export function modelFileLocation(blob: Blob): { folder: string; name: string } | undefined {
  return blob instanceof FileBytes && blob.offset === 0 ? { folder: DIRECTORY, name: blob.handle.name } : undefined;
}

class FileBytes extends Blob {
  constructor(
    readonly handle: SyncFileHandle,
    snapshot: Blob,
    readonly offset: number,
  ) {
    super([snapshot]);
  }

  override slice(start?: number, end?: number, contentType?: string): Blob {
    const from = clamp(start ?? 0, this.size);
    const to = Math.max(from, clamp(end ?? this.size, this.size));
    return new FileBytes(this.handle, super.slice(from, to, contentType), this.offset + from);
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    let reader: SyncAccessHandle;
    try {
      reader = await this.handle.createSyncAccessHandle({ mode: 'read-only' });
    } catch {
      return super.arrayBuffer(); // another tab is writing the file: read it as any Blob
    }
    try {
      const bytes = new Uint8Array(this.size);
      const read = reader.read(bytes, { at: this.offset });
      if (read !== bytes.length) throw new DOMException(`The stored model file is shorter than expected`, 'NotReadableError');
      return bytes.buffer;
    } finally {
      reader.close();
    }
  }
}

/** Blob.slice's reading of a start or end: negative counts from the end. */
function clamp(position: number, size: number): number {
  return position < 0 ? Math.max(size + position, 0) : Math.min(position, size);
}

/** Removes model `id`'s file, if any. */
export async function deleteModelBytes(id: string): Promise<void> {
  const folder = await modelFilesDirectory();
  if (!folder) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await folder.removeEntry(fileName(id));
      return;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotFoundError') return;
      if (attempt >= DELETE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, DELETE_RETRY_MS));
    }
  }
}

/** Removes the whole folder (forgetting everything); false when another tab holds a file in it. */
export async function deleteAllModelBytes(): Promise<boolean> {
  if (!(await modelFilesDirectory())) return true;
  try {
    await (await navigator.storage.getDirectory()).removeEntry(DIRECTORY, { recursive: true });
    resetModelFilesDirectory();
    return true;
  } catch (error) {
    return error instanceof DOMException && error.name === 'NotFoundError';
  }
}
