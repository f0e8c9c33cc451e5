import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsyncQueue } from '../../src/client/async-queue.js';

async function drain<T>(queue: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of queue) out.push(value);
  return out;
}

test('values pushed before and after the reader arrives come out in order', async () => {
  const queue = new AsyncQueue<number>();
  queue.push(1);
  const reading = drain(queue);
  queue.push(2);
  await Promise.resolve();
  queue.push(3);
  queue.end();
  assert.deepEqual(await reading, [1, 2, 3]);
});

test('values buffered before end() are still delivered', async () => {
  const queue = new AsyncQueue<string>();
  queue.push('a');
  queue.push('b');
  queue.end();
  queue.push('ignored');
  assert.deepEqual(await drain(queue), ['a', 'b']);
});

test('fail() rejects the waiting reader', async () => {
  const queue = new AsyncQueue<number>();
  const reading = drain(queue);
  queue.fail(new Error('boom'));
  await assert.rejects(reading, /boom/);
});

test('leaving the loop early calls onReturn once and stops delivery', async () => {
  let returned = 0;
  const queue = new AsyncQueue<number>(() => (returned += 1));
  queue.push(1);
  queue.push(2);
  for await (const value of queue) {
    assert.equal(value, 1);
    break;
  }
  assert.equal(returned, 1);
  await queue.return();
  assert.equal(returned, 1);
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
});
