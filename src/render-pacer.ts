// While an answer streams, the element renders at most once per animation frame (tokens can
// arrive far faster); any other change renders at once.
import type { ReactiveElement } from 'lit';

export class RenderPacer {
  private frame = 0;

  constructor(private readonly host: ReactiveElement) {}

  /** Asks for a render: at the next frame while `streaming`, else now. */
  queue(streaming: boolean): void {
    if (!streaming) {
      this.cancel();
      this.host.requestUpdate();
    } else if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.host.requestUpdate();
      });
    }
  }

  cancel(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
