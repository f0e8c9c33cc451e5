// An answer can stream at hundreds of tokens a second. One message to the page per token keeps
// the page's main thread busy, and on a small machine that thread shares cores with the engine.
// So a chunk goes out at once when the page has heard nothing for a frame, otherwise together
// with the others of that frame: slow answers keep their per-token latency, fast ones cost
// the page one message a frame.

/** About one display frame. */
export const BATCH_INTERVAL_MS = 16;

export interface ChunkBatcher<T> {
  push(value: T): void;
  /** Sends what is waiting now (the answer ended or failed). */
  flush(): void;
}

export function batchChunks<T>(send: (values: T[]) => void, intervalMs = BATCH_INTERVAL_MS): ChunkBatcher<T> {
  let waiting: T[] = [];
  let sentAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return;
    const values = waiting;
    waiting = [];
    sentAt = performance.now();
    send(values);
  };
  return {
    push(value) {
      waiting.push(value);
      if (timer !== undefined) return;
      const wait = sentAt + intervalMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    flush,
  };
}
