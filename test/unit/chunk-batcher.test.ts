import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchChunks } from '../../worker/chunk-batcher.js';

test('a chunk after a quiet frame goes out at once; the ones right behind it wait for the frame, together and in order', async () => {
  const sent: number[][] = [];
  const batch = batchChunks<number>((values) => sent.push(values), 40);
  batch.push(1);
  assert.deepEqual(sent, [[1]]); // the first token is not delayed
  batch.push(2);
  batch.push(3);
  assert.deepEqual(sent, [[1]]);
  await sleep(60);
  assert.deepEqual(sent, [[1], [2, 3]]);
  await sleep(60);
  batch.push(4); // a slow answer: each token on its own, without waiting
  assert.deepEqual(sent, [[1], [2, 3], [4]]);
});

test('flush sends what waits at once, and nothing twice', async () => {
  const sent: string[][] = [];
  const batch = batchChunks<string>((values) => sent.push(values), 1000);
  batch.push('a');
  batch.push('b');
  batch.push('end');
  batch.flush();
  assert.deepEqual(sent, [['a'], ['b', 'end']]);
  batch.flush();
  await sleep(20);
  assert.deepEqual(sent, [['a'], ['b', 'end']]);
});
