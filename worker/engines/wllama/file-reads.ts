// While a model loads, llama.cpp asks for the file a tensor at a time ("fs.read_req" to wllama
// in our worker, which reads the Blob and sends the bytes back for llama.cpp to copy into its
// memory). When the model is a file in the store's OPFS folder, llama.cpp's worker reads it
// itself instead: a read-only synchronous read per request, into a buffer it frees as soon as
// llama.cpp has copied it. No round trip, no Blob read, no garbage left behind.
// Anything that goes wrong sends the request on to wllama as before. (wllama's protocol, the same
// from 3.8.1 to 3.13.0 and checked by test/e2e/wllama-contract.spec.ts: fs.read_req [name, offset,
// size] → fs.read_res [ArrayBuffer].)

export interface ModelFileLocation {
  /** The store's OPFS folder and the file's name in it (worker/store/model-files.ts). */
  folder: string;
  name: string;
}

/** Installed in llama.cpp's worker before its own code. Self-contained: its source is what runs there. */
function readModelFileHere(location: ModelFileLocation): void {
  type Reader = { read(buffer: Uint8Array, options: { at: number }): number; close(): void };
  type FileHandle = FileSystemFileHandle & { createSyncAccessHandle(options?: { mode?: 'read-only' }): Promise<Reader> };
  const post = self.postMessage.bind(self) as (message: unknown, transfer?: Transferable[]) => void;
  let file: Promise<FileHandle> | undefined;

  // One buffer per request, of its size: the file is read straight into it and llama.cpp is
  // answered with it. llama.cpp copies each answer into its memory before it asks again, so the
  // last one is let go (freed at once, not at some later collection) at each request and when a
  // task ends: no more than one tensor's bytes outside llama.cpp at any time, none left behind.
  // (Measured: a scratch buffer copied into a resizable answer left one tensor's size of garbage.)
  let answer: ArrayBuffer | undefined;
  const letGo = (): void => {
    try {
      (answer as (ArrayBuffer & { transfer?(length: number): ArrayBuffer }) | undefined)?.transfer?.(0);
    } catch {
      // already let go
    }
    answer = undefined;
  };
  const read = async (offset: number, size: number): Promise<ArrayBuffer> => {
    file ??= navigator.storage
      .getDirectory()
      .then((root) => root.getDirectoryHandle(location.folder))
      .then((folder) => folder.getFileHandle(location.name) as Promise<FileHandle>);
    const reader = await (await file).createSyncAccessHandle({ mode: 'read-only' });
    try {
      letGo();
      answer = new ArrayBuffer(size);
      if (reader.read(new Uint8Array(answer), { at: offset }) !== size) throw new Error('short read');
      return answer;
    } finally {
      reader.close();
    }
  };

  self.postMessage = ((message: { verb?: string; args?: [string, number, number]; callbackId?: number }, transfer?: Transferable[]) => {
    if (message?.verb !== 'fs.read_req' || !message.args) {
      if (message?.callbackId !== undefined) letGo(); // a task ended (the load among them): no more reads for now
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
  return `(${readModelFileHere.toString()})(${JSON.stringify(location)});\n`;
}
