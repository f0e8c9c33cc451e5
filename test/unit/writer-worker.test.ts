// The store's writer (worker/store/writer-worker.ts) run from its source text alone, in a context
// with nothing but a fake worker scope and OPFS: it must refer to nothing outside itself, write
// each chunk where asked, hand the buffer back, and report short writes and refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { writerSource, type WriteRequest, type WriterReply } from '../../worker/store/writer-worker.js';

interface Fakes {
  /** Bytes the next write() accepts (all when undefined). */
  accept?: number;
  /** createSyncAccessHandle refuses this many times first (another handle is open). */
  busy?: number;
}

function startWriter(fakes: Fakes = {}) {
  const replies: { reply: WriterReply; transfer: unknown[] }[] = [];
  const disk: { name: string; at: number; bytes: number[] }[] = [];
  const calls: string[] = [];
  const scope: {
    onmessage: ((event: { data: WriteRequest }) => void) | null;
    postMessage(reply: WriterReply, transfer?: unknown[]): void;
  } = {
    onmessage: null,
    postMessage: (reply, transfer = []) => void replies.push({ reply, transfer }),
  };
  let busy = fakes.busy ?? 0;
  const file = (name: string) => ({
    async createSyncAccessHandle() {
      if (busy-- > 0) throw new DOMException('busy', 'NoModificationAllowedError');
      return {
        write(bytes: Uint8Array, { at }: { at: number }) {
          const count = Math.min(bytes.length, fakes.accept ?? bytes.length);
          disk.push({ name, at, bytes: [...bytes.subarray(0, count)] });
          return count;
        },
        flush: () => void calls.push('flush'),
        close: () => void calls.push('close'),
      };
    },
  });
  const folder = { getFileHandle: async (name: string) => file(name) };
  const navigator = { storage: { getDirectory: async () => ({ getDirectoryHandle: async () => folder }) } };
  // The browser's DOMException is an Error of the writer's own realm: so here too.
  // __name: tsx (esbuild's keepNames) wraps the test's copy of the function in it; the build does not.
  const __name = <T>(target: T) => target;
  runInNewContext(writerSource('models', 3, 1), { self: scope, navigator, setTimeout, DOMException, Error, __name });
  const send = async (request: WriteRequest) => {
    const before = replies.length;
    scope.onmessage!({ data: request });
    while (replies.length === before) await new Promise((resolve) => setTimeout(resolve, 1));
    return replies.at(-1)!;
  };
  return { replies, disk, calls, send };
}

test('says it is ready, writes each chunk at its offset, flushes, closes, and hands the buffer back', async () => {
  const writer = startWriter({ busy: 2 });
  assert.deepEqual({ ...writer.replies[0]?.reply }, { ready: true });
  const bytes = new Uint8Array([1, 2, 3, 4]);
  const { reply, transfer } = await writer.send({ name: 'a%2Fb', offset: 64, bytes });
  assert.ok('written' in reply);
  assert.equal(reply.written, 4);
  assert.equal(reply.bytes, bytes);
  assert.deepEqual([...transfer], [bytes.buffer]);
  assert.deepEqual(writer.disk, [{ name: 'a%2Fb', at: 64, bytes: [1, 2, 3, 4] }]);
  assert.deepEqual(writer.calls, ['flush', 'close']);
});

test('a short write is reported as such (the store calls it out of room), with nothing flushed', async () => {
  const writer = startWriter({ accept: 2 });
  const { reply } = await writer.send({ name: 'm', offset: 0, bytes: new Uint8Array(4) });
  assert.ok('written' in reply);
  assert.equal(reply.written, 2);
  assert.deepEqual(writer.calls, ['close']);
});

test('a file held by another handle for longer than its tries is a failure with the browser’s name for it, buffer returned', async () => {
  const writer = startWriter({ busy: 5 });
  const bytes = new Uint8Array(4);
  const { reply, transfer } = await writer.send({ name: 'm', offset: 0, bytes });
  assert.ok('failed' in reply);
  assert.equal(reply.failed.name, 'NoModificationAllowedError');
  assert.deepEqual([...transfer], [bytes.buffer]);
  assert.deepEqual(writer.disk, []);
});
