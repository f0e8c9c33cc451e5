// A download's watch on its own progress. Bytes can stop coming while the connection stays
// open, because the server went quiet or because our own pipeline stopped reading (issue 34: a
// 4.5 GB download sat at 3,600 MiB for 15 minutes, its promise pending). Whatever the cause, a
// download that gains no byte for a bounded time is dropped and resumed from its last stored
// chunk, and after a few such stalls in a row with nothing stored between them it gives up.
// Pure: the clock is injected; the download acts on what the watchdog says.

export interface StallTimes {
  /** No byte for this long: progress says what the download waits on (and says it again as often). */
  noticeAfterMs: number;
  /** No byte for this long: the attempt has stalled; it is dropped and the download resumes. */
  resumeAfterMs: number;
  /** Stalls in a row with no chunk stored between them, after which the download gives up. */
  giveUpAfterStalls: number;
}

/**
 * A healthy download gains bytes many times a second and stores a 16 MB chunk in well under a
 * second, so 30 s without a byte is a stall, not a slow link; three of them at the same place
 * (90 s) is a server or a browser that will not go on without the person.
 */
export const STALL_TIMES: StallTimes = { noticeAfterMs: 5_000, resumeAfterMs: 30_000, giveUpAfterStalls: 3 };

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export interface SilenceEvents {
  /** No byte for `silentMs`: once per noticeAfterMs of the silence. */
  quiet(silentMs: number): void;
  /** No byte for resumeAfterMs: the attempt has stalled (heard once; the watch then ends). */
  stalled(): void;
}

/** `times` with the defaults where a value is missing or not a positive number. */
export function stallTimes(given: Partial<StallTimes> = {}): StallTimes {
  const pick = (key: keyof StallTimes) => {
    const value = given[key];
    return typeof value === 'number' && value > 0 ? value : STALL_TIMES[key];
  };
  return { noticeAfterMs: pick('noticeAfterMs'), resumeAfterMs: pick('resumeAfterMs'), giveUpAfterStalls: pick('giveUpAfterStalls') };
}

export class StallWatchdog {
  private lastByteAt = 0;
  private notices = 0;
  private timer: unknown;
  private events: SilenceEvents | undefined;
  private stallsInRow = 0;
  /** Where the last stall left the download (bytes stored); a stall further on is not "in a row". */
  private lastStallAt = -1;

  constructor(
    readonly times: StallTimes,
    private readonly clock: Clock,
  ) {}

  /** Watches one attempt from now; returns its stop. Bytes are counted by gained(). */
  watch(events: SilenceEvents): () => void {
    this.stop();
    this.events = events;
    this.lastByteAt = this.clock.now();
    this.notices = 0;
    this.schedule();
    return () => {
      if (this.events === events) this.stop();
    };
  }

  /** Bytes arrived: the silence, if any, is over. Cheap: called for every read. */
  gained(): void {
    this.lastByteAt = this.clock.now();
    this.notices = 0;
  }

  /** After a stall with `stored` bytes kept: true to resume, false when the stalls in a row are too many. */
  resumeAfterStall(stored: number): boolean {
    this.stallsInRow = stored > this.lastStallAt ? 1 : this.stallsInRow + 1;
    this.lastStallAt = stored;
    return this.stallsInRow < this.times.giveUpAfterStalls;
  }

  /** Stalls in a row so far (the last one included). */
  get stalls(): number {
    return this.stallsInRow;
  }

  private stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.events = undefined;
  }

  /** One timer, due at the next notice or the stall: bytes that keep coming only move the deadline. */
  private schedule(): void {
    const { noticeAfterMs, resumeAfterMs } = this.times;
    const nextNotice = (this.notices + 1) * noticeAfterMs;
    const due = this.lastByteAt + Math.min(nextNotice, resumeAfterMs);
    if (!Number.isFinite(due)) return;
    this.timer = this.clock.setTimeout(() => this.check(), Math.max(0, due - this.clock.now()));
  }

  private check(): void {
    const events = this.events;
    if (!events) return;
    const silent = this.clock.now() - this.lastByteAt;
    if (silent >= this.times.resumeAfterMs) {
      this.stop();
      events.stalled();
      return;
    }
    if (silent >= (this.notices + 1) * this.times.noticeAfterMs) {
      this.notices = Math.floor(silent / this.times.noticeAfterMs);
      events.quiet(silent);
    }
    if (this.events === events) this.schedule();
  }
}
