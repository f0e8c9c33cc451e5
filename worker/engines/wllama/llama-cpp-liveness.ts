// wllama runs llama.cpp in a module worker of its own, started from a blob: URL. Each one is
// started with a first line that holds a life lock, so its end (a crash, a silent close(), a
// thread that is gone) is seen here and what waits on it fails instead of waiting forever.
import { LlamaChatError } from '../../../protocol/errors.js';
import { whenReleased } from '../../../protocol/life-lock.js';
import { TRUST_BLOB_WORKERS_SOURCE } from '../../trusted-types.js';

type DeathListener = (error: LlamaChatError) => void;
const listeners = new Set<DeathListener>();
let installed = false;
let nextPrelude = '';
let nextAttach: ((worker: Worker) => void) | undefined;

/**
 * Code the next llama.cpp worker started here runs before its own (file-reads.ts), and what is
 * attached to that worker here before wllama talks to it (lora-files.ts).
 */
export function startNextLlamaCppWith(prelude: string, attach?: (worker: Worker) => void): void {
  nextPrelude = prelude;
  nextAttach = attach;
}

/** Calls `listener` when a llama.cpp worker ends without being terminated; returns an unsubscribe. */
export function onLlamaCppDeath(listener: DeathListener): () => void {
  install();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function install(): void {
  if (installed) return;
  installed = true;
  // The Blob behind each script URL made here, so a worker can be started from the same code
  // with the lock line in front (a Blob of Blobs: nothing is read, and no nested import that a
  // strict script-src would refuse).
  const scripts = new Map<string, Blob>();
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (object: Blob | MediaSource) => {
    const url = createObjectURL(object);
    if (object instanceof Blob && object.type.includes('javascript')) scripts.set(url, object);
    return url;
  };

  const NativeWorker = globalThis.Worker;
  globalThis.Worker = class WatchedWorker extends NativeWorker {
    private readonly watching = new AbortController();

    constructor(url: string | URL, options?: WorkerOptions) {
      const code = scripts.get(String(url));
      const lock = `llama-chat:llama.cpp:${crypto.randomUUID()}`;
      const holdLock = `navigator.locks?.request(${JSON.stringify(lock)}, () => new Promise(() => {}));\n`;
      const prelude = code ? nextPrelude : '';
      const attach = code ? nextAttach : undefined;
      if (code) [nextPrelude, nextAttach] = ['', undefined];
      // Its threads start from the same script: under Trusted Types they need the policy there too.
      super(code ? createObjectURL(new Blob([holdLock, TRUST_BLOB_WORKERS_SOURCE, prelude, code], { type: code.type })) : url, options);
      scripts.delete(String(url));
      if (!code) return;
      attach?.(this);
      // Its script is already in memory: a worker that has not taken the lock within seconds never will.
      void whenReleased(lock, this.watching.signal, { goneIfNotHeldWithinMs: 10_000 }).then(() => {
        const error = new LlamaChatError(
          'worker-crashed',
          "The model's engine (llama.cpp) stopped without a word. Try again; it will restart.",
        );
        for (const listener of listeners) listener(error);
      });
    }

    override terminate(): void {
      this.watching.abort(); // ended on purpose: not news
      super.terminate();
    }
  };
}

/** A promise that rejects when a llama.cpp worker ends on its own, to race what waits on it. */
export function watchLlamaCpp(): { died: Promise<never>; stop: () => void } {
  let fail: (error: LlamaChatError) => void = () => {};
  const died = new Promise<never>((_, reject) => (fail = reject));
  died.catch(() => {}); // observed by the races; never an unhandled rejection
  return { died, stop: onLlamaCppDeath(fail) };
}
