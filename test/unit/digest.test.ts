import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { chunkDigest, FileDigest } from '../../worker/store/digest.js';

test('hashing a file chunk by chunk gives the SHA-256 of the whole file', async () => {
  const file = new Uint8Array(1_000_003).map((_, i) => (i * 31 + 7) & 0xff);
  const expected = createHash('sha256').update(file).digest('hex');
  const whole = new FileDigest();
  for (let at = 0; at < file.length; at += 65_536) whole.update(file.subarray(at, at + 65_536));
  assert.equal(whole.hex(), expected);
  assert.equal(await chunkDigest(file), expected);
});
