// While a model loads, llama.cpp asks for the file a tensor at a time ("fs.read_req" to wllama
// in our worker, which reads the Blob and sends the bytes back for llama.cpp to copy into its
// memory). For each file in the store's OPFS folder (the model, its LoRA adapters), llama.cpp's
// worker reads it itself instead: read-only synchronous reads for each request, into buffers it reuses. No round
// trip, no Blob read, no garbage the size of the model left behind.
// Anything that goes wrong sends the request on to wllama as before. (wllama's protocol, the same
// from 3.8.1 to 3.13.0 and checked by test/e2e/wllama-contract.spec.ts: fs.read_req [name, offset,
// size] → fs.read_res [ArrayBuffer].)

/** wllama's name for a model of one file in llama.cpp's /models folder (its prepareBlobs). */
export const WLLAMA_MODEL_FILE = 'model-00001-of-00001.gguf';

export interface ModelFileLocation {
  /** The store's OPFS folder and the file's name in it (worker/store/model-files.ts). */
  folder: string;
  name: string;
}

/** The largest tensor answered from the one resizable buffer (address space reserved, not memory). */
const MAX_ANSWER_BYTES = 1024 * 1024 * 1024;
/** The file is read this much at a time, into one buffer of this size. */
const PIECE_BYTES = 1024 * 1024;

/** Installed in llama.cpp's worker before its own code. Self-contained: its source is what runs there. */
function readModelFileHere(locations: Record<string, ModelFileLocation>, maxAnswerBytes: number, pieceBytes: number): void {
  type Reader = { read(buffer: Uint8Array, options: { at: number }): number; close(): void };
  type FileHandle = FileSystemFileHandle & { createSyncAccessHandle(options?: { mode?: 'read-only' }): Promise<Reader> };
  type Resizable = ArrayBuffer & { resize(length: number): void };
  const post = self.postMessage.bind(self) as (message: unknown, transfer?: Transferable[]) => void;
  const files = new Map<string, Promise<FileHandle>>();

  // llama.cpp is answered with `answer`, one resizable buffer set to each request's size, filled
  // from the file a piece at a time through `piece`, one small buffer (a read may not go into a
  // resizable buffer). llama.cpp copies each answer before it asks again, so nothing is allocated
  // per tensor, and `answer` is freed (not left to the collector) when a task ends. A buffer that
  // a read has filled stays until a collection, whatever JavaScript does with it (the browser's
  // side of the read keeps it): so that is the small one. Measured on the bench's model: reading
  // into a buffer per tensor peaked at 2.5 times the model's size, and a scratch buffer grown to
  // the largest tensor left that much behind.
  let piece: ArrayBuffer | undefined;
  let answer: Resizable | undefined;
  const letGo = (): void => {
    try {
      (answer as (ArrayBuffer & { transfer?(length: number): ArrayBuffer }) | undefined)?.transfer?.(0); // freed now
    } catch {
      // already let go
    }
    answer = undefined;
  };
  const answerOf = (size: number): ArrayBuffer => {
    try {
      answer ??= new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => Resizable)(0, {
        maxByteLength: maxAnswerBytes,
      });
      answer.resize(size);
      return answer;
    } catch {
      return new ArrayBuffer(size); // no resizable buffers here: one of its own per tensor, as before them
    }
  };
  const read = async (location: ModelFileLocation, offset: number, size: number): Promise<ArrayBuffer> => {
    const key = `${location.folder}/${location.name}`;
    const file =
      files.get(key) ??
      navigator.storage
        .getDirectory()
        .then((root) => root.getDirectoryHandle(location.folder))
        .then((folder) => folder.getFileHandle(location.name) as Promise<FileHandle>);
    files.set(key, file);
    const reader = await (await file).createSyncAccessHandle({ mode: 'read-only' });
    try {
      const into = answerOf(size);
      piece ??= new ArrayBuffer(pieceBytes);
      for (let at = 0; at < size; at += pieceBytes) {
        const length = Math.min(pieceBytes, size - at);
        const bytes = new Uint8Array(piece, 0, length);
        if (reader.read(bytes, { at: offset + at }) !== length) throw new Error('short read');
        new Uint8Array(into, at, length).set(bytes);
      }
      return into;
    } finally {
      reader.close();
    }
  };

  self.postMessage = ((message: { verb?: string; args?: [string, number, number]; callbackId?: number }, transfer?: Transferable[]) => {
    const location = message?.verb === 'fs.read_req' && message.args ? locations[message.args[0]] : undefined;
    if (!location || !message.args) {
      if (message?.callbackId !== undefined) letGo(); // a task ended (the load among them): no more reads for now
      return post(message, transfer); // another message, or a file this does not know: wllama's worker answers
    }
    const [, offset, size] = message.args;
    read(location, Number(offset), Number(size)).then(
      (buffer) => (self.onmessage as ((event: { data: unknown }) => void) | null)?.({ data: { verb: 'fs.read_res', args: [buffer] } }),
      () => post(message, transfer), // wllama reads it from the Blob, as without this
    );
  }) as typeof self.postMessage;
}

/** The source that installs the above in a llama.cpp worker, for the files (by wllama's name for each) in OPFS. */
export function fileReadsSource(locations: Record<string, ModelFileLocation>): string {
  if (Object.keys(locations).length === 0) return '';
  return `(${readModelFileHere.toString()})(${JSON.stringify(locations)}, ${MAX_ANSWER_BYTES}, ${PIECE_BYTES});\n`;
}
