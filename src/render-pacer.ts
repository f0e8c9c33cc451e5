// While an answer streams, the element renders at most once a frame, and less often when a
// render is costly: rendering keeps to about a tenth of the main thread, which on a small
// machine shares its cores with the engine. Any other change renders at once.
import type { ReactiveElement } from 'lit';

const FRAME_MS = 16;
/** After a streaming render, the next waits a frame plus this many times its cost… */
const REST_PER_RENDER = 9;
/** …but the answer still moves on screen at least this often. */
const LONGEST_REST_MS = 250;

export class RenderPacer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private rest = FRAME_MS;

  constructor(private readonly host: ReactiveElement) {}

  /** Asks for a render: paced while `streaming`, else now. */
  queue(streaming: boolean): void {
    if (!streaming) {
      this.cancel();
      this.rest = FRAME_MS;
      this.host.requestUpdate();
    } else {
      this.timer ??= setTimeout(() => {
        const startedAt = performance.now();
        this.host.requestUpdate();
        void this.host.updateComplete.finally(() => {
          this.rest = Math.min(FRAME_MS + (performance.now() - startedAt) * REST_PER_RENDER, LONGEST_REST_MS);
          this.timer = undefined;
        });
      }, this.rest);
    }
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
