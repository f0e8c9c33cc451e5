// Keeps a scrolling list pinned to its end while content grows, until the person scrolls up to
// read; scrolling back to the end pins it again.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Within this many pixels of the end counts as "at the end" (sub-pixel rounding, margins). */
const SLACK_PX = 24;

export class ScrollFollow implements ReactiveController {
  private following = true;
  private element: HTMLElement | undefined;
  /** Where this controller last scrolled to: a scroll event at or past it is our own. */
  private pinnedTop = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly find: () => HTMLElement | null,
  ) {
    host.addController(this);
  }

  /** Follows again from the next update (a new message was sent). */
  follow(): void {
    this.following = true;
  }

  hostUpdated(): void {
    const element = this.find();
    if (element && element !== this.element) {
      this.element = element;
      element.addEventListener('scroll', this.onScroll, { passive: true });
    }
    if (element && this.following) {
      element.scrollTop = element.scrollHeight;
      this.pinnedTop = element.scrollTop;
    }
  }

  hostDisconnected(): void {
    this.element?.removeEventListener('scroll', this.onScroll);
    this.element = undefined;
  }

  private readonly onScroll = (): void => {
    const element = this.element!;
    // Content may have grown since our own scroll, so "not at the end" alone is not the person.
    const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight <= SLACK_PX;
    this.following = atEnd || element.scrollTop >= this.pinnedTop - 1;
    if (!this.following) this.pinnedTop = Infinity;
  };
}
