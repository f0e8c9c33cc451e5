// A download's first bytes, collected for DownloadOptions.inspect (a look at a file's header and
// size before any of it is kept) and handed over once.

/** Enough of a GGUF file's start to hold its metadata up to the model's shape. */
export const INSPECT_BYTES = 256 * 1024;

/** Looks at a file's first bytes and its size (0: unknown); what it throws refuses the file. */
export type Inspect = (prefix: Uint8Array, size: number) => Promise<void> | void;

/** Collects a download's first bytes for DownloadOptions.inspect, and asks it once. */
export class PrefixInspection {
  private readonly prefix: Uint8Array;
  private held = 0;
  private done = false;
  failure: unknown;

  constructor(
    private readonly inspect: Inspect,
    private readonly size: number,
  ) {
    this.prefix = new Uint8Array(size > 0 ? Math.min(size, INSPECT_BYTES) : INSPECT_BYTES);
  }

  /** Adds `bytes` (undefined: the body ended); false when the inspection refused the file. */
  async look(bytes: Uint8Array | undefined): Promise<boolean> {
    if (this.done) return true;
    if (bytes) {
      const taken = Math.min(bytes.length, this.prefix.length - this.held);
      this.prefix.set(bytes.subarray(0, taken), this.held);
      this.held += taken;
      if (this.held < this.prefix.length) return true;
    }
    this.done = true;
    try {
      await this.inspect(this.prefix.subarray(0, this.held), this.size);
      return true;
    } catch (error) {
      this.failure = error;
      return false;
    }
  }
}
