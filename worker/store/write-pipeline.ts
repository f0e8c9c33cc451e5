// A download's chunks on their way to storage: written one at a time and in order, each counted
// once it is written and every chunk before it is counted, while the download fills the next
// buffer. At most `depth` buffers exist, each back only once its chunk is counted, so memory
// and the chunks not yet counted stay bounded whatever the disk's pace; the first failure stops
// every write after it and is what the download hears. Pure: the steps that write and count are given.

export interface PipelineSteps {
  /** Stores chunk `index`; resolves with the buffer back (whole, the same or another of the same size). */
  write(index: number, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /** Counts chunk `index` as stored (its bytes are written, and every chunk before it counted). */
  commit(index: number): Promise<void>;
}

export class WritePipeline {
  private readonly free: Uint8Array<ArrayBuffer>[] = [];
  private buffers = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private commits: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly steps: PipelineSteps,
    private readonly chunkBytes: number,
    private readonly depth: number,
  ) {}

  /** A buffer to fill: a free one, a new one while fewer than `depth` exist, else the next to come back. */
  async next(): Promise<Uint8Array<ArrayBuffer>> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const buffer = this.free.pop();
      if (buffer) return buffer;
      if (this.buffers < this.depth) {
        this.buffers++;
        return new Uint8Array(this.chunkBytes);
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Hands chunk `index` over; `bytes` (a buffer from next()) is the pipeline's until it comes back. */
  put(index: number, bytes: Uint8Array<ArrayBuffer>): void {
    const written = this.writes.then(() => {
      if (this.failure) throw this.failure.error;
      return this.steps.write(index, bytes);
    });
    // A buffer comes back only once its chunk is counted: a store that stops counting (its
    // database held) stops the download too, where the stall watchdog sees it.
    const committed = Promise.all([written, this.commits]).then(async ([buffer]) => {
      if (this.failure) throw this.failure.error;
      await this.steps.commit(index);
      this.release(buffer);
    });
    committed.catch((error: unknown) => this.fail(error));
    this.writes = written;
    this.commits = committed;
  }

  /** Resolves once every chunk handed over is counted; rejects with the first failure. */
  async drain(): Promise<void> {
    try {
      await this.commits;
    } catch (error) {
      this.fail(error);
    }
    if (this.failure) throw this.failure.error;
  }

  private release(buffer: Uint8Array<ArrayBuffer>): void {
    this.free.push(buffer);
    this.signal();
  }

  private fail(error: unknown): void {
    this.failure ??= { error };
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
