// Keeps a scrolling list pinned to its end while content grows, until the person scrolls up to
// read; scrolling back to the end pins it again.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Within this many pixels of the end counts as "at the end" (sub-pixel rounding, margins). */
const SLACK_PX = 24;

export class ScrollFollow implements ReactiveController {
  private following = true;
  /** Where this controller last scrolled to: a position at or past it is our own. */
  private pinnedTop = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly find: () => HTMLElement | null,
  ) {
    host.addController(this);
  }

  /** Follows again from the next update (a new message was sent). */
  follow(): void {
    this.following = true;
    this.pinnedTop = 0;
  }

  hostUpdate(): void {
    // Where the list is before this render says what the person did since our last scroll: no
    // scroll event is needed (it comes a frame late, after an update could scroll them back).
    // Content may grow outside renders, so "not at the end" alone is not the person scrolling up.
    const element = this.find();
    if (!element) return;
    const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight <= SLACK_PX;
    this.following = atEnd || (this.following && element.scrollTop >= this.pinnedTop - 1);
  }

  hostUpdated(): void {
    const element = this.find();
    if (element && this.following) {
      element.scrollTop = element.scrollHeight;
      this.pinnedTop = element.scrollTop;
    }
  }
}
