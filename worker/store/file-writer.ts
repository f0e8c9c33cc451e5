// The engine worker's side of the store's writer (writer-worker.ts): starts it, hands it one
// chunk at a time, and gets each buffer back. Where it cannot start (no nested workers, as in
// a SharedWorker; a policy that refuses it) the download writes on its own thread as before.
import { writerSource, type WriteRequest, type WriterReply } from './writer-worker.js';

/** The writer stopped (it crashed, or was ended) with a chunk in its hands: that chunk is lost. */
export class WriterLost extends Error {
  constructor() {
    super("The model store's writer stopped");
  }
}

export interface FileWriter {
  /** Writes `bytes` at `offset` of file `name`, on disk when it resolves; the bytes' buffer comes back, whole. */
  write(name: string, offset: number, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /** Ends the writer at once: a write it was given may still land, nothing after it will. */
  close(): void;
}

/** How long a writer may take to start before the download writes on its own thread. */
const START_TIMEOUT_MS = 5_000;

/** Set once a writer started and then died: this worker writes on its own thread from then on. */
let lost = false;

/** A started writer for `folderName`, or undefined where none can start (then write on this thread). */
export async function startFileWriter(folderName: string, attempts: number, retryMs: number): Promise<FileWriter | undefined> {
  if (lost || typeof Worker !== 'function') return undefined;
  // A blob: URL of this worker's origin (a worker script from dist/'s origin, a CDN, would be refused);
  // under Trusted Types it goes through the library's policy (trusted-types.ts wraps Worker here).
  const url = URL.createObjectURL(new Blob([writerSource(folderName, attempts, retryMs)], { type: 'text/javascript' }));
  let worker: Worker;
  try {
    worker = new Worker(url, { name: 'llama-chat-writer' });
  } catch {
    URL.revokeObjectURL(url);
    return undefined; // refused here (a policy, no nested workers)
  }
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
    worker.onmessage = (event: MessageEvent<WriterReply>) => {
      clearTimeout(timer);
      resolve('ready' in event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      resolve(false);
    };
  });
  URL.revokeObjectURL(url);
  if (!started) {
    worker.terminate();
    return undefined;
  }
  return new NestedWriter(worker);
}

class NestedWriter implements FileWriter {
  private pending: { resolve(bytes: Uint8Array<ArrayBuffer>): void; reject(error: unknown): void } | undefined;
  private closed = false;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<WriterReply>) => this.answer(event.data);
    const die = (event: Event) => {
      event.preventDefault();
      lost = true;
      this.end(new WriterLost());
    };
    worker.onerror = die;
    worker.onmessageerror = die;
  }

  write(name: string, offset: number, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
    if (this.closed) return Promise.reject(new WriterLost());
    if (this.pending) return Promise.reject(new Error('unreachable: the writer takes one chunk at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const request: WriteRequest = { name, offset, bytes };
      this.worker.postMessage(request, [bytes.buffer]);
    });
  }

  close(): void {
    this.end(new WriterLost());
  }

  private end(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.pending?.reject(error);
    this.pending = undefined;
  }

  private answer(reply: WriterReply): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending || 'ready' in reply) return;
    const bytes = new Uint8Array(reply.bytes.buffer); // the whole buffer, ready for the next chunk
    if ('failed' in reply) return pending.reject(new DOMException(reply.failed.message, reply.failed.name));
    // A short write is a full disk or a private window's cap: the store's out-of-room error.
    if (reply.written !== reply.bytes.length)
      return pending.reject(new DOMException('Only part of a chunk was written', 'QuotaExceededError'));
    pending.resolve(bytes);
  }
}
