// The download's stall watchdog (worker/store/stall-watchdog.ts) on a fake clock: bytes that
// keep coming are never a stall, silence is told every noticeAfterMs and is a stall at
// resumeAfterMs, and stalls count "in a row" only while nothing more was stored between them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STALL_TIMES, StallWatchdog, stallTimes, type Clock } from '../../worker/store/stall-watchdog.js';

/** A clock whose time moves only when the test says; timers run in order as it passes them. */
class FakeClock implements Clock {
  private time = 0;
  private timers = new Map<number, { at: number; run: () => void }>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.timers.delete(timer as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running each timer at its own time. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = [...this.timers].sort(([, a], [, b]) => a.at - b.at)[0];
      if (!next || next[1].at > until) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].run();
    }
    this.time = until;
  }
}

const times = { noticeAfterMs: 5_000, resumeAfterMs: 30_000, giveUpAfterStalls: 3 };

function watched(clock = new FakeClock()) {
  const watchdog = new StallWatchdog(times, clock);
  const heard: string[] = [];
  const stop = watchdog.watch({
    quiet: (silentMs) => heard.push(`quiet ${silentMs}`),
    stalled: () => heard.push(`stalled at ${clock.now()}`),
  });
  return { clock, watchdog, heard, stop };
}

test('bytes that keep coming are never a stall, however long the download, and cost one timer', () => {
  const { clock, watchdog, heard } = watched();
  for (let second = 0; second < 600; second++) {
    clock.advance(1_000);
    watchdog.gained();
  }
  assert.deepEqual(heard, []);
  assert.equal(clock.pending, 1);
});

test('a slow trickle (a byte every 4.9 s) is neither told nor a stall', () => {
  const { clock, watchdog, heard } = watched();
  for (let i = 0; i < 100; i++) {
    clock.advance(4_900);
    watchdog.gained();
  }
  assert.deepEqual(heard, []);
});

test('silence is told every noticeAfterMs, then is a stall at resumeAfterMs, once', () => {
  const { clock, heard } = watched();
  clock.advance(29_999);
  assert.deepEqual(heard, ['quiet 5000', 'quiet 10000', 'quiet 15000', 'quiet 20000', 'quiet 25000']);
  clock.advance(1);
  assert.equal(heard.at(-1), 'stalled at 30000');
  clock.advance(120_000);
  assert.equal(heard.filter((h) => h.startsWith('stalled')).length, 1);
  assert.equal(clock.pending, 0);
});

test('bytes in the middle of a silence start it over: the stall is 30 s after the last byte', () => {
  const { clock, watchdog, heard } = watched();
  clock.advance(20_000);
  watchdog.gained(); // at 20 s
  clock.advance(29_000);
  assert.ok(!heard.some((h) => h.startsWith('stalled')));
  assert.deepEqual(heard.slice(-1), ['quiet 25000']); // told again: 25 s of this second silence
  clock.advance(1_000);
  assert.equal(heard.at(-1), 'stalled at 50000');
});

test('a stopped watch hears nothing more; a new watch starts its own silence', () => {
  const { clock, watchdog, heard, stop } = watched();
  clock.advance(6_000);
  stop();
  clock.advance(100_000);
  assert.deepEqual(heard, ['quiet 5000']);
  assert.equal(clock.pending, 0);
  const again: string[] = [];
  watchdog.watch({ quiet: () => again.push('quiet'), stalled: () => again.push('stalled') });
  clock.advance(30_000);
  assert.deepEqual(again, ['quiet', 'quiet', 'quiet', 'quiet', 'quiet', 'stalled']);
});

test('stalls in a row: three at the same stored size give up; one further on starts the count again', () => {
  const { watchdog } = watched();
  assert.equal(watchdog.resumeAfterStall(0), true); // 1
  assert.equal(watchdog.resumeAfterStall(0), true); // 2: nothing stored since
  assert.equal(watchdog.resumeAfterStall(16), true); // a chunk stored since: 1 again
  assert.equal(watchdog.stalls, 1);
  assert.equal(watchdog.resumeAfterStall(16), true); // 2
  assert.equal(watchdog.resumeAfterStall(16), false); // 3 in a row: give up
  assert.equal(watchdog.stalls, 3);
});

test('times: the defaults where a value is missing, zero, negative or not a number; Infinity turns a step off', () => {
  assert.deepEqual(stallTimes(), STALL_TIMES);
  assert.deepEqual(stallTimes({ resumeAfterMs: 1_000 }), { ...STALL_TIMES, resumeAfterMs: 1_000 });
  assert.deepEqual(stallTimes({ noticeAfterMs: 0, resumeAfterMs: -1, giveUpAfterStalls: Number.NaN }), STALL_TIMES);
  const clock = new FakeClock();
  const watchdog = new StallWatchdog(stallTimes({ noticeAfterMs: Infinity, resumeAfterMs: Infinity }), clock);
  let heard = 0;
  watchdog.watch({ quiet: () => heard++, stalled: () => heard++ });
  clock.advance(10 * 3_600_000);
  assert.equal(heard, 0);
  assert.equal(clock.pending, 0);
});

test('the defaults: told after 5 s, resumed after 30 s, given up at the third stall in a row', () => {
  assert.deepEqual(STALL_TIMES, { noticeAfterMs: 5_000, resumeAfterMs: 30_000, giveUpAfterStalls: 3 });
});
