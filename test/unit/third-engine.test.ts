// Adding an engine takes one folder (./third-engine/) and one registry line: shown here with
// the worker's real engine host, routing a record that names the new kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletionChunk, LoadProgress, ModelRecord } from '../../protocol/types.js';
import { createEngineHost } from '../../worker/engine-host.js';
import { ENGINES, EngineRegistry } from '../../worker/engines/registry.js';
import { echoAdapter } from './third-engine/adapter.js';

test('a third engine runs through the engine host with one registry line', async () => {
  const registry = new EngineRegistry({ ...ENGINES, echo: async () => echoAdapter }); // ← the line
  const host = createEngineHost(registry);
  const record = { id: 'echo-1', engine: 'echo', url: 'none' } as unknown as ModelRecord;
  const progress: LoadProgress[] = [];
  await host.load(record, (p) => progress.push(p));
  assert.equal(progress.at(-1)?.text, 'Loaded echo-1');

  const chunks: ChatCompletionChunk[] = [];
  await host.chat({ messages: [{ role: 'user', content: 'one two three' }] }, (batch) => chunks.push(...batch));
  assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'one two three');
  assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'stop');
  assert.deepEqual(registry.kinds, ['wllama', 'web-llm', 'echo']);
});

test('a record naming an engine nobody registered is bad-input listing the known ones', async () => {
  const host = createEngineHost(new EngineRegistry());
  const record = { id: 'x', engine: 'nope', url: 'none' } as unknown as ModelRecord;
  await assert.rejects(
    host.load(record, () => {}),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'bad-input');
      assert.match(error.message, /"nope".*"wllama" or "web-llm"/);
      return true;
    },
  );
});
