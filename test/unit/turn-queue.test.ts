// The shared engine's turn queue, with a fake model: first come first served, and a seat's
// stop reaches only its own answers (the real tabs: test/e2e/tabs.spec.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletionChunk } from '../../protocol/types.js';
import type { EngineRequest, LoadedModel } from '../../worker/engines/engine.js';
import { turnQueue } from '../../worker/sharing/turn-queue.js';

/** A model whose answers end only when released (or interrupted); it records the order it ran them in. */
function heldModel() {
  const ran: string[] = [];
  let release: () => void = () => {};
  let interrupts = 0;
  const model: LoadedModel = {
    record: { id: 'fake', engine: 'wllama', url: 'https://x.invalid/fake.gguf' },
    async chat(request: EngineRequest, onChunk) {
      ran.push(String(request.messages[0]?.content));
      await new Promise<void>((resolve) => (release = resolve));
      onChunk({
        id: 'c',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'fake',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      });
    },
    interrupt() {
      interrupts++;
      release();
    },
    async unload() {},
  };
  return { model, ran, release: () => release(), interrupts: () => interrupts };
}

const ask = (text: string): EngineRequest => ({ messages: [{ role: 'user', content: text }] });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('answers run one at a time, in the order they were asked, from every seat', async () => {
  const fake = heldModel();
  const queue = turnQueue(fake.model);
  const [a, b] = [queue.seat(), queue.seat()];
  const answers = [a.chat(ask('a1'), () => {}), b.chat(ask('b1'), () => {}), a.chat(ask('a2'), () => {})];
  await tick();
  assert.deepEqual(fake.ran, ['a1']);
  assert.equal(queue.length, 3);
  for (let i = 0; i < 3; i++) {
    fake.release();
    await tick();
  }
  await Promise.all(answers);
  assert.deepEqual(fake.ran, ['a1', 'b1', 'a2']);
  assert.equal(queue.length, 0);
});

test("a seat's interrupt stops its running answer and drops its waiting one, never another seat's", async () => {
  const fake = heldModel();
  const queue = turnQueue(fake.model);
  const [a, b] = [queue.seat(), queue.seat()];
  const finishes: Record<string, (string | null | undefined)[]> = { a: [], b: [] };
  const sink = (who: 'a' | 'b') => (chunk: ChatCompletionChunk) => finishes[who]!.push(chunk.choices[0]?.finish_reason);
  const running = b.chat(ask('b1'), sink('b'));
  const waiting = a.chat({ ...ask('a1'), stream_options: { include_usage: true } }, sink('a'));
  await tick();
  a.interrupt(); // a's answer is waiting: dropped, b's goes on
  assert.equal(fake.interrupts(), 0);
  await waiting;
  assert.deepEqual(finishes.a, ['abort']);
  fake.release();
  await running;
  assert.deepEqual(fake.ran, ['b1']);

  const again = b.chat(ask('b2'), sink('b'));
  await tick();
  a.interrupt(); // nothing of a's is under way: b's answer is untouched
  assert.equal(fake.interrupts(), 0);
  b.interrupt();
  assert.equal(fake.interrupts(), 1);
  await again;
});

test("one answer's failure does not hold up the next", async () => {
  const failing: LoadedModel = {
    record: { id: 'fake', engine: 'wllama', url: 'https://x.invalid/fake.gguf' },
    chat: async (request) => {
      if (request.messages[0]?.content === 'bad') throw new Error('engine failed');
    },
    interrupt() {},
    async unload() {},
  };
  const seat = turnQueue(failing).seat();
  await assert.rejects(
    seat.chat(ask('bad'), () => {}),
    /engine failed/,
  );
  await seat.chat(ask('good'), () => {});
});
