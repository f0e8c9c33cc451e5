// A worker whose thread is stuck answers nothing and never ends, so neither its error event
// nor its life lock tells. Seen in Firefox on a loaded machine: the engine's worker blocked for
// good while it started llama.cpp's own worker. While a load is under way the page pings it;
// one that leaves a ping unanswered for long is taken for stuck.

/** How often a ping goes while the watch lasts. */
export const PING_EVERY_MS = 5_000;
/** Unanswered this long, a worker is stuck: far longer than any task that holds its thread (a wasm compile, a shader). */
export const STUCK_AFTER_MS = 45_000;

/** Calls `onStuck` once when a `ping` stays unanswered for `stuckAfterMs`; returns a stop. */
export function watchHeartbeat(
  ping: () => Promise<unknown>,
  onStuck: () => void,
  { everyMs = PING_EVERY_MS, stuckAfterMs = STUCK_AFTER_MS } = {},
): () => void {
  let waitingSince: number | undefined;
  const timer = setInterval(() => {
    if (waitingSince === undefined) {
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
      onStuck();
    }
  }, everyMs);
  return () => clearInterval(timer);
}
