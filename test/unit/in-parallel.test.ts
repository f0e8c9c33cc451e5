import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inParallel } from '../../worker/in-parallel.js';

/** A task per item that waits for the test to let it finish; records how many run at once. */
function gatedTasks() {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const gates = new Map<number, () => void>();
  const task = async (item: number) => {
    started.push(item);
    running += 1;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => gates.set(item, resolve));
    running -= 1;
    if (item < 0) throw new Error(`item ${item} failed`);
  };
  const release = async (item: number) => {
    while (!gates.has(item)) await new Promise((resolve) => setImmediate(resolve));
    gates.get(item)!();
  };
  return { task, release, started, most: () => most };
}

test('runs every item, never more than the limit at once, in order of the list', async () => {
  const { task, release, started, most } = gatedTasks();
  const items = [1, 2, 3, 4, 5, 6, 7];
  const done = inParallel(items, 3, task);
  for (const item of items) await release(item);
  await done;
  assert.deepEqual(started, items);
  assert.equal(most(), 3);
});

test('a failure ends it with that error once the tasks under way have settled, and starts nothing new', async () => {
  const { task, release, started } = gatedTasks();
  let settled = false;
  const done = inParallel([1, -2, 3, 4, 5], 2, task).finally(() => (settled = true));
  await release(-2); // fails while 1 is still under way
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false);
  await release(1);
  await assert.rejects(done, /item -2 failed/);
  assert.deepEqual(started, [1, -2]);
});

test('an empty list and a limit above its length are fine', async () => {
  await inParallel([], 4, async () => assert.fail('no task for an empty list'));
  const seen: number[] = [];
  await inParallel([1, 2], 8, async (item) => void seen.push(item));
  assert.deepEqual(seen.sort(), [1, 2]);
});
