// A download's chunks on their way to storage (worker/store/write-pipeline.ts): written one at a
// time in order, counted in order only once written, at most `depth` buffers, the first failure
// the one the download hears.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WritePipeline, type PipelineSteps } from '../../worker/store/write-pipeline.js';

const CHUNK = 8;

/** Steps whose writes and commits wait for the test to let each one finish; every event logged in order. */
function gatedSteps() {
  const log: string[] = [];
  const gates = new Map<string, { resolve(): void; reject(error: unknown): void }>();
  const gate = (key: string) => new Promise<void>((resolve, reject) => gates.set(key, { resolve, reject }));
  const steps: PipelineSteps = {
    async write(index, bytes) {
      log.push(`write ${index} [${bytes[0]}]`);
      await gate(`write ${index}`);
      return new Uint8Array(bytes.buffer);
    },
    async commit(index) {
      log.push(`commit ${index}`);
      await gate(`commit ${index}`);
    },
  };
  const settle = async (key: string, error?: unknown) => {
    while (!gates.has(key)) await new Promise((resolve) => setImmediate(resolve));
    const { resolve, reject } = gates.get(key)!;
    gates.delete(key);
    if (error === undefined) resolve();
    else reject(error);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { steps, log, settle };
}

async function filled(pipeline: WritePipeline, marker: number): Promise<Uint8Array<ArrayBuffer>> {
  const buffer = await pipeline.next();
  buffer[0] = marker;
  return buffer;
}

test('writes one chunk at a time in order, and counts each only after it is written and the one before it is counted', async () => {
  const { steps, log, settle } = gatedSteps();
  const pipeline = new WritePipeline(steps, CHUNK, 3);
  for (const index of [0, 1, 2]) pipeline.put(index, await filled(pipeline, index));
  await settle('write 0');
  assert.deepEqual(log, ['write 0 [0]', 'write 1 [1]', 'commit 0']);
  await settle('write 1');
  assert.deepEqual(log.slice(3), ['write 2 [2]'], 'chunk 1 is written, but not counted before chunk 0 is');
  await settle('commit 0');
  await settle('commit 1');
  await settle('write 2');
  await settle('commit 2');
  await pipeline.drain();
  assert.deepEqual(log.slice(3), ['write 2 [2]', 'commit 1', 'commit 2']);
});

test('never more than `depth` buffers: the next waits until a chunk is counted, and gets its buffer back', async () => {
  const { steps, settle } = gatedSteps();
  const pipeline = new WritePipeline(steps, CHUNK, 2);
  const first = await pipeline.next();
  pipeline.put(0, first.subarray(0, 3)); // a last, short chunk is a view: the whole buffer comes back
  pipeline.put(1, await pipeline.next());
  let third: Uint8Array | undefined;
  const waiting = pipeline.next().then((buffer) => (third = buffer));
  await settle('write 0');
  assert.equal(third, undefined, 'written is not enough: the chunk must be counted');
  await settle('commit 0');
  await waiting;
  assert.equal(third!.buffer, first.buffer);
  assert.equal(third!.length, CHUNK);
});

test('a failed write stops every write after it; next() and drain() report that first failure', async () => {
  const { steps, log, settle } = gatedSteps();
  const pipeline = new WritePipeline(steps, CHUNK, 3);
  for (const index of [0, 1, 2]) pipeline.put(index, await filled(pipeline, index));
  const full = new DOMException('disk full', 'QuotaExceededError');
  await settle('write 0', full);
  await assert.rejects(pipeline.next(), (error) => error === full);
  await assert.rejects(pipeline.drain(), (error) => error === full);
  assert.deepEqual(log, ['write 0 [0]'], 'nothing after the failure is written or counted');
});

test('a failed count stops the writes not yet begun', async () => {
  const { steps, log, settle } = gatedSteps();
  const pipeline = new WritePipeline(steps, CHUNK, 3);
  for (const index of [0, 1, 2]) pipeline.put(index, await filled(pipeline, index));
  await settle('write 0');
  await settle('commit 0', new Error('aborted'));
  await settle('write 1'); // under way when the count failed: it ends, and nothing comes after it
  await assert.rejects(pipeline.drain(), /aborted/);
  assert.deepEqual(log, ['write 0 [0]', 'write 1 [1]', 'commit 0']);
});
