// The stuck-worker watch (src/client/heartbeat.ts) with a fake ping: a worker that answers is
// never taken for stuck, however long the watch; one that stops answering is, once; a stop ends it.
// With a progress clock, a load that answers pings but reports nothing is taken for silent, once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchHeartbeat } from '../../src/client/heartbeat.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timing = { everyMs: 5, stuckAfterMs: 40 };

test('a worker that answers every ping is never stuck', async () => {
  let pings = 0;
  let stuck = 0;
  const stop = watchHeartbeat(
    async () => void pings++,
    () => stuck++,
    timing,
  );
  await sleep(150);
  stop();
  assert.ok(pings > 5, `pinged ${pings} times`);
  assert.equal(stuck, 0);
});

test('a slow answer within the limit is not stuck; no second ping while one waits', async () => {
  let pings = 0;
  let stuck = 0;
  const stop = watchHeartbeat(
    () => (pings++, sleep(20)),
    () => stuck++,
    timing,
  );
  await sleep(150);
  stop();
  assert.equal(stuck, 0);
  assert.ok(pings < 150 / 5, `one ping at a time (${pings})`);
});

test('a worker that stops answering is taken for stuck once, after the limit', async () => {
  let answering = true;
  let stuckAt: number | undefined;
  let stuck = 0;
  const startedAt = Date.now();
  let silentFrom = 0;
  watchHeartbeat(
    () => (answering ? Promise.resolve() : new Promise(() => {})),
    () => {
      stuck++;
      stuckAt = Date.now();
    },
    timing,
  );
  await sleep(30);
  answering = false;
  silentFrom = Date.now();
  await sleep(200);
  assert.equal(stuck, 1);
  assert.ok(stuckAt! - silentFrom >= timing.stuckAfterMs - timing.everyMs, 'not before the limit');
  assert.ok(stuckAt! > startedAt);
});

test('stopped, it pings no more and never calls out', async () => {
  let pings = 0;
  let stuck = 0;
  const stop = watchHeartbeat(
    () => (pings++, new Promise(() => {})),
    () => stuck++,
    timing,
  );
  stop();
  await sleep(100);
  assert.equal(pings, 0);
  assert.equal(stuck, 0);
});

test('a load that answers every ping and reports progress is never silent', async () => {
  let lastProgress = Date.now();
  const reasons: string[] = [];
  const reporting = setInterval(() => (lastProgress = Date.now()), 10);
  const stop = watchHeartbeat(
    async () => {},
    (reason) => reasons.push(reason),
    { ...timing, lastProgressAt: () => lastProgress, silentAfterMs: 60 },
  );
  await sleep(250);
  stop();
  clearInterval(reporting);
  assert.deepEqual(reasons, []);
});

test('a load that answers every ping but reports nothing is silent, once, near its limit', async () => {
  const startedAt = Date.now();
  const reasons: { reason: string; at: number }[] = [];
  watchHeartbeat(
    async () => {},
    (reason) => reasons.push({ reason, at: Date.now() - startedAt }),
    { everyMs: 1_000, stuckAfterMs: 5_000, lastProgressAt: () => startedAt, silentAfterMs: 80 },
  );
  await sleep(300);
  assert.deepEqual(
    reasons.map((r) => r.reason),
    ['silent'],
  );
  // Checked a quarter of the limit apart, whatever the ping interval.
  assert.ok(reasons[0]!.at >= 80 && reasons[0]!.at < 80 + 60, `silent after ${reasons[0]!.at} ms`);
});

test('a worker that stops answering is unresponsive, not silent, when its last progress is recent', async () => {
  let lastProgress = Date.now();
  const reporting = setInterval(() => (lastProgress = Date.now()), 5);
  const reasons: string[] = [];
  watchHeartbeat(
    () => new Promise(() => {}),
    (reason) => reasons.push(reason),
    { ...timing, lastProgressAt: () => lastProgress, silentAfterMs: 10_000 },
  );
  await sleep(150);
  clearInterval(reporting);
  assert.deepEqual(reasons, ['unresponsive']);
});
