import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tinyModelBytes, writeTinyModel } from '../fixtures/tiny-model.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('the generator is deterministic and the seed changes the weights', () => {
  const a = tinyModelBytes();
  assert.equal(sha(a), sha(tinyModelBytes()));
  assert.notEqual(sha(a), sha(tinyModelBytes({ seed: 2 })));
});

test('the file is GGUF v3 and small by default', () => {
  const bytes = tinyModelBytes();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'GGUF');
  assert.equal(view.getUint32(4, true), 3);
  assert.ok(bytes.length < 4_000_000, `default model is ${bytes.length} bytes`);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 64_000));
  for (const key of ['general.architecture', 'tokenizer.ggml.tokens', 'tokenizer.chat_template', 'llama.block_count']) {
    assert.ok(text.includes(key), `metadata has ${key}`);
  }
});

test('writeTinyModel streams the same bytes to disk', async () => {
  const path = join(tmpdir(), `tiny-${process.pid}.gguf`);
  try {
    const written = await writeTinyModel(path, { seed: 3 });
    const file = await readFile(path);
    assert.equal(written, file.length);
    assert.equal(sha(file), sha(tinyModelBytes({ seed: 3 })));
  } finally {
    await rm(path, { force: true });
  }
});

test('the alternate vocabulary has other token ids and pieces that span JSON punctuation', () => {
  const latin = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes.subarray(0, 64_000));
  const usual = tinyModelBytes();
  const alternate = tinyModelBytes({ vocabulary: 1 });
  assert.notEqual(sha(usual), sha(alternate));
  assert.ok(latin(alternate).includes('": "') && !latin(usual).includes('": "'));
  assert.throws(() => tinyModelBytes({ vocabulary: 2 }), /vocabulary/);
});
