// While an answer streams, the element renders it a few times a second, and less often when a
// render is costly: rendering keeps to about a tenth of the main thread, which on a small
// machine shares its cores with the engine. Any other change renders at once, and the first
// piece after it (an answer's first words) too.
import type { ReactiveElement } from 'lit';

/** A streaming answer is shown again this often: reading speed, not the token rate. */
const LIVE_INTERVAL_MS = 100;
/** …or after this many times the last render's cost, if longer… */
const REST_PER_RENDER = 9;
/** …but it still moves on screen at least this often. */
const LONGEST_REST_MS = 250;

export class RenderPacer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The earliest time the next streaming render may start. */
  private nextAt = 0;

  constructor(private readonly host: ReactiveElement) {}

  /** Asks for a render: `paced` (a piece of an answer streaming in), or now. */
  queue(paced: boolean): void {
    if (!paced) {
      this.cancel();
      this.nextAt = 0;
      this.host.requestUpdate();
    } else {
      this.timer ??= setTimeout(
        () => {
          const startedAt = performance.now();
          this.host.requestUpdate();
          void this.host.updateComplete.finally(() => {
            const now = performance.now();
            this.nextAt = now + Math.min(Math.max(LIVE_INTERVAL_MS, (now - startedAt) * REST_PER_RENDER), LONGEST_REST_MS);
            this.timer = undefined;
          });
        },
        Math.max(0, this.nextAt - performance.now()),
      );
    }
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
