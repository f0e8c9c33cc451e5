import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlamaChatError } from '../../protocol/errors.js';
import { cpuMemoryNeed, cpuMemoryProblem, WASM_MEMORY_BYTES } from '../../protocol/memory-limits.js';
import { prefixSource, readGgufHeader, type ByteSource } from '../../worker/engines/wllama/gguf-header.js';
import { tinyModelBytes } from '../fixtures/tiny-model.js';

const tiny = tinyModelBytes();
const whole = (bytes: Uint8Array) => readGgufHeader(prefixSource(bytes, bytes.length), 'm', { whole: true });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof LlamaChatError ? `${error.code}: ${error.message}` : String(error)),
  );

test("the tiny model's whole header: its shape, and tensors that end inside the file", async () => {
  const header = await whole(tiny);
  assert.equal(header.architecture, 'llama');
  // embedding 64, 4 heads (16 wide), 2 KV heads: 2 × (16 + 16) cache values per token per layer.
  assert.deepEqual(header.shape, { layers: 2, embedding: 64, heads: 4, vocab: header.shape?.vocab, kvWidth: 64, contextLength: 512 });
  assert.ok(header.shape!.vocab > 800);
  assert.ok(header.dataStart! + header.dataEnd! <= tiny.length);
  assert.ok(tiny.length - (header.dataStart! + header.dataEnd!) < 32, 'only the last alignment padding is past the tensors');
});

test('the first bytes of a download give the same shape without the tensor table', async () => {
  const prefix = tiny.subarray(0, 64 * 1024);
  const header = await readGgufHeader(prefixSource(prefix, tiny.length), 'm', { whole: false });
  assert.deepEqual(header.shape, (await whole(tiny)).shape);
  assert.equal(header.dataStart, undefined);
  // Too few bytes to tell: no shape, and no error (the whole file is checked once stored).
  assert.equal((await readGgufHeader(prefixSource(tiny.subarray(0, 100), tiny.length), 'm', { whole: false })).shape, undefined);
});

test('damage the header shows is integrity: truncated, not GGUF, nonsense metadata, too short', async () => {
  assert.match(
    await codeOf(whole(tiny.subarray(0, Math.floor(tiny.length / 2)))),
    /^integrity: .*not a usable GGUF model \(it is truncated/,
  );
  const garbage = tiny.slice();
  garbage.fill(7, 0, 4);
  assert.match(await codeOf(whole(garbage)), /^integrity: .*not a GGUF model \(it does not start with the GGUF signature/);
  const nonsense = tiny.slice();
  nonsense.fill(0xff, 24, 4096);
  assert.match(await codeOf(whole(nonsense)), /^integrity: .*not a usable GGUF model/);
  assert.match(await codeOf(whole(tiny.subarray(0, 10))), /^integrity: .*only 10 bytes long/);
});

/** A file of `size` bytes that is `header` followed by zeros, never held in memory. */
function sparse(header: Uint8Array, size: number): ByteSource {
  return {
    size,
    read: async (offset, length) => {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      if (offset < header.length) out.set(header.subarray(offset, offset + out.length));
      return out;
    },
  };
}

test('tensor offsets past 2^31 and 2^32 are read exactly', async () => {
  const first = await whole(tiny);
  // Move the last tensor's data offset 5 GiB on: the file must then be that much longer.
  const moved = tiny.slice(0, first.dataStart);
  const view = new DataView(moved.buffer);
  // The last tensor's entry: its name, 2 dimensions (u32 count, u64 each), its type (u32), its offset (u64).
  const name = new TextEncoder().encode('blk.1.ffn_down.weight');
  const lastOffsetAt = Buffer.from(moved).lastIndexOf(name) + name.length + 4 + 16 + 4;
  const offset = Number(view.getBigUint64(lastOffsetAt, true));
  const far = offset + 5 * 1024 ** 3;
  view.setBigUint64(lastOffsetAt, BigInt(far), true);
  const lastBytes = first.dataEnd! - offset;
  const exact = first.dataStart! + far + lastBytes;
  const header = await readGgufHeader(sparse(moved, exact), 'm', { whole: true });
  assert.equal(header.dataEnd, far + lastBytes);
  assert.ok(header.dataEnd! > 2 ** 32);
  assert.match(await codeOf(readGgufHeader(sparse(moved, exact - 1), 'm', { whole: true })), /truncated: its tensors end at byte 5\d{9}/);
});

test("the CPU path's memory: weights, an f16 KV cache for the window, buffers; refused past 4 GiB", () => {
  const llama8b = { layers: 32, embedding: 4096, heads: 32, vocab: 128_256, kvWidth: 8 * (128 + 128), contextLength: 131_072 };
  const record = { id: 'llama-8b', engine: 'wllama' as const, url: '/x.gguf', contextLength: 4096 };
  const need = cpuMemoryNeed(record, 4_530_000_000, llama8b);
  assert.equal(need.kvCache, 2 * 4096 * 32 * 2048); // 512 MiB, as llama.cpp reports for the 8B at 4k
  assert.equal(need.total, need.weights + need.kvCache + need.buffers);
  const problem = cpuMemoryProblem(record, need);
  assert.equal(problem?.code, 'insufficient-memory');
  assert.match(problem!.message, /needs about 5\.\d\d GB .*4 GiB.*Nothing was downloaded.*smaller quantization.*shorter context.*WebGPU/);
  // Measured: at 2048 tokens 26 layers of the 8B's shape (3.79 GB) load, 27 (3.91 GB) run out.
  const at2k = { ...record, contextLength: 2048 };
  assert.equal(cpuMemoryProblem(at2k, cpuMemoryNeed(at2k, 3_789_477_932, { ...llama8b, layers: 26 })), undefined);
  assert.equal(cpuMemoryProblem(at2k, cpuMemoryNeed(at2k, 3_912_194_604, { ...llama8b, layers: 27 }))?.code, 'insufficient-memory');
  // 16 layers (2.56 GB) fit.
  const half = { ...llama8b, layers: 16 };
  assert.equal(cpuMemoryProblem(record, cpuMemoryNeed({ ...record, contextLength: 2048 }, 2_560_000_000, half)), undefined);
  // Only the size known: the weights alone already past the limit.
  assert.equal(cpuMemoryProblem(record, cpuMemoryNeed(record, WASM_MEMORY_BYTES))?.code, 'insufficient-memory');
  // The model's own window caps the one asked for.
  assert.equal(cpuMemoryNeed({ ...record, contextLength: 8192 }, 1e9, { ...half, contextLength: 2048 }).context, 2048);
});
