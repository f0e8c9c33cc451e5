// A response body read into the download's own buffer. Read the usual way, every network read is
// a fresh buffer that only the collector frees, and a worker downloading a model piles them up
// to the model's whole size (measured: 256 MB after a 235 MB download; transfer(0) did not free
// them). A byte stream's BYOB reader fills our buffer instead, so nothing is left behind; where
// the body is not a byte stream, the chunks are copied in as before.

export interface BodyRead {
  done: boolean;
  /** The buffer to go on with: a BYOB read moves it, and hands it back here. */
  buffer: Uint8Array<ArrayBuffer>;
  /** Bytes the read put at buffer[from …]. */
  bytes: number;
}

export interface BodyReader {
  /** Reads the next bytes into `buffer` from index `from` (at least one byte free there). */
  readInto(buffer: Uint8Array<ArrayBuffer>, from: number): Promise<BodyRead>;
  cancel(): Promise<void>;
}

export function bodyReader(body: ReadableStream<Uint8Array>): BodyReader {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // not a byte stream here
  }
  if (byob) {
    const reader = byob;
    return {
      async readInto(buffer, from) {
        const { done, value } = await reader.read(new Uint8Array(buffer.buffer, from, buffer.length - from));
        // Done or not, the view comes back over the (moved) buffer.
        return { done, buffer: value ? new Uint8Array(value.buffer as ArrayBuffer) : buffer, bytes: value?.byteLength ?? 0 };
      },
      cancel: () => reader.cancel(),
    };
  }
  const reader = body.getReader();
  let pending: Uint8Array = new Uint8Array(0);
  return {
    async readInto(buffer, from) {
      if (pending.length === 0) {
        const { done, value } = await reader.read();
        if (done) return { done, buffer, bytes: 0 };
        pending = value;
      }
      const bytes = Math.min(pending.length, buffer.length - from);
      buffer.set(pending.subarray(0, bytes), from);
      pending = pending.subarray(bytes);
      return { done: false, buffer, bytes };
    },
    cancel: () => reader.cancel(),
  };
}
