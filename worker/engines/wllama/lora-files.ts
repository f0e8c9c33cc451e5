// wllama hands llama.cpp the model's files and nothing else (its issue #105: no way to give it
// a LoRA file), though its load takes `lora_adapters` paths. This puts the adapter files into
// llama.cpp's file system the way wllama puts the model's (its worker protocol, the same from
// 3.8.1 to 3.13.0 and checked by test/e2e/wllama-contract.spec.ts): before wllama starts
// llama.cpp, one `fs.alloc` per file (and, where the build reads no file lazily, an `fs.write`
// of its bytes); then llama.cpp's `fs.read_req` for an adapter (one file-reads.ts did not read
// from OPFS itself) is answered here from the adapter's Blob. Replies to these never reach wllama.

export interface LoraFile {
  /** Its name in llama.cpp's /models folder. */
  name: string;
  blob: Blob;
}

/** Where llama.cpp finds adapter `index` (the `lora_adapters` path). */
export function loraFileName(index: number): string {
  return `lora-${index}.gguf`;
}

interface WorkerReply {
  verb?: string;
  args?: unknown[];
  callbackId?: number;
  result?: unknown;
  err?: unknown;
}

/** Our task ids, far above wllama's (which count from 1), so neither side takes the other's replies. */
const FIRST_TASK_ID = 2_000_000_000;

/** What to attach to the llama.cpp worker that loads a model with `files` (llama-cpp-liveness.ts). */
export function mountLoraFiles(files: readonly LoraFile[]): (worker: Worker) => void {
  return (worker) => {
    if (files.length === 0) return;
    const byName = new Map(files.map((f) => [f.name, f.blob]));
    const post = worker.postMessage.bind(worker) as (message: unknown, transfer?: Transferable[]) => void;
    const waiting = new Map<number, (reply: WorkerReply) => void>();
    let nextTaskId = FIRST_TASK_ID;
    /** Whether the build holds files in memory (wllama's own fs.alloc for the model says). */
    let filesInMemory = false;
    let mounted = false;

    const ask = (verb: string, args: unknown[], transfer: Transferable[] = []) =>
      new Promise<unknown>((resolve, reject) => {
        const callbackId = nextTaskId++;
        waiting.set(callbackId, (reply) => (reply.err ? reject(new Error(String(reply.err))) : resolve(reply.result)));
        post({ verb, args, callbackId }, transfer);
      });

    const mount = async (): Promise<void> => {
      for (const file of files) {
        const { fileId } = (await ask('fs.alloc', [file.name, file.blob.size, filesInMemory])) as { fileId: number };
        if (!filesInMemory) continue;
        const bytes = new Uint8Array(await file.blob.arrayBuffer());
        await ask('fs.write', [fileId, bytes, 0], [bytes.buffer]);
      }
    };

    // wllama's messages to llama.cpp: its start waits until the adapters are there.
    worker.postMessage = ((message: WorkerReply, transfer?: Transferable[]) => {
      if (message?.verb === 'fs.alloc') filesInMemory = message.args?.[2] === true;
      if (message?.verb === 'wllama.start' && !mounted) {
        mounted = true;
        // A file that could not be put there makes llama.cpp's load fail, saying which path.
        void mount()
          .catch(() => {})
          .then(() => post(message, transfer));
        return;
      }
      post(message, transfer);
    }) as typeof worker.postMessage;

    // llama.cpp's messages: replies to the above, and reads of the adapters, are answered here.
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
      const data = event.data;
      const reply = data?.callbackId !== undefined ? waiting.get(data.callbackId) : undefined;
      if (reply) {
        waiting.delete(data.callbackId!);
        event.stopImmediatePropagation();
        return reply(data);
      }
      const [name, offset, size] = (data?.verb === 'fs.read_req' && data.args) || [];
      const blob = typeof name === 'string' ? byName.get(name) : undefined;
      if (!blob) return;
      event.stopImmediatePropagation();
      const start = Number(offset);
      blob
        .slice(start, start + Number(size))
        .arrayBuffer()
        // An unreadable file: llama.cpp gets no bytes, and its load fails instead of waiting.
        .catch(() => new ArrayBuffer(0))
        .then((buffer) => post({ verb: 'fs.read_res', args: [buffer] }, [buffer]));
    });
  };
}
