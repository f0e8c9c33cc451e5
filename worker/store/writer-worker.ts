// The model store's writer: a worker of its own, started by the engine worker, that writes
// downloaded chunks to their OPFS file. A synchronous write of 16 MB takes 50–160 ms, and on
// the download's thread nothing is read from the network meanwhile; here the download reads
// the next chunk while this one is written. Its source is one self-contained function started
// from a `blob:` URL (as llama.cpp's workers are), so it needs no file or bundler entry of its
// own and runs wherever the engine worker does, from any origin.

/** One chunk to write: `bytes` (its buffer transferred here and back) at `offset` of file `name`. */
export interface WriteRequest {
  name: string;
  offset: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/** What the writer answers: it started, or one request's outcome with its buffer handed back. */
export type WriterReply =
  | { ready: true }
  | { written: number; bytes: Uint8Array<ArrayBuffer> }
  | { failed: { name: string; message: string }; bytes: Uint8Array<ArrayBuffer> };

interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  flush(): void;
  close(): void;
}

/** What the function uses of its worker's global scope (the DOM's types describe a window). */
interface WriterScope {
  onmessage: ((event: MessageEvent<WriteRequest>) => void) | null;
  postMessage(message: WriterReply, transfer?: Transferable[]): void;
}

/**
 * The writer's whole program. Self-contained (it refers to nothing outside itself): its source
 * text is the worker's script. Each write opens the file's handle, writes, flushes and closes
 * it, as the same-thread write does (model-files.ts), so other tabs and deletes see the same file.
 */
function writerMain(folderName: string, attempts: number, retryMs: number): void {
  const scope = self as unknown as WriterScope;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const isNamed = (error: unknown, name: string) => error instanceof DOMException && error.name === name;
  let folder: Promise<FileSystemDirectoryHandle> | undefined;
  const file = async (name: string, retry = true): Promise<FileSystemFileHandle> => {
    folder ??= navigator.storage.getDirectory().then((root) => root.getDirectoryHandle(folderName, { create: true }));
    try {
      return await (await folder).getFileHandle(name, { create: true });
    } catch (error) {
      folder = undefined;
      // Another tab forgot everything and removed the folder under this handle: open it anew.
      if (retry && isNamed(error, 'NotFoundError')) return file(name, false);
      throw error;
    }
  };
  const handle = async (name: string): Promise<SyncAccessHandle> => {
    const target = (await file(name)) as FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> };
    for (let attempt = 1; ; attempt++) {
      try {
        return await target.createSyncAccessHandle();
      } catch (error) {
        // Another handle on the file (a read in another tab) is closed within moments.
        if (!isNamed(error, 'NoModificationAllowedError') || attempt >= attempts) throw error;
        await pause(retryMs);
      }
    }
  };
  scope.onmessage = async ({ data: { name, offset, bytes } }) => {
    try {
      const access = await handle(name);
      let written: number;
      try {
        written = access.write(bytes, { at: offset });
        if (written === bytes.length) access.flush();
      } finally {
        access.close();
      }
      scope.postMessage({ written, bytes }, [bytes.buffer]);
    } catch (error) {
      const failed = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      scope.postMessage({ failed, bytes }, [bytes.buffer]);
    }
  };
  scope.postMessage({ ready: true });
}

/** The writer's script, for `folderName`, trying a busy file `attempts` times `retryMs` apart. */
export function writerSource(folderName: string, attempts: number, retryMs: number): string {
  return `(${writerMain.toString()})(${JSON.stringify(folderName)}, ${attempts}, ${retryMs});\n`;
}
