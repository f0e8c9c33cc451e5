// While a model loads, llama.cpp asks for the file a tensor at a time ("fs.read_req" to wllama
// in our worker, which reads the Blob and sends the bytes back for llama.cpp to copy into its
// memory). When the model is a file in the store's OPFS folder, llama.cpp's worker reads it
// itself instead: a read-only synchronous read per request, into buffers it reuses and
// frees itself. No round trip, no Blob read, no garbage the size of the model left behind.
// Anything that goes wrong sends the request on to wllama as before. (wllama 3.8.1's protocol,
// pinned in package.json: fs.read_req [name, offset, size] → fs.read_res [ArrayBuffer].)

export interface ModelFileLocation {
  /** The store's OPFS folder and the file's name in it (worker/store/model-files.ts). */
  folder: string;
  name: string;
}

/** Read buffers kept for reuse while a model loads, at most. */
const KEPT_BUFFER_BYTES = 64 * 1024 * 1024;

/** Installed in llama.cpp's worker before its own code. Self-contained: its source is what runs there. */
function readModelFileHere(location: ModelFileLocation, keptBufferBytes: number): void {
  type Reader = { read(buffer: Uint8Array, options: { at: number }): number; close(): void };
  type FileHandle = FileSystemFileHandle & { createSyncAccessHandle(options?: { mode?: 'read-only' }): Promise<Reader> };
  const post = self.postMessage.bind(self) as (message: unknown, transfer?: Transferable[]) => void;
  let file: Promise<FileHandle> | undefined;

  // Tensors of a layer repeat in size from layer to layer: a buffer per size, kept while the model
  // loads (within a budget), saves faulting in fresh memory for each. A buffer is let go (its
  // memory freed at once, not whenever the collector runs) as soon as llama.cpp has copied it:
  // one not kept at the next request, the kept ones when loading ends.
  const kept = new Map<number, ArrayBuffer>();
  let keptBytes = 0;
  let loose: ArrayBuffer | undefined;
  const letGo = (buffer: ArrayBuffer | undefined): void => {
    try {
      (buffer as (ArrayBuffer & { transfer?(length: number): ArrayBuffer }) | undefined)?.transfer?.(0);
    } catch {
      // already let go
    }
  };
  const bufferFor = (size: number): ArrayBuffer => {
    letGo(loose);
    loose = undefined;
    let buffer = kept.get(size);
    if (!buffer) {
      buffer = new ArrayBuffer(size);
      if (keptBytes + size <= keptBufferBytes) {
        kept.set(size, buffer);
        keptBytes += size;
      } else {
        loose = buffer;
      }
    }
    return buffer;
  };
  const letAllGo = (): void => {
    for (const buffer of kept.values()) letGo(buffer);
    kept.clear();
    keptBytes = 0;
    letGo(loose);
    loose = undefined;
  };
  const read = async (offset: number, size: number): Promise<ArrayBuffer> => {
    file ??= navigator.storage
      .getDirectory()
      .then((root) => root.getDirectoryHandle(location.folder))
      .then((folder) => folder.getFileHandle(location.name) as Promise<FileHandle>);
    const reader = await (await file).createSyncAccessHandle({ mode: 'read-only' });
    try {
      const buffer = bufferFor(size);
      if (reader.read(new Uint8Array(buffer), { at: offset }) !== size) throw new Error('short read');
      return buffer;
    } finally {
      reader.close();
    }
  };

  self.postMessage = ((message: { verb?: string; args?: [string, number, number]; callbackId?: number }, transfer?: Transferable[]) => {
    if (message?.verb !== 'fs.read_req' || !message.args) {
      if (message?.callbackId !== undefined) letAllGo(); // a task ended (the load among them): no more reads for now
      return post(message, transfer);
    }
    const [, offset, size] = message.args;
    read(Number(offset), Number(size)).then(
      (buffer) => (self.onmessage as ((event: { data: unknown }) => void) | null)?.({ data: { verb: 'fs.read_res', args: [buffer] } }),
      () => post(message, transfer), // wllama reads it from the Blob, as without this
    );
  }) as typeof self.postMessage;
}

/** The source that installs the above in a llama.cpp worker loading the file at `location`. */
export function fileReadsSource(location: ModelFileLocation): string {
  return `(${readModelFileHere.toString()})(${JSON.stringify(location)}, ${KEPT_BUFFER_BYTES});\n`;
}
