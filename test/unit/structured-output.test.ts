// response_format and tools through the worker's real engine host, on the echo engine (it
// answers with the last message): planning, validation and the OpenAI shapes, without a model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletionChunk, ChatCompletionRequest, ChatTool, JsonSchema, ModelRecord } from '../../protocol/types.js';
import { createEngineHost } from '../../worker/engine-host.js';
import { EngineRegistry } from '../../worker/engines/registry.js';
import { partialContent } from '../../worker/structured/partial-content.js';
import { plainMessages } from '../../worker/structured/tool-messages.js';
import { echoAdapter } from './third-engine/adapter.js';

const PERSON: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 10 }, age: { type: 'integer', minimum: 0, maximum: 120 } },
  required: ['name'],
  additionalProperties: false,
};
const WEATHER: ChatTool = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

async function ask(request: Omit<ChatCompletionRequest, 'messages'>, said: string): Promise<ChatCompletionChunk[]> {
  const host = createEngineHost(new EngineRegistry({ echo: async () => echoAdapter }));
  await host.load({ id: 'echo', engine: 'echo', url: 'none' } as unknown as ModelRecord, () => {});
  const chunks: ChatCompletionChunk[] = [];
  await host.chat({ ...request, messages: [{ role: 'user', content: said }] }, (batch) => chunks.push(...batch));
  return chunks;
}

const schema = (s: JsonSchema) => ({ response_format: { type: 'json_schema' as const, json_schema: { name: 'person', schema: s } } });
const rejectsWith = (code: string, pattern: RegExp) => (error: Error & { code?: string }) => {
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
  return true;
};

test('an answer that matches the schema streams through unchanged', async () => {
  const chunks = await ask(schema(PERSON), '{"name": "Ada", "age": 36}');
  assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), '{"name": "Ada", "age": 36}');
  assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'stop');
});

test('an answer that does not match is invalid-output saying where', async () => {
  await assert.rejects(ask(schema(PERSON), '{"name": "Ada", "age": 300}'), rejectsWith('invalid-output', /#\/age.*120/));
  await assert.rejects(ask(schema(PERSON), 'not json'), rejectsWith('invalid-output', /not valid JSON/));
  await assert.rejects(ask({ response_format: { type: 'json_object' } }, '[1, 2]'), rejectsWith('invalid-output', /JSON object/));
});

test('schema features the grammar cannot enforce are bad-input naming them, before anything is generated', async () => {
  const cases: Array<[JsonSchema, RegExp]> = [
    [{ type: 'array', uniqueItems: true }, /"uniqueItems"/],
    [{ type: 'number', minimum: 0 }, /"minimum" on a non-integer/],
    [{ oneOf: [{ type: 'string' }, { type: 'integer' }] }, /"oneOf".*anyOf/],
    [{ type: 'object', properties: { x: { not: { type: 'string' } } } }, /#\/properties\/x.*"not"/],
    [{ type: 'string', format: 'date' }, /"format"/],
    [{ type: 'string', pattern: '^[a-z]+$' }, /"pattern"/],
  ];
  for (const [given, pattern] of cases) await assert.rejects(ask(schema(given), '{}'), rejectsWith('bad-input', pattern));
});

test('a tool call comes back in OpenAI shape with finish_reason tool_calls', async () => {
  const chunks = await ask(
    { tools: [WEATHER], tool_choice: 'required' },
    '{"tool_calls": [{"name": "weather", "arguments": {"city": "Oslo"}}]}',
  );
  const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
  assert.equal(calls.length, 1);
  assert.match(calls[0]!.id, /^call_\w+$/);
  assert.deepEqual(
    { ...calls[0], id: '' },
    { index: 0, id: '', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
  );
  assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
  assert.equal(
    chunks.some((c) => c.choices[0]?.delta.content),
    false,
  );
});

test('under tool_choice auto the model may answer in words; arguments that break the schema are invalid-output', async () => {
  const words = await ask({ tools: [WEATHER] }, '{"content": "It is \\"sunny\\""}');
  assert.equal(words.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'It is "sunny"');
  assert.equal(words.at(-1)?.choices[0]?.finish_reason, 'stop');
  await assert.rejects(
    ask({ tools: [WEATHER] }, '{"tool_calls": [{"name": "weather", "arguments": {}}]}'),
    rejectsWith('invalid-output', /tool-call/),
  );
  await assert.rejects(
    ask({ tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'nope' } } }, '{}'),
    rejectsWith('bad-input', /"nope"/),
  );
  await assert.rejects(ask({ tools: [WEATHER, WEATHER] }, '{}'), rejectsWith('bad-input', /Two tools/));
});

test('under tools, an answer in words streams as it is decoded, before the answer is complete', async () => {
  const words = await ask({ tools: [WEATHER] }, '{"content": "Rain in Oslo \\u00e9 all day \\"long\\""}');
  const pieces = words.map((c) => c.choices[0]?.delta.content ?? '').filter(Boolean);
  assert.ok(pieces.length >= 4, `streamed in ${pieces.length} pieces`);
  assert.equal(pieces.join(''), 'Rain in Oslo é all day "long"');
  assert.equal(words.at(-1)?.choices[0]?.finish_reason, 'stop');
});

test('tool calls and results become plain messages for templates without a tool role', () => {
  const messages = plainMessages(
    [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '12°C' },
    ],
    'You can call these tools: …',
  );
  assert.deepEqual(messages, [
    { role: 'system', content: 'Be brief.\n\nYou can call these tools: …' },
    { role: 'user', content: 'Weather in Oslo?' },
    { role: 'assistant', content: '{"tool_calls":[{"name":"weather","arguments":{"city":"Oslo"}}]}' },
    { role: 'user', content: 'Result of weather (call call_1): 12°C' },
  ]);
});

test('the words of an answer cut off mid-JSON are kept', () => {
  assert.equal(partialContent('{"content": "Hello \\"wor'), 'Hello "wor');
  assert.equal(partialContent('{ "content" : "a\\u00e9b\\u00'), 'aéb');
  assert.equal(partialContent('{"tool_calls": ['), undefined);
});
