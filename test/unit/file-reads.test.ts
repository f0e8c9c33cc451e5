// llama.cpp's worker reading the stored model file itself (worker/engines/wllama/file-reads.ts),
// run here against a stand-in of OPFS: its source, evaluated as llama.cpp's worker would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileReadsSource } from '../../worker/engines/wllama/file-reads.js';

// Browsers have ArrayBuffer.prototype.transfer (Chrome 114, Firefox 122, Safari 17.4); Node 20 does
// not. The stand-in detaches the buffer the same way, so "let go" can be seen here too.
const arrayBufferProto = ArrayBuffer.prototype as ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer };
arrayBufferProto.transfer ??= function (this: ArrayBuffer) {
  structuredClone(this, { transfer: [this] });
  return new ArrayBuffer(0);
};

const FILE = Uint8Array.from({ length: 4096 }, (_, i) => i % 251);

/** `arrayBuffer`: the ArrayBuffer that llama.cpp's worker sees (one without resizing, for older browsers). */
function llamaCppWorker(files: Record<string, Uint8Array>, arrayBuffer: ArrayBufferConstructor = ArrayBuffer) {
  const posted: unknown[] = [];
  const received: { verb: string; args: [ArrayBuffer] }[] = [];
  const scope = {
    postMessage: (message: unknown) => void posted.push(message),
    onmessage: (event: { data: { verb: string; args: [ArrayBuffer] } }) => void received.push(event.data),
  };
  const folder = {
    getFileHandle: async (name: string) => {
      const bytes = files[name];
      if (!bytes) throw new Error('NotFoundError');
      return {
        createSyncAccessHandle: async () => ({
          read: (buffer: Uint8Array, { at }: { at: number }) => {
            const part = bytes.subarray(at, at + buffer.length);
            buffer.set(part);
            return part.length;
          },
          close: () => {},
        }),
      };
    },
  };
  const navigator = { storage: { getDirectory: async () => ({ getDirectoryHandle: async () => folder }) } };
  // `__name`: tsx's helper for function names, which this test's transpiler writes into the source.
  const keepName = <T>(f: T): T => f;
  // wllama's names for the model and one adapter, and the store's files they are.
  const source = fileReadsSource({
    m: { folder: 'llama-chat-models', name: 'm.gguf' },
    'lora-0.gguf': { folder: 'llama-chat-models', name: 'a.gguf' },
  });
  new Function('self', 'navigator', '__name', 'ArrayBuffer', source)(scope, navigator, keepName, arrayBuffer);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  return { scope, posted, received, settle };
}

test("a read request is answered from the file in the worker itself, and never reaches wllama's host", async () => {
  const worker = llamaCppWorker({ 'm.gguf': FILE });
  worker.scope.postMessage({ verb: 'fs.read_req', args: ['m', 1000, 300] });
  await worker.settle();
  assert.deepEqual(worker.posted, []);
  assert.equal(worker.received[0]?.verb, 'fs.read_res');
  assert.deepEqual(new Uint8Array(worker.received[0]!.args[0]), FILE.subarray(1000, 1300));
});

test('other messages pass through untouched', async () => {
  const worker = llamaCppWorker({ 'm.gguf': FILE });
  const log = { verb: 'console.log', args: ['loading'] };
  worker.scope.postMessage(log);
  assert.deepEqual(worker.posted, [log]);
});

test('a file that cannot be read sends the request on to wllama, which reads its Blob as before', async () => {
  const worker = llamaCppWorker({});
  const request = { verb: 'fs.read_req', args: ['m', 0, 16] };
  worker.scope.postMessage(request);
  await worker.settle();
  assert.deepEqual(worker.posted, [request]);
  assert.deepEqual(worker.received, []);

  const short = llamaCppWorker({ 'm.gguf': FILE });
  short.scope.postMessage({ verb: 'fs.read_req', args: ['m', 4000, 200] }); // past the end
  await short.settle();
  assert.equal(short.posted.length, 1);
});

test('each file is read from its own stored file, and a file it was not told of is left to wllama', async () => {
  const adapter = Uint8Array.from({ length: 512 }, (_, i) => 255 - (i % 256));
  const worker = llamaCppWorker({ 'm.gguf': FILE, 'a.gguf': adapter });
  worker.scope.postMessage({ verb: 'fs.read_req', args: ['lora-0.gguf', 10, 20] });
  await worker.settle();
  assert.deepEqual(new Uint8Array(worker.received[0]!.args[0]), adapter.subarray(10, 30));
  worker.scope.postMessage({ verb: 'fs.read_req', args: ['m', 10, 20] });
  await worker.settle();
  assert.deepEqual(new Uint8Array(worker.received[1]!.args[0]), FILE.subarray(10, 30));
  const unknown = { verb: 'fs.read_req', args: ['lora-1.gguf', 0, 16] };
  worker.scope.postMessage(unknown);
  await worker.settle();
  assert.deepEqual(worker.posted, [unknown]);
  assert.equal(worker.received.length, 2);
});

test('one buffer answers every request, resized to it, filled a piece at a time, and freed when a task ends', async () => {
  const worker = llamaCppWorker({ 'm.gguf': FILE });
  const read = async (offset: number, size: number) => {
    worker.scope.postMessage({ verb: 'fs.read_req', args: ['m', offset, size] });
    await worker.settle();
    return worker.received.at(-1)!.args[0];
  };
  const first = await read(0, 512);
  assert.equal(first.byteLength, 512);
  assert.deepEqual(new Uint8Array(first), FILE.subarray(0, 512));
  const second = await read(512, 300);
  assert.equal(second, first); // the same buffer, not a new one per tensor
  assert.equal(second.byteLength, 300); // sized to the request, as llama.cpp copies all of it
  assert.deepEqual(new Uint8Array(second), FILE.subarray(512, 812)); // refilled, not stale
  assert.deepEqual(new Uint8Array(await read(100, 1000)), FILE.subarray(100, 1100)); // grown
  worker.scope.postMessage({ callbackId: 7, result: 'loaded' });
  assert.equal(first.byteLength, 0, 'freed once loading ended, not left to the collector');
  assert.notEqual(await read(0, 16), first);
});

test('a request larger than a piece is read piece by piece into the right places', async () => {
  const big = Uint8Array.from({ length: 3 * 1024 * 1024 + 12_345 }, (_, i) => (i * 7) % 256);
  const worker = llamaCppWorker({ 'm.gguf': big });
  worker.scope.postMessage({ verb: 'fs.read_req', args: ['m', 5, big.length - 5] });
  await worker.settle();
  assert.deepEqual(new Uint8Array(worker.received[0]!.args[0]), big.subarray(5));
});

test('where buffers cannot be resized, each answer is a buffer of its own with the right bytes', async () => {
  const fixedOnly = function (length: number) {
    return new ArrayBuffer(length); // options ignored, as before resizable buffers
  } as unknown as ArrayBufferConstructor;
  const worker = llamaCppWorker({ 'm.gguf': FILE }, fixedOnly);
  worker.scope.postMessage({ verb: 'fs.read_req', args: ['m', 0, 512] });
  await worker.settle();
  worker.scope.postMessage({ verb: 'fs.read_req', args: ['m', 512, 300] });
  await worker.settle();
  const [a, b] = worker.received.map((r) => r.args[0]);
  assert.notEqual(a, b);
  assert.deepEqual(new Uint8Array(a!), FILE.subarray(0, 512));
  assert.deepEqual(new Uint8Array(b!), FILE.subarray(512, 812));
  assert.deepEqual(worker.posted, []); // still read here, not sent on to wllama
});
