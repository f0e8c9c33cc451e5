// The worker's countTokens: the loaded model counts the messages as its engine would be given
// them (tool calls, results and the tools' instructions written in), and an engine that cannot
// count says so instead of guessing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, ChatTool, ModelRecord } from '../../protocol/types.js';
import { createEngineHost } from '../../worker/engine-host.js';
import type { EngineAdapter, LoadedModel } from '../../worker/engines/engine.js';
import { EngineRegistry } from '../../worker/engines/registry.js';

const WEATHER: ChatTool = {
  type: 'function',
  function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

function hostWith(countTokens: LoadedModel['countTokens']) {
  const counted: ChatMessage[][] = [];
  const record = { id: 'counting', engine: 'counting', url: 'none' } as unknown as ModelRecord;
  const model: LoadedModel = {
    record,
    chat: () => Promise.resolve(),
    interrupt: () => {},
    unload: () => Promise.resolve(),
    ...(countTokens ? { countTokens: (messages: ChatMessage[]) => (counted.push(messages), countTokens(messages)) } : {}),
  };
  const adapter: EngineAdapter = {
    load: () => Promise.resolve(model),
    listStored: () => Promise.resolve([]),
    deleteStored: () => Promise.resolve(),
  };
  const host = createEngineHost(new EngineRegistry({ counting: () => Promise.resolve(adapter) }));
  return { host, record, counted };
}

test("the model counts what its engine would read: tool calls, results and the tools' instructions as text", async () => {
  const { host, record, counted } = hostWith((messages) => Promise.resolve(messages.reduce((n, m) => n + m.content.length, 0)));
  await host.load(record, () => {});
  const count = await host.countTokens({
    messages: [
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'Sunny' },
    ],
    tools: [WEATHER],
  });
  const [messages] = counted;
  assert.equal(messages?.[0]?.role, 'system');
  assert.match(messages![0]!.content, /weather/);
  assert.match(messages![2]!.content, /"tool_calls"/);
  assert.match(messages![3]!.content, /^Result of weather \(call c1\): Sunny/);
  assert.equal(
    count,
    messages!.reduce((n, m) => n + m.content.length, 0),
  );
});

test('an engine that cannot count is bad-input naming the model, and nothing is loaded is an error', async () => {
  const { host, record } = hostWith(undefined);
  await assert.rejects(host.countTokens({ messages: [] }), /No model is loaded/);
  await host.load(record, () => {});
  await assert.rejects(host.countTokens({ messages: [{ role: 'user', content: 'x' }] }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'bad-input');
    assert.match(error.message, /counting cannot count tokens/);
    return true;
  });
});
