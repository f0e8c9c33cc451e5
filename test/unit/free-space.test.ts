// The "Free space" plan: what is listed, what is chosen for the person, and when it can help.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CachedModel, ModelRecord } from '../../protocol/types.js';
import { canMakeRoom, choiceIsEnough, planFreeSpace } from '../../src/models/free-space.js';

const record = (id: string, sizeBytes?: number): ModelRecord => ({
  id,
  engine: 'wllama',
  url: `https://x/${id}.gguf`,
  label: id.toUpperCase(),
  sizeBytes,
});
const stored = (id: string, bytes: number, lastUsed: number): CachedModel => ({ id, engine: 'wllama', bytes, complete: true, lastUsed });

test("lists every other stored model, this chat's own first and chosen, others not chosen", () => {
  const plan = planFreeSpace(
    record('big', 1000),
    [record('mine'), record('big')],
    [stored('theirs', 300, 1), stored('mine', 500, 2), stored('big', 100, 3)],
    { usage: 900, quota: 1500 },
  );
  assert.deepEqual(
    plan.choices.map((c) => [c.id, c.label, c.ours, c.chosen]),
    [
      ['mine', 'MINE', true, true],
      ['theirs', 'theirs', false, false],
    ],
  );
  // 1000 needed, 100 already stored, 600 free: 300 short; this chat's own 500 is enough.
  assert.equal(plan.shortBy, 300);
  assert.equal(choiceIsEnough(plan), true);
  assert.equal(canMakeRoom(plan), true);
});

test('too little chosen is not enough; nothing that could be deleted makes room is said so', () => {
  const short = planFreeSpace(record('big', 2000), [], [stored('a', 300, 1)], { usage: 300, quota: 2100 });
  assert.equal(short.shortBy, 200);
  assert.equal(choiceIsEnough(short), false); // nothing chosen: another chat's model is the person's call
  short.choices[0]!.chosen = true;
  assert.equal(choiceIsEnough(short), true);
  const hopeless = planFreeSpace(record('big', 2000), [], [stored('a', 100, 1)], { usage: 1500, quota: 2100 });
  assert.equal(canMakeRoom(hopeless), false);
});

test('an unknown size never claims enough or too little, but something must be chosen', () => {
  const plan = planFreeSpace(record('big'), [record('a')], [stored('a', 10, 1)], { usage: 10, quota: 20 });
  assert.equal(plan.shortBy, undefined);
  assert.equal(canMakeRoom(plan), true);
  assert.equal(choiceIsEnough(plan), true);
  plan.choices[0]!.chosen = false;
  assert.equal(choiceIsEnough(plan), false);
});

test('a model another tab is using is listed as in use, never chosen, and not counted as room', () => {
  const plan = planFreeSpace(
    record('big', 1000),
    [record('mine'), record('big')],
    [{ ...stored('mine', 500, 1), inUse: true }, stored('theirs', 300, 2)],
    { usage: 800, quota: 1400 },
  );
  assert.deepEqual(
    plan.choices.map((c) => [c.id, c.inUse, c.chosen]),
    [
      ['mine', true, false],
      ['theirs', false, false],
    ],
  );
  // 400 short: only the 300 of "theirs" could be deleted from here.
  assert.equal(plan.shortBy, 400);
  assert.equal(canMakeRoom(plan), false);
});
