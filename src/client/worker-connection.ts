// One engine worker and the ways it can end: a crash (an `error` event), a silent end (its life
// lock is released: close(), a killed thread, a tab discard), a stuck thread (while watched:
// heartbeat.ts), or terminate(). `died` rejects with what the person should read, so no call
// on this worker waits forever.
import { wrap, type Remote } from 'comlink';
import { LlamaChatError } from '../../protocol/errors.js';
import { whenReleased } from '../../protocol/life-lock.js';
import type { WorkerApi } from '../../protocol/worker-api.js';
import { watchHeartbeat } from './heartbeat.js';
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
    const { worker, notStarted } = spawnWorker();
    this.worker = worker;
    this.remote = wrap<WorkerApi>(this.worker);
    this.died = new Promise<never>((_, reject) => (this.kill = reject));
    this.died.catch(() => {}); // observed by the calls that race it; never an unhandled rejection

    void notStarted.then((error) => this.end(error));
    let answered = false; // before its first word, a failure is the start's (see spawnWorker)
    this.worker.addEventListener('message', () => (answered = true), { once: true });
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (answered) this.end(crashed(event.message));
    });
    const lock = `llama-chat:worker:${crypto.randomUUID()}`;
    // Watched from the moment the worker says it holds the lock: an end right after is seen too.
    this.remote
      .holdLifeLock(lock)
      .then(() => whenReleased(lock, this.watching.signal, { knownHeld: true }))
      .then(() => this.end(vanished()))
      .catch(() => {}); // a worker that cannot answer at all is caught by its error event
  }

  /**
   * Until the returned stop: a worker that stops answering is ended with WorkerStuck; with
   * `progress`, so is one whose task reports nothing for its silentAfterMs (LoadStalled).
   */
  watchResponsive(progress?: { lastProgressAt: () => number; silentAfterMs: number; stuckAfterMs?: number }): () => void {
    return watchHeartbeat(
      () => this.remote.ping(),
      (reason) => this.end(reason === 'silent' ? new LoadStalled(progress!.silentAfterMs) : new WorkerStuck()),
      progress ?? {},
    );
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

/** The worker's thread stopped answering; it was ended. A fresh worker may well not be stuck. */
export class WorkerStuck extends LlamaChatError {
  constructor(message = 'The chat engine stopped responding, so it was stopped. Try again; it will restart.') {
    super('worker-crashed', message);
  }
}

/** The load reported no progress for `silentMs`; its worker was ended. A fresh one may well go on (what was stored is kept). */
export class LoadStalled extends WorkerStuck {
  constructor(silentMs: number) {
    super(
      `Loading the model made no progress for ${formatDuration(silentMs)}, so the chat engine was stopped. Try again: what was downloaded is kept, and the load goes on from there.`,
    );
  }
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
