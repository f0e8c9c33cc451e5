// A worker whose thread is stuck answers nothing and never ends, so neither its error event
// nor its life lock tells. Seen in Firefox on a loaded machine: the engine's worker blocked for
// good while it started llama.cpp's own worker. While a load is under way the page pings it;
// one that leaves a ping unanswered for long is taken for stuck. A load can also wait for good
// with its thread free (a promise that never settles: issue 34's download sat for 15 minutes):
// one that reports no progress at all for far longer than any step of a load is taken for stalled.

/** How often a ping goes while the watch lasts. */
export const PING_EVERY_MS = 5_000;
/** Unanswered this long, a worker is stuck: far longer than any task that holds its thread (a wasm compile, a shader). */
export const STUCK_AFTER_MS = 45_000;
/** A load waits this much longer for a worker per GB of its model (twice that in Safari's compat build). */
export const STUCK_PER_GB_MS = 15_000;

/**
 * How long a load's worker may leave a ping unanswered: a larger model's steps hold the thread
 * longer, and wllama's compat build (Safari, iOS) is several times slower (issue 35).
 */
export function loadPatienceMs(modelBytes: number | undefined, compatBuild: boolean): number {
  return STUCK_AFTER_MS + Math.round(((modelBytes ?? 0) / 1e9) * STUCK_PER_GB_MS * (compatBuild ? 2 : 1));
}

/**
 * No progress this long, a load is stalled. A download reports many times a second, and its own
 * watchdog speaks every few seconds when no byte comes (worker/store/stall-watchdog.ts); the
 * longest silent step is llama.cpp loading the largest model the CPU path takes (3.8 GB: about
 * 40 s here, a few times that on a slow device).
 */
export const LOAD_SILENCE_MS = 5 * 60_000;

export interface HeartbeatOptions {
  everyMs?: number;
  stuckAfterMs?: number;
  /** When the watched task last made progress (a Date.now() time); absent: only the thread is watched. */
  lastProgressAt?: () => number;
  /** With lastProgressAt: no progress this long is a stall. */
  silentAfterMs?: number;
}

/** Why a watch ended: a ping left unanswered, or a task with no progress. */
export type StuckReason = 'unresponsive' | 'silent';

/** Calls `onStuck` once when a `ping` stays unanswered for `stuckAfterMs` or the task is silent for `silentAfterMs`; returns a stop. */
export function watchHeartbeat(
  ping: () => Promise<unknown>,
  onStuck: (reason: StuckReason) => void,
  { everyMs = PING_EVERY_MS, stuckAfterMs = STUCK_AFTER_MS, lastProgressAt, silentAfterMs = LOAD_SILENCE_MS }: HeartbeatOptions = {},
): () => void {
  let waitingSince: number | undefined;
  // A short silence limit (tests) is checked often enough to be seen near its time.
  const tick = lastProgressAt ? Math.min(everyMs, silentAfterMs / 4) : everyMs;
  const timer = setInterval(() => {
    if (lastProgressAt && Date.now() - lastProgressAt() >= silentAfterMs) {
      clearInterval(timer);
      onStuck('silent');
    } else if (waitingSince === undefined) {
      const sentAt = Date.now();
      waitingSince = sentAt;
      ping().then(
        () => {
          if (waitingSince === sentAt) waitingSince = undefined;
        },
        () => {}, // a worker that ended says so in its own way
      );
    } else if (Date.now() - waitingSince >= stuckAfterMs) {
      clearInterval(timer);
      onStuck('unresponsive');
    }
  }, tick);
  return () => clearInterval(timer);
}
