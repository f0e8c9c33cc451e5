// Little-endian reads over a file that may be larger than memory: a Blob read a window at a time,
// or the first bytes of a download. Offsets are plain numbers: exact up to 2^53, far past 2^32.

export interface ByteSource {
  /** The whole file's size (a prefix knows it from the response). */
  readonly size: number;
  /** Up to `length` bytes from `offset`; fewer only at the end of what the source holds. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Thrown when a read needs bytes the source does not hold. */
export class OutOfBytes extends Error {}

export function blobSource(blob: Blob): ByteSource {
  return { size: blob.size, read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()) };
}

/** The first bytes of a file of `size` bytes. */
export function prefixSource(prefix: Uint8Array, size: number): ByteSource {
  return { size, read: async (offset, length) => prefix.subarray(offset, offset + length) };
}

const WINDOW = 1 << 20;
const utf8 = new TextDecoder();

export class GgufReader {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  position = 0;

  constructor(private readonly source: ByteSource) {}

  /** `length` bytes at the cursor, which moves past them. */
  private async take(length: number): Promise<Uint8Array> {
    const from = this.position - this.windowStart;
    if (from < 0 || from + length > this.window.length) {
      this.window = await this.source.read(this.position, Math.max(WINDOW, length));
      this.windowStart = this.position;
    }
    const at = this.position - this.windowStart;
    if (at + length > this.window.length) throw new OutOfBytes();
    this.position += length;
    return this.window.subarray(at, at + length);
  }

  private async view(length: number): Promise<DataView> {
    const bytes = await this.take(length);
    return new DataView(bytes.buffer, bytes.byteOffset, length);
  }

  async u32(): Promise<number> {
    return (await this.view(4)).getUint32(0, true);
  }

  async u64(): Promise<number> {
    return Number((await this.view(8)).getBigUint64(0, true));
  }

  /** A scalar of gguf_type `type` as a number (booleans as 0 and 1). */
  async number(type: number): Promise<number> {
    switch (type) {
      case 0:
      case 7:
        return (await this.view(1)).getUint8(0);
      case 1:
        return (await this.view(1)).getInt8(0);
      case 2:
        return (await this.view(2)).getUint16(0, true);
      case 3:
        return (await this.view(2)).getInt16(0, true);
      case 4:
        return this.u32();
      case 5:
        return (await this.view(4)).getInt32(0, true);
      case 6:
        return (await this.view(4)).getFloat32(0, true);
      case 10:
        return this.u64();
      case 11:
        return Number((await this.view(8)).getBigInt64(0, true));
      default:
        return (await this.view(8)).getFloat64(0, true);
    }
  }

  async text(length: number): Promise<string> {
    if (length > WINDOW * 16) throw new OutOfBytes(); // no metadata string is that long: the header is damaged
    return utf8.decode(await this.take(length));
  }

  /**
   * Skips `count` strings (u64 length, then bytes), waiting only when the window runs out: a
   * Llama 3 vocabulary is 400,000 of them, and a wait per string made its header take 0.5 s.
   */
  async skipStrings(count: number): Promise<void> {
    for (let left = count; left > 0;) {
      const view = new DataView(this.window.buffer, this.window.byteOffset, this.window.byteLength);
      let at = this.position - this.windowStart;
      while (left > 0 && at >= 0 && at + 8 <= this.window.length) {
        const length = Number(view.getBigUint64(at, true));
        if (at + 8 + length > this.window.length) break;
        at += 8 + length;
        left -= 1;
      }
      this.position = this.windowStart + at;
      if (left > 0) {
        // One that crosses the window's end: read it the slow way, which moves the window on.
        await this.skip(await this.u64());
        left -= 1;
      }
    }
  }

  async skip(length: number): Promise<void> {
    if (length > WINDOW * 16) throw new OutOfBytes();
    await this.take(length);
  }
}
