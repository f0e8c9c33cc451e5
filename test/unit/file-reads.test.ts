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

function llamaCppWorker(files: Record<string, Uint8Array>) {
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
  new Function('self', 'navigator', '__name', fileReadsSource({ folder: 'llama-chat-models', name: 'm.gguf' }))(scope, navigator, keepName);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  return { scope, posted, received, settle };
}

test("a read request is answered from the file in the worker itself, and never reaches wllama's host", async () => {
  const worker = llamaCppWorker({ 'm.gguf': FILE });
  worker.scope.postMessage({ verb: 'fs.read_req', args: ['model-00001-of-00001.gguf', 1000, 300] });
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
  const request = { verb: 'fs.read_req', args: ['model-00001-of-00001.gguf', 0, 16] };
  worker.scope.postMessage(request);
  await worker.settle();
  assert.deepEqual(worker.posted, [request]);
  assert.deepEqual(worker.received, []);

  const short = llamaCppWorker({ 'm.gguf': FILE });
  short.scope.postMessage({ verb: 'fs.read_req', args: ['m', 4000, 200] }); // past the end
  await short.settle();
  assert.equal(short.posted.length, 1);
});

test('each request gets a buffer of its size, and the one before it is let go then, and when a task ends', async () => {
  const worker = llamaCppWorker({ 'm.gguf': FILE });
  const read = async (offset: number, size: number) => {
    worker.scope.postMessage({ verb: 'fs.read_req', args: ['m', offset, size] });
    await worker.settle();
    return worker.received.at(-1)!.args[0];
  };
  const first = await read(0, 512);
  assert.equal(first.byteLength, 512); // exactly the request, as llama.cpp copies all of it
  assert.deepEqual(new Uint8Array(first), FILE.subarray(0, 512));
  const second = await read(512, 300);
  assert.equal(first.byteLength, 0, 'freed at the next request (llama.cpp has copied it), not left to the collector');
  assert.equal(second.byteLength, 300);
  assert.deepEqual(new Uint8Array(second), FILE.subarray(512, 812));
  worker.scope.postMessage({ callbackId: 7, result: 'loaded' });
  assert.equal(second.byteLength, 0, 'freed once loading ended');
  assert.deepEqual(new Uint8Array(await read(100, 1000)), FILE.subarray(100, 1100)); // a later task reads as well
  assert.deepEqual(worker.posted.slice(-1), [{ callbackId: 7, result: 'loaded' }]); // the task's end went on to wllama
});
