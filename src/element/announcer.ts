// The polite live region's text: each finished answer (and a message left waiting for the
// model), read out once by screen readers.
import type { ReactiveControllerHost } from 'lit';

export class Announcer {
  /** What the live region holds now. */
  text = '';

  constructor(private readonly host: ReactiveControllerHost) {}

  say(text: string): void {
    // Emptied first so the same words twice are still announced twice.
    this.text = '';
    this.host.requestUpdate();
    requestAnimationFrame(() => {
      this.text = text;
      this.host.requestUpdate();
    });
  }
}
