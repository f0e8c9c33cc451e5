// Downloading a model file into the store: chunk by chunk, each chunk committed with the
// manifest that counts it (download-attempt.ts), resumed with an HTTP Range request after a
// break. A download that gains no byte for a while, whether the server went quiet or our own
// pipeline stopped, is dropped and resumed from its last stored chunk (stall-watchdog.ts); after
// a few such stalls in a row it ends with `network`, every stored byte kept for the next try.
import { LlamaChatError } from '../../protocol/errors.js';
import type { LoadProgress, ModelRecord } from '../../protocol/types.js';
import type { Sink } from '../../protocol/worker-api.js';
import { DownloadAttempt, Stalled, StartOver } from './download-attempt.js';
import type { Inspect } from './prefix-inspection.js';
import { realClock, StallWatchdog, stallTimes, type StallTimes } from './stall-watchdog.js';
import { formatMB } from './storage-space.js';

export interface DownloadOptions {
  /** The size a listing declares for the file (an MLC shard's `nbytes`): any other size is refused with `integrity`. */
  exactSize?: number;
  /**
   * Looks at the file's first bytes (up to INSPECT_BYTES) and its size before any of it is stored;
   * what it throws ends the download, nothing kept. Not called when a download resumes.
   */
  inspect?: Inspect;
  /** Runs once the space for the file is known to be there, before its first request: what it throws refuses it. */
  beforeRequest?: () => void;
  /** How long a download may gain no byte (stall-watchdog.ts); the defaults where absent. */
  stallTimes?: Partial<StallTimes>;
}

/** Downloads `record`'s file into the store, resuming a partial copy of the same URL and any attempt that stalls. */
export async function download(record: ModelRecord, onProgress: Sink<LoadProgress>, options: DownloadOptions = {}): Promise<void> {
  const watchdog = new StallWatchdog(stallTimes(options.stallTimes), realClock);
  const name = record.label ?? record.id;
  let stored = 0;
  for (;;) {
    try {
      return await new DownloadAttempt(record, onProgress, options, watchdog, stored).run();
    } catch (error) {
      if (error instanceof StartOver) {
        stored = 0;
        continue;
      }
      if (!(error instanceof Stalled)) throw error;
      stored = error.stored;
      const seconds = Math.round(watchdog.times.resumeAfterMs / 1000);
      if (!watchdog.resumeAfterStall(error.stored)) throw gaveUp(name, error, seconds, watchdog.stalls);
      const why = error.waiting === 'server' ? `no data from the server for ${seconds} s` : `the browser stored nothing for ${seconds} s`;
      onProgress({ phase: 'download', loaded: error.stored, total: error.total, text: `Resuming the download of ${name} (${why})` });
    }
  }
}

function gaveUp(name: string, stall: Stalled, seconds: number, stalls: number): LlamaChatError {
  const kept = stall.stored > 0 ? `The ${formatMB(stall.stored)} already downloaded are kept: try again` : 'Try again';
  const what =
    stall.waiting === 'server'
      ? `The server stopped sending ${name}: no data for ${seconds} s, ${stalls} times in a row.`
      : `The browser stopped storing ${name}: nothing was saved for ${seconds} s, ${stalls} times in a row.`;
  return new LlamaChatError('network', `${what} ${kept} to resume the download where it stopped.`);
}
