// The element's tool loop with a scripted engine: rounds, what goes back to the model, the cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../protocol/types.js';
import { runPageTool, type PageTool } from '../../src/session/page-tools.js';
import type { SessionClient, SessionEvents, SessionSettings, ToolActivity } from '../../src/session/session-types.js';
import { answerWithTools, MAX_TOOL_ROUNDS } from '../../src/session/tool-loop.js';
import type { Turn } from '../../src/session/turn.js';

const chunk = (
  delta: ChatCompletionChunk['choices'][0]['delta'],
  finish: ChatCompletionChunk['choices'][0]['finish_reason'],
): ChatCompletionChunk => ({
  id: 'x',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const callChunk = (n: number) =>
  chunk(
    { tool_calls: [{ index: 0, id: `call_${n}`, type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
    null,
  );

/** Calls `weather` while `calls` lasts, then answers "Sunny". */
function scriptedClient(calls: number): SessionClient & { requests: ChatCompletionRequest[] } {
  const requests: ChatCompletionRequest[] = [];
  return {
    requests,
    cache: { list: async () => [], delete: async () => {}, estimate: async () => ({ usage: 0, quota: 0 }) },
    load: async () => {},
    isStored: async () => false,
    forgetEverything: async () => {},
    interrupt: async () => {},
    terminate: () => {},
    async *stream(request) {
      requests.push(request);
      if (request.tool_choice !== 'none' && requests.length <= calls) {
        yield callChunk(requests.length);
        yield chunk({}, 'tool_calls');
      } else {
        yield chunk({ content: 'Sunny' }, null);
        yield chunk({}, 'stop');
      }
    },
  };
}

function run(client: SessionClient, tool: PageTool) {
  const turn: Turn = {
    question: { role: 'user', content: 'Weather?' },
    answer: { role: 'assistant', content: '' },
    usage: undefined,
    forcedStop: false,
    replaced: [],
  };
  const shown: ToolActivity[] = [];
  const events: Array<{ type: keyof SessionEvents; detail: unknown }> = [];
  const settings = { temperature: 1, maxTokens: 50, tools: [tool], toolChoice: 'required' } as unknown as SessionSettings;
  const done = answerWithTools(turn, client, [turn.question], settings, {
    emit: (type, detail) => events.push({ type, detail }),
    onChange: () => {},
    show: (a) => shown.push(a),
    onDelta: () => {},
  });
  return { turn, shown, events, done };
}

test('a call runs the tool, its result goes back as a tool message, and the answer follows', async () => {
  const client = scriptedClient(1);
  const args: unknown[] = [];
  const { turn, shown, events, done } = run(client, { name: 'weather', run: (a) => (args.push(a), { tempC: 21 }) });
  await done;
  assert.deepEqual(args, [{ city: 'Oslo' }]);
  assert.equal(turn.answer.content, 'Sunny');
  assert.deepEqual(
    client.requests.map((r) => r.tool_choice),
    ['required', 'auto'],
  );
  assert.deepEqual(client.requests[1]!.messages.slice(1), [
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '{"tempC":21}' },
  ]);
  assert.equal(shown[0]!.state, 'done');
  assert.deepEqual(events, [
    { type: 'llama-chat-tool-call', detail: { name: 'weather', arguments: { city: 'Oslo' } } },
    { type: 'llama-chat-tool-result', detail: { name: 'weather', result: '{"tempC":21}' } },
  ]);
});

test(`after ${MAX_TOOL_ROUNDS} rounds of calls the model must answer in words`, async () => {
  const client = scriptedClient(100);
  const { turn, done } = run(client, { name: 'weather', run: () => 'ok' });
  await done;
  assert.equal(client.requests.length, MAX_TOOL_ROUNDS + 1);
  assert.equal(client.requests.at(-1)!.tool_choice, 'none');
  assert.equal(turn.answer.content, 'Sunny');
});

test('a tool that throws or outlives its time limit is an error outcome, not a crash', async () => {
  assert.deepEqual(await runPageTool({ name: 't', run: () => Promise.reject(new Error('down')) }, {}), { error: 'down' });
  assert.deepEqual(await runPageTool({ name: 't', run: () => new Promise(() => {}), timeoutMs: 20 }, {}), {
    error: 'it did not finish within 20 ms',
  });
  assert.deepEqual(await runPageTool({ name: 't', run: () => undefined }, {}), { result: 'undefined' });
});
