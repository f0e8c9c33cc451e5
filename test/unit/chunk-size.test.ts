import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkBytesFor, MAX_CHUNK_BYTES, MIN_CHUNK_BYTES } from '../../worker/store/chunk-size.js';

test('chunks: at least 16 per file within 64 KB..16 MB, 16 MB when the size is unknown', () => {
  assert.equal(chunkBytesFor(0), MAX_CHUNK_BYTES);
  assert.equal(chunkBytesFor(883_104), MIN_CHUNK_BYTES); // the tiny test model: 14 chunks
  assert.equal(chunkBytesFor(100e6), 8 * 1024 * 1024);
  assert.equal(chunkBytesFor(5e9), MAX_CHUNK_BYTES);
  for (const size of [1, 1e6, 3e7, 2e8, 1e9]) {
    const bytes = chunkBytesFor(size);
    assert.ok(bytes >= MIN_CHUNK_BYTES && bytes <= MAX_CHUNK_BYTES);
    assert.ok(bytes === MIN_CHUNK_BYTES || size / bytes > 8, `${size}: ${bytes}`);
  }
});
