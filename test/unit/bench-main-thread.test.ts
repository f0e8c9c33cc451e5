import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mainThreadWork } from '../../bench/main-thread-trace.js';

const MAIN = { pid: 1, tid: 1 };
const WORKER = { pid: 1, tid: 2 };
const meta = [
  { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, ...MAIN, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, ...WORKER, args: { name: 'DedicatedWorker thread' } },
];
const mark = (name: string, ts: number) => ({ name, cat: 'blink.user_timing', ph: 'I', ts, ...MAIN });
const task = (ts: number, dur: number, thread = MAIN) => ({
  name: 'ThreadControllerImpl::RunTask',
  cat: 'toplevel',
  ph: 'X',
  ts,
  dur,
  ...thread,
});

test('mainThreadWork counts main-thread tasks inside the marks, clipped to them', () => {
  const events = [
    ...meta,
    mark('start', 1_000),
    task(500, 1_000), // 500 µs inside the window
    task(2_000, 3_000),
    task(2_500, 1_000), // nested in the one before: not counted twice
    task(3_000, 9_000, WORKER), // another thread
    task(9_000, 2_000), // 1 000 µs inside the window
    mark('end', 10_000),
    task(20_000, 50_000), // after the window
  ];
  assert.deepEqual(mainThreadWork(events, 'start', 'end'), { longestTaskMs: 3, busyMs: 4.5, windowMs: 9 });
});

test('mainThreadWork refuses a trace without its marks', () => {
  assert.throws(() => mainThreadWork([...meta, mark('start', 0)], 'start', 'end'), /marks/);
});
