import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedDifferences, pairedRatios, percentile, summarize } from '../../bench/stats.js';
import { roundSpeed } from '../../bench/token-path.js';

test('summarize: odd count takes the middle value', () => {
  assert.deepEqual(summarize([5, 1, 3]), { median: 3, min: 1, max: 5, runs: 3 });
});

test('summarize: even count takes the mean of the middle two', () => {
  assert.deepEqual(summarize([4, 1, 2, 10]), { median: 3, min: 1, max: 10, runs: 4 });
});

test('summarize: refuses no values and non-finite values', () => {
  assert.throws(() => summarize([]));
  assert.throws(() => summarize([1, Number.NaN]));
  assert.throws(() => summarize([1, Infinity]));
});

test('summarize: leaves its input unsorted', () => {
  const values = [3, 1, 2];
  summarize(values);
  assert.deepEqual(values, [3, 1, 2]);
});

test('paired ratios and differences go run by run', () => {
  assert.deepEqual(pairedRatios([2, 9], [4, 3]), [0.5, 3]);
  assert.deepEqual(pairedDifferences([5, 7], [2, 10]), [3, -3]);
  assert.throws(() => pairedRatios([1], [1, 2]));
});

test('percentile: nearest rank, so the 10th of 21 runs is the third lowest', () => {
  const runs = Array.from({ length: 21 }, (_, i) => 21 - i); // 21 … 1
  assert.equal(percentile(runs, 0.1), 3);
  assert.equal(percentile(runs, 0.5), 11);
  assert.equal(percentile([7], 0.1), 7);
});

test("roundSpeed: a round's answers pooled, their tokens after the first over their decode time together", () => {
  const answer = (tokens: number, decodeMs: number) => ({
    variant: 'direct' as const,
    tokens,
    ttftMs: 5,
    decodeMs,
    decodeTokensPerS: 0,
    totalMs: 0,
  });
  assert.equal(roundSpeed([answer(101, 100), answer(301, 100)]), 2000);
  // 2,000 and 667 tok/s: pooled 1,000, where the mean of the two speeds would be 1,333
  assert.equal(roundSpeed([answer(101, 50), answer(101, 150)]), 1000);
});
