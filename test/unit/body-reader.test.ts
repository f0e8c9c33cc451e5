// A download's body read into its own buffer (worker/store/body-reader.ts): a byte stream's BYOB
// reads, and the copying fallback for a body that is not one, on Node's own streams.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyReader } from '../../worker/store/body-reader.js';

const BYTES = Uint8Array.from({ length: 10_000 }, (_, i) => i % 253);
/** Network reads of uneven sizes, larger and smaller than the buffer's free space. */
const SIZES = [1, 700, 4096, 3, 2500, 2700];

function pieces(): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = [];
  let at = 0;
  for (const size of SIZES) out.push(BYTES.slice(at, (at += size)));
  assert.equal(at, BYTES.length);
  return out;
}

function byteStream(): ReadableStream<Uint8Array> {
  const queue = pieces();
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const next = queue.shift();
      const request = controller.byobRequest;
      if (!next) {
        controller.close();
        return request?.respond(0); // a pending BYOB read ends with its buffer handed back
      }
      if (!request?.view) return controller.enqueue(next);
      const view = new Uint8Array(request.view.buffer, request.view.byteOffset, request.view.byteLength);
      const now = next.subarray(0, view.length);
      view.set(now);
      if (now.length < next.length) queue.unshift(next.subarray(now.length));
      request.respond(now.length);
    },
  }) as ReadableStream<Uint8Array>;
}

function plainStream(): ReadableStream<Uint8Array> {
  const queue = pieces();
  return new ReadableStream({ pull: (controller) => void (queue.length ? controller.enqueue(queue.shift()!) : controller.close()) });
}

/** Reads the whole body in chunks of `chunkBytes` as the download does; the chunks' bytes, joined. */
async function readAll(body: ReadableStream<Uint8Array>, chunkBytes: number): Promise<{ bytes: number[]; buffers: Set<ArrayBuffer> }> {
  const reader = bodyReader(body);
  let buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  const bytes: number[] = [];
  const buffers = new Set<ArrayBuffer>();
  for (;;) {
    const read = await reader.readInto(buffer, filled);
    buffer = read.buffer;
    buffers.add(buffer.buffer);
    if (read.done) break;
    assert.ok(read.bytes > 0 && filled + read.bytes <= chunkBytes, 'never past the chunk');
    filled += read.bytes;
    if (filled === chunkBytes) {
      bytes.push(...buffer.subarray(0, filled));
      filled = 0;
    }
  }
  bytes.push(...buffer.subarray(0, filled));
  return { bytes, buffers };
}

test('a byte stream is read straight into the one buffer, which comes back after every read', async () => {
  const { bytes, buffers } = await readAll(byteStream(), 1024);
  assert.deepEqual(bytes, [...BYTES]);
  // Each BYOB read moves the buffer (the one before is detached): the same memory, never a copy.
  const [last, ...before] = [...buffers].reverse();
  assert.equal(last!.byteLength, 1024);
  assert.ok(before.length > 0 && before.every((buffer) => buffer.byteLength === 0));
});

test('a body that is not a byte stream is copied in, keeping what did not fit for the next read', async () => {
  const { bytes, buffers } = await readAll(plainStream(), 1024);
  assert.deepEqual(bytes, [...BYTES]);
  assert.equal(buffers.size, 1); // the download's own buffer throughout
});

test('a read that fails rejects, for the download to say the connection dropped', async () => {
  const body = new ReadableStream<Uint8Array>({ type: 'bytes', pull: (controller) => controller.error(new TypeError('network')) });
  await assert.rejects(bodyReader(body).readInto(new Uint8Array(16), 0), TypeError);
});
