// One engine worker and the ways it can end: a crash (an `error` event), a silent end (its life
// lock is released: close(), a killed thread, a tab discard), or terminate(). `died` rejects
// with what the person should read, so no call on this worker waits forever.
import { wrap, type Remote } from 'comlink';
import { LlamaChatError } from '../protocol/errors.js';
import { whenReleased } from '../protocol/life-lock.js';
import type { WorkerApi } from '../protocol/worker-api.js';
import { spawnWorker } from './spawn-worker.js';

export class WorkerConnection {
  readonly remote: Remote<WorkerApi>;
  readonly died: Promise<never>;
  private readonly worker: Worker;
  private readonly watching = new AbortController();
  private kill: (error: LlamaChatError) => void = () => {};
  private ended = false;

  /** `onEnd` runs once, however the worker ends. */
  constructor(private readonly onEnd: () => void) {
    this.worker = spawnWorker();
    this.remote = wrap<WorkerApi>(this.worker);
    this.died = new Promise<never>((_, reject) => (this.kill = reject));
    this.died.catch(() => {}); // observed by the calls that race it; never an unhandled rejection

    let answered = false; // a worker that never said a word did not start at all
    this.worker.addEventListener('message', () => (answered = true), { once: true });
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.end(answered ? crashed(event.message) : notStarted());
    });
    const lock = `llama-chat:worker:${crypto.randomUUID()}`;
    // Watched from the moment the worker says it holds the lock: an end right after is seen too.
    this.remote
      .holdLifeLock(lock)
      .then(() => whenReleased(lock, this.watching.signal, { knownHeld: true }))
      .then(() => this.end(vanished()))
      .catch(() => {}); // a worker that cannot answer at all is caught by its error event
  }

  /** Ends the worker at once; calls still under way fail with `reason`. */
  terminate(reason = new LlamaChatError('aborted', 'The chat engine was unloaded.')): void {
    this.end(reason);
  }

  private end(reason: LlamaChatError): void {
    if (this.ended) return;
    this.ended = true;
    this.kill(reason);
    this.watching.abort();
    this.worker.terminate();
    this.onEnd();
  }
}

function crashed(detail: string): LlamaChatError {
  return new LlamaChatError(
    'worker-crashed',
    `The chat engine stopped unexpectedly${detail ? ` (${detail})` : ''}. Try again; it will restart.`,
  );
}

function vanished(): LlamaChatError {
  return new LlamaChatError('worker-crashed', 'The chat engine stopped without a word (its worker ended). Try again; it will restart.');
}

function notStarted(): LlamaChatError {
  return new LlamaChatError(
    'worker-crashed',
    'The chat engine could not start: its script (llama-chat-worker.js, beside llama-chat.js) did not load. Serve every file of dist/ together, and on a page with a Content Security Policy allow that origin in worker-src and script-src.',
  );
}
