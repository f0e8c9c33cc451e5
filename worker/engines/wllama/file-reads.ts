// While a model loads, llama.cpp asks for the file a tensor at a time ("fs.read_req" to wllama
// in our worker, which reads the Blob and sends the bytes back for llama.cpp to copy into its
// memory). When the model is a file in the store's OPFS folder, llama.cpp's worker reads it
// itself instead: a read-only synchronous read per request, into buffers it reuses and
// frees itself. No round trip, no Blob read, no garbage the size of the model left behind.
// Anything that goes wrong sends the request on to wllama as before. (wllama's protocol, the same
// from 3.8.1 to 3.13.0 and checked by test/e2e/wllama-contract.spec.ts: fs.read_req [name, offset,
// size] → fs.read_res [ArrayBuffer].)

export interface ModelFileLocation {
  /** The store's OPFS folder and the file's name in it (worker/store/model-files.ts). */
  folder: string;
  name: string;
}

/** The largest tensor answered from the one resizable buffer (address space reserved, not memory). */
const MAX_ANSWER_BYTES = 1024 * 1024 * 1024;

/** Installed in llama.cpp's worker before its own code. Self-contained: its source is what runs there. */
function readModelFileHere(location: ModelFileLocation, maxAnswerBytes: number): void {
  type Reader = { read(buffer: Uint8Array, options: { at: number }): number; close(): void };
  type FileHandle = FileSystemFileHandle & { createSyncAccessHandle(options?: { mode?: 'read-only' }): Promise<Reader> };
  const post = self.postMessage.bind(self) as (message: unknown, transfer?: Transferable[]) => void;
  let file: Promise<FileHandle> | undefined;

  // Two buffers for the whole load, whatever its size: the file is read into `scratch` (grown to
  // the largest tensor so far), and llama.cpp is answered with `answer`, one resizable buffer set
  // to each request's size and filled from it (a read may not go into a resizable buffer).
  // llama.cpp copies each answer before it asks again, so nothing is allocated per tensor, and
  // both are let go as soon as the load ends. (Measured: peak and settled memory both lower than
  // with a buffer kept per tensor size, and than answering with `scratch` itself.)
  type Resizable = ArrayBuffer & { resize(length: number): void };
  let scratch = new ArrayBuffer(0);
  let answer: Resizable | undefined;
  const letGo = (buffer: ArrayBuffer | undefined): void => {
    try {
      (buffer as (ArrayBuffer & { transfer?(length: number): ArrayBuffer }) | undefined)?.transfer?.(0); // freed now, not at the next collection
    } catch {
      // already let go
    }
  };
  const scratchFor = (size: number): ArrayBuffer => {
    if (scratch.byteLength < size) scratch = new ArrayBuffer(size);
    return scratch;
  };
  const answerWith = (size: number): ArrayBuffer => {
    try {
      answer ??= new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => Resizable)(0, {
        maxByteLength: maxAnswerBytes,
      });
      answer.resize(size);
    } catch {
      return scratch.slice(0, size); // no resizable buffers here: a copy per tensor, as before them
    }
    new Uint8Array(answer).set(new Uint8Array(scratch, 0, size));
    return answer;
  };
  const letAllGo = (): void => {
    letGo(scratch);
    letGo(answer);
    scratch = new ArrayBuffer(0);
    answer = undefined;
  };
  const read = async (offset: number, size: number): Promise<ArrayBuffer> => {
    file ??= navigator.storage
      .getDirectory()
      .then((root) => root.getDirectoryHandle(location.folder))
      .then((folder) => folder.getFileHandle(location.name) as Promise<FileHandle>);
    const reader = await (await file).createSyncAccessHandle({ mode: 'read-only' });
    try {
      if (reader.read(new Uint8Array(scratchFor(size), 0, size), { at: offset }) !== size) throw new Error('short read');
      return answerWith(size);
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
  return `(${readModelFileHere.toString()})(${JSON.stringify(location)}, ${MAX_ANSWER_BYTES});\n`;
}
