// The Llama 3.1 GGUF generator (test/fixtures/llama3-model.ts): what its header says, where its
// tensors are, that the file is exactly header + data, Llama 3.1's tokenizer at its ids, and the
// 8B's shapes and size, read back with an independent parser.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readGgufHeader, type GgufHeader } from '../fixtures/gguf-reader.js';
import { LLAMA31_8B, llama31RopeFactors, llama3ModelHeader, writeLlama3Model, type Llama3ModelOptions } from '../fixtures/llama3-model.js';
import { LLAMA31_CHAT_TEMPLATE } from '../fixtures/llama3-vocab.js';
import { encodeQ4_0 } from '../fixtures/q4-0.js';

const dir = await mkdtemp(join(tmpdir(), 'llama3-model-'));
after(() => rm(dir, { recursive: true, force: true }));

const SMALL: Llama3ModelOptions = { blockCount: 2, embeddingLength: 128, feedForwardLength: 256, headCount: 4, headCountKv: 2 };
const Q4_0 = 2;
const F32 = 0;

let written = 0;
async function write(options: Llama3ModelOptions): Promise<{ path: string; header: GgufHeader; bytes: number }> {
  const path = join(dir, `model-${written++}.gguf`);
  const bytes = await writeLlama3Model(path, options);
  return { path, header: readGgufHeader(path), bytes };
}

/** The small model, written once for the tests that read it. */
let small: ReturnType<typeof write> | undefined;
const writeSmall = () => (small ??= write(SMALL));

const padded = (n: number) => Math.ceil(n / 32) * 32;
const tensorBytes = (t: { dims: number[]; type: number }) => {
  const n = t.dims.reduce((a, d) => a * d, 1);
  return t.type === F32 ? 4 * n : (n / 32) * 18;
};

/** Half-precision bits as a number (normal values and zero). */
function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  return exponent === 0 ? 0 : sign * 2 ** (exponent - 15) * (1 + (bits & 0x3ff) / 1024);
}

/** Q4_0 bytes back to weights. */
function decodeQ4_0(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at < bytes.length; at += 18) {
    const d = fromHalf(bytes.readUInt16LE(at));
    const block = new Array<number>(32);
    for (let j = 0; j < 16; j++) {
      block[j] = ((bytes[at + 2 + j]! & 0x0f) - 8) * d + 0; // + 0: no -0
      block[j + 16] = ((bytes[at + 2 + j]! >> 4) - 8) * d + 0;
    }
    out.push(...block);
  }
  return out;
}

test("a small model: Llama 3.1's hyperparameters, its tokenizer and the smaller dimensions asked for", async () => {
  const { header } = await writeSmall();
  const m = header.metadata;
  assert.equal(header.version, 3);
  const expected: Record<string, unknown> = {
    'general.architecture': 'llama',
    'general.file_type': 2,
    'llama.block_count': 2,
    'llama.embedding_length': 128,
    'llama.feed_forward_length': 256,
    'llama.attention.head_count': 4,
    'llama.attention.head_count_kv': 2,
    'llama.context_length': 131072,
    'llama.rope.freq_base': 500000,
    'llama.rope.dimension_count': 32,
    'llama.vocab_size': 128256,
    'tokenizer.ggml.model': 'gpt2',
    'tokenizer.ggml.pre': 'llama-bpe',
    'tokenizer.ggml.bos_token_id': 128000,
    'tokenizer.ggml.eos_token_id': 128009,
    'tokenizer.ggml.eot_token_id': 128009,
    'tokenizer.ggml.eom_token_id': 128008,
    'tokenizer.ggml.add_bos_token': true,
    'tokenizer.chat_template': LLAMA31_CHAT_TEMPLATE,
  };
  for (const [key, value] of Object.entries(expected)) assert.equal(m.get(key), value, key);
  assert.ok(Math.abs(Number(m.get('llama.attention.layer_norm_rms_epsilon')) - 1e-5) < 1e-9);
  assert.match(LLAMA31_CHAT_TEMPLATE, /Cutting Knowledge Date: December 2023/);

  const tokens = m.get('tokenizer.ggml.tokens') as string[];
  const types = m.get('tokenizer.ggml.token_type') as number[];
  const merges = m.get('tokenizer.ggml.merges') as string[];
  assert.equal(tokens.length, 128256);
  assert.equal(types.length, 128256);
  assert.equal(merges.length, 280147);
  assert.equal(merges[0], 'Ġ Ġ');
  assert.deepEqual([tokens[0], tokens[271], tokens[9906], tokens[1917]], ['!', 'ĊĊ', 'Hello', 'Ġworld']);
  const specials: Record<number, string> = {
    128000: '<|begin_of_text|>',
    128001: '<|end_of_text|>',
    128002: '<|reserved_special_token_0|>',
    128003: '<|reserved_special_token_1|>',
    128004: '<|finetune_right_pad_id|>',
    128005: '<|reserved_special_token_2|>',
    128006: '<|start_header_id|>',
    128007: '<|end_header_id|>',
    128008: '<|eom_id|>',
    128009: '<|eot_id|>',
    128010: '<|python_tag|>',
    128011: '<|reserved_special_token_3|>',
    128255: '<|reserved_special_token_247|>',
  };
  for (const [id, name] of Object.entries(specials)) assert.equal(tokens[Number(id)], name, `token ${id}`);
  assert.equal(new Set(tokens).size, tokens.length, 'no token twice');
  assert.ok(
    types.every((t, id) => t === (id >= 128000 ? 3 : 1)),
    'specials are control tokens, the rest normal',
  );
});

test('tensors: Q4_0 matrices and F32 norms, aligned, and the file is exactly the header and their data', async () => {
  const { path, header, bytes } = await writeSmall();
  const names = header.tensors.map((t) => t.name);
  assert.equal(header.tensors.length, 4 + 9 * 2);
  assert.deepEqual(names.slice(0, 2), ['token_embd.weight', 'rope_freqs.weight']);
  assert.deepEqual(names.slice(-2), ['output_norm.weight', 'output.weight']);
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  assert.deepEqual(byName.get('token_embd.weight')!.dims, [128, 128256]);
  assert.deepEqual(byName.get('blk.1.attn_k.weight')!.dims, [128, 64]);
  assert.deepEqual(byName.get('blk.1.ffn_down.weight')!.dims, [256, 128]);
  for (const t of header.tensors)
    assert.equal(t.type, t.name.endsWith('norm.weight') || t.name === 'rope_freqs.weight' ? F32 : Q4_0, t.name);

  assert.equal(header.dataStart % 32, 0);
  let offset = 0;
  for (const t of header.tensors) {
    assert.equal(t.offset, offset, `${t.name} follows the one before`);
    assert.equal(t.offset % 32, 0);
    offset += padded(tensorBytes(t));
  }
  assert.equal(statSync(path).size, header.dataStart + offset);
  assert.equal(bytes, header.dataStart + offset);

  // Llama 3.1's rope scaling, one factor per rotated pair: 1 for the fast ones, 8 for the slow.
  const rope = byName.get('rope_freqs.weight')!;
  const file = readFileSync(path);
  const factors = new Float32Array(
    file.buffer.slice(file.byteOffset + header.dataStart + rope.offset, file.byteOffset + header.dataStart + rope.offset + 64),
  );
  assert.deepEqual([...factors], [...llama31RopeFactors(32)]);
  assert.equal(factors[0], 1);
  assert.equal(factors.at(-1), 8);
});

test('the same seed writes the same bytes, another seed other weights', async () => {
  const tiny: Llama3ModelOptions = { ...SMALL, embeddingLength: 64, feedForwardLength: 64 };
  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  const [a, b, c] = [await write(tiny), await write(tiny), await write({ ...tiny, seed: 2 })];
  assert.equal(sha(a.path), sha(b.path));
  assert.notEqual(sha(a.path), sha(c.path));
});

test("a chain model: zero blocks, unit embeddings for the chain's tokens, output rows that read them", async () => {
  const chain = [271, 9906, 11, 1917, 128009, 810];
  const { path, header } = await write({ ...SMALL, embeddingLength: 64, chain });
  const file = readFileSync(path);
  const tensor = (name: string) => header.tensors.find((t) => t.name === name)!;
  const row = (name: string, index: number) => {
    const t = tensor(name);
    const rowBytes = (t.dims[0]! / 32) * 18;
    const at = header.dataStart + t.offset + index * rowBytes;
    return decodeQ4_0(file.subarray(at, at + rowBytes));
  };
  const unit = (slot: number) => Array.from({ length: 64 }, (_, i) => (i === slot ? 1 : 0));
  for (const [slot, token] of chain.entries()) {
    assert.deepEqual(row('token_embd.weight', token), unit(slot), `embedding of ${token}`);
    // The output row of the next token reads this one's slot (the last reads its own).
    const next = chain[slot + 1] ?? token;
    assert.equal(row('output.weight', next)[slot], 1, `${token} → ${next}`);
  }
  assert.ok(row('token_embd.weight', 0).every((v) => v === 0));
  assert.ok(row('output.weight', 100).every((v) => v === 0));
  const q = tensor('blk.0.attn_output.weight');
  assert.ok(file.subarray(header.dataStart + q.offset, header.dataStart + q.offset + tensorBytes(q)).every((b) => b === 0));
});

test("Llama 3.1 8B's shapes and size: 4.53 GB at 32 layers, 2.56 GB at 16, any layer count asked for", () => {
  const headerOf = (options: Llama3ModelOptions) => {
    const { header, totalBytes } = llama3ModelHeader(options);
    const path = join(dir, `header-${written++}.gguf`);
    writeFileSync(path, header);
    return { header: readGgufHeader(path), totalBytes };
  };
  const { header, totalBytes } = headerOf({});
  const dims = Object.fromEntries(header.tensors.map((t) => [t.name, t.dims]));
  assert.equal(header.metadata.get('llama.block_count'), LLAMA31_8B.blockCount);
  assert.equal(header.tensors.length, 4 + 9 * 32);
  assert.deepEqual(dims['token_embd.weight'], [4096, 128256]);
  assert.deepEqual(dims['output.weight'], [4096, 128256]);
  assert.deepEqual(dims['rope_freqs.weight'], [64]);
  assert.deepEqual(dims['blk.31.attn_q.weight'], [4096, 4096]);
  assert.deepEqual(dims['blk.31.attn_v.weight'], [4096, 1024]);
  assert.deepEqual(dims['blk.31.ffn_gate.weight'], [4096, 14336]);
  assert.deepEqual(dims['blk.31.ffn_down.weight'], [14336, 4096]);
  const last = header.tensors.at(-1)!;
  assert.equal(totalBytes, header.dataStart + last.offset + padded(tensorBytes(last)));
  assert.ok(totalBytes > 4.52e9 && totalBytes < 4.54e9, `${totalBytes}`);
  const half = headerOf({ blockCount: 16 });
  assert.equal(half.header.tensors.length, 4 + 9 * 16);
  assert.ok(half.totalBytes > 2.55e9 && half.totalBytes < 2.57e9, `${half.totalBytes}`);
});

test('Q4_0 encoding keeps multiples of the scale exactly', () => {
  const values = Array.from({ length: 64 }, (_, i) => (i % 5 === 0 ? 0.5 : i % 7 === 0 ? -0.25 : 0));
  assert.deepEqual(decodeQ4_0(encodeQ4_0(values)), values);
});
