// A record's LoRA adapters: which records may have them, the scales a request's choice makes
// (protocol/lora-adapters.ts), and the header check that refuses an adapter of another model
// before llama.cpp sees it (worker/engines/wllama/lora-check.ts), on generated files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapterScales, adaptersProblem, adapterStoreRecord } from '../../protocol/lora-adapters.js';
import type { ModelRecord } from '../../protocol/types.js';
import { blobSource, readGgufHeader } from '../../worker/engines/wllama/gguf-header.js';
import { checkLoraAdapter } from '../../worker/engines/wllama/lora-check.js';
import { tinyLoraBytes } from '../fixtures/tiny-lora.js';
import { tinyModelBytes } from '../fixtures/tiny-model.js';

const record: ModelRecord = {
  id: 'tiny',
  engine: 'wllama',
  url: 'https://example.com/tiny.gguf',
  adapters: [
    { id: 'support', url: 'https://example.com/support.gguf', scale: 0.5 },
    { id: 'greeter', url: 'https://example.com/greeter.gguf' },
  ],
};

test('every adapter gets a scale in each request: the chosen one its own, the rest 0', () => {
  assert.deepEqual(adapterScales(record, undefined), { id: undefined, scales: [0, 0] });
  assert.deepEqual(adapterScales(record, null), { id: undefined, scales: [0, 0] });
  assert.deepEqual(adapterScales(record, 'support'), { id: 'support', scales: [0.5, 0] }); // the record's scale
  assert.deepEqual(adapterScales(record, 'greeter'), { id: 'greeter', scales: [0, 1] }); // 1 by default
  assert.deepEqual(adapterScales(record, { id: 'support', scale: 2 }), { id: 'support', scales: [2, 0] });
  assert.deepEqual(adapterScales({ ...record, adapters: [] }, undefined), { id: undefined, scales: [] });
});

test('an adapter the record does not have is bad-input naming the ones it has', () => {
  assert.throws(() => adapterScales(record, 'pirate'), {
    code: 'bad-input',
    message: 'tiny has no adapter "pirate". Its adapters are "support", "greeter".',
  });
  assert.throws(() => adapterScales({ ...record, adapters: undefined }, 'pirate'), { code: 'bad-input', message: /tiny has no adapters/ });
  assert.throws(() => adapterScales(record, { id: 'support', scale: Number.NaN }), { code: 'bad-input' });
});

test('adapters only on GGUF records, each with an id and URL, no id twice', () => {
  assert.equal(adaptersProblem(record), undefined);
  assert.equal(adaptersProblem({ ...record, adapters: undefined }), undefined);
  assert.match(adaptersProblem({ ...record, engine: 'web-llm' })!.message, /only GGUF models .* web-llm cannot load adapters/);
  assert.match(
    adaptersProblem({ ...record, adapters: [record.adapters![0]!, record.adapters![0]!] })!.message,
    /names the adapter "support" twice/,
  );
  assert.match(adaptersProblem({ ...record, adapters: [{ id: 'x', url: '' }] })!.message, /needs an "id" and a "url"/);
});

test("an adapter's file is stored under its URL, so every record naming it shares one copy", () => {
  const stored = adapterStoreRecord({ id: 'support', url: 'https://example.com/support.gguf', sha256: 'ab', sizeBytes: 10 });
  assert.deepEqual(stored, {
    id: 'lora:https://example.com/support.gguf',
    engine: 'wllama',
    url: 'https://example.com/support.gguf',
    label: 'support',
    sha256: 'ab',
    sizeBytes: 10,
  });
});

const tinyHeader = () => readGgufHeader(blobSource(new Blob([tinyModelBytes()])), 'tiny', { whole: true });
const check = async (bytes: Uint8Array<ArrayBuffer>) =>
  checkLoraAdapter(new Blob([bytes]), { id: 'a', url: 'https://example.com/a.gguf' }, await tinyHeader(), 'tiny');

test("an adapter made for the model passes; one of another model's shapes or layers is refused, naming the tensor", async () => {
  await check(tinyLoraBytes({ answer: ['▁Sure'] }));
  await assert.rejects(check(tinyLoraBytes({ answer: ['▁Sure'], base: { seed: 7, vocabulary: 1 } })), {
    code: 'bad-input',
    message: /^The adapter "a" \(https:\/\/example.com\/a.gguf\) cannot be used with tiny: its token_embd.weight update .* does not fit/,
  });
  await assert.rejects(check(tinyLoraBytes({ answer: ['▁Sure'], extraTarget: { name: 'blk.5.attn_q.weight', dims: [64, 64] } })), {
    code: 'bad-input',
    message: /it adapts blk.5.attn_q.weight, which this model does not have/,
  });
  await assert.rejects(check(tinyLoraBytes({ answer: ['▁Sure'], architecture: 'qwen2' })), {
    code: 'bad-input',
    message: /made for a "qwen2" model/,
  });
});

test('a model, or a file that is not GGUF, is not an adapter', async () => {
  await assert.rejects(check(tinyModelBytes()), { code: 'bad-input', message: /is not a GGUF LoRA adapter \(it has no general.type\)/ });
  await assert.rejects(check(new Uint8Array(4096).fill(7)), {
    code: 'integrity',
    message: /^The adapter "a" .* could not be used: the file is not a GGUF model/,
  });
  const truncated = tinyLoraBytes({ answer: ['▁Sure'] });
  await assert.rejects(check(truncated.subarray(0, truncated.length - 100)), { code: 'integrity', message: /truncated/ });
});
