// engine.fetch's HTTP shape, with a fake engine: routes, statuses, error bodies, Server-Sent
// Events and aborts (the real clients against the real engine: test/e2e/openai-clients.spec.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatCompletionChunk, ChatCompletionRequest, ModelRecord } from '../../protocol/types.js';
import { openAiFetch } from '../../src/client/openai-http.js';

const model: ModelRecord = { id: 'tiny', engine: 'wllama', url: 'https://x.invalid/tiny.gguf' };
const usage = {
  prompt_tokens: 3,
  completion_tokens: 2,
  total_tokens: 5,
  extra: { time_to_first_token_s: 0.1, decode_tokens_per_s: 9, e2e_latency_s: 0.3 },
};
const chunk = (
  content: string | undefined,
  finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null,
): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'tiny',
  choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }],
});

function fakeEngine(options: { refuse?: LlamaChatError; endless?: boolean; prefillMs?: number } = {}) {
  const seen: ChatCompletionRequest[] = [];
  let interrupted = 0;
  let streamsLeft = 0;
  const engine = {
    model,
    async *stream(request: ChatCompletionRequest) {
      seen.push(request);
      if (options.refuse) throw options.refuse;
      if (options.prefillMs) await new Promise((resolve) => setTimeout(resolve, options.prefillMs)); // reading the prompt
      try {
        for (let i = 0; options.endless || i < 2; i++) {
          yield chunk(`w${i} `);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        yield { ...chunk(undefined, 'stop'), usage };
      } finally {
        streamsLeft += 1; // as EngineClient's stream: leaving it early interrupts the answer
      }
    },
    complete: async (request: ChatCompletionRequest) => {
      seen.push(request);
      await new Promise((resolve) => setTimeout(resolve, 20)); // answering
      if (options.refuse) throw options.refuse;
      return {
        id: 'c1',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'w0 w1' }, finish_reason: 'stop' }],
        usage,
      };
    },
    interrupt: async () => void (interrupted += 1),
  };
  return { fetch: openAiFetch(engine), seen, interrupted: () => interrupted, streamsLeft: () => streamsLeft };
}

const post = (body: unknown, init: RequestInit = {}) =>
  ({
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    ...init,
  }) as RequestInit;

test('GET …/models lists the loaded model, whatever the base URL; another id is 404 model_not_found', async () => {
  const { fetch } = fakeEngine();
  assert.deepEqual(await (await fetch('https://api.example/v1/models')).json(), {
    object: 'list',
    data: [{ id: 'tiny', object: 'model', created: 0, owned_by: 'llama-chat' }],
  });
  const other = await fetch('http://localhost/openai/v1/models/gpt-4o');
  assert.equal(other.status, 404);
  assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'model_not_found');
});

test('aborting a JSON answer interrupts the engine and rejects with AbortError', async () => {
  const engine = fakeEngine();
  const controller = new AbortController();
  const asked = engine.fetch(
    'https://api.example/v1/chat/completions',
    post({ model: 'tiny', messages: [] }, { signal: controller.signal }),
  );
  while (engine.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 1)); // answering
  controller.abort();
  await assert.rejects(asked, { name: 'AbortError' });
  assert.equal(engine.interrupted(), 1);
});

test("a JSON answer without the request's model field reaching the engine; errors are OpenAI's bodies and statuses", async () => {
  const { fetch, seen } = fakeEngine();
  const answer = await fetch(
    'https://api.example/v1/chat/completions',
    post({ model: 'tiny', messages: [{ role: 'user', content: 'Hi' }] }),
  );
  assert.equal(answer.status, 200);
  assert.equal(((await answer.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content, 'w0 w1');
  assert.equal('model' in seen[0]!, false);
  const status = async (response: Promise<Response>) => {
    const r = await response;
    return [r.status, ((await r.json()) as { error: { type: string; code: string } }).error.code];
  };
  assert.deepEqual(await status(fetch('https://api.example/v1/chat/completions', post('{not json'))), [400, 'invalid_json']);
  assert.deepEqual(await status(fetch('https://api.example/v1/chat/completions', post({ model: 'gpt-4o', messages: [] }))), [
    404,
    'model_not_found',
  ]);
  assert.deepEqual(await status(fetch('https://api.example/v1/embeddings', post({ model: 'tiny' }))), [404, 'unknown_url']);
  assert.deepEqual(await status(fetch('https://api.example/v1/chat/completions')), [405, 'method_not_allowed']);
  const refused = fakeEngine({ refuse: new LlamaChatError('bad-input', 'response_format.type must be …') });
  assert.deepEqual(await status(refused.fetch('https://api.example/v1/chat/completions', post({ model: 'tiny', messages: [] }))), [
    400,
    'invalid_request',
  ]);
  const overflow = fakeEngine({ refuse: new LlamaChatError('context-overflow', 'too long') });
  assert.deepEqual(
    await status(overflow.fetch('https://api.example/v1/chat/completions', post({ model: 'tiny', stream: true, messages: [] }))),
    [400, 'context_length_exceeded'],
  );
  const crashed = fakeEngine({ refuse: new LlamaChatError('worker-crashed', 'gone') });
  assert.deepEqual(await status(crashed.fetch('https://api.example/v1/chat/completions', post({ model: 'tiny', messages: [] }))), [
    500,
    'worker-crashed',
  ]);
});

test('a stream is Server-Sent Events: a data line per chunk, usage in a chunk of its own, then [DONE]', async () => {
  const { fetch } = fakeEngine();
  const response = await fetch('https://api.example/v1/chat/completions', post({ model: 'tiny', stream: true, messages: [] }));
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const events = (await response.text()).split('\n\n').filter(Boolean);
  assert.ok(events.every((e) => e.startsWith('data: ')));
  assert.equal(events.at(-1), 'data: [DONE]');
  const parsed = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as ChatCompletionChunk);
  assert.deepEqual(
    parsed.map((c) => c.choices[0]?.delta.content ?? null),
    ['w0 ', 'w1 ', null, null],
  );
  assert.deepEqual(parsed.at(-1)!.choices, []);
  assert.deepEqual(parsed.at(-1)!.usage, usage);
  assert.equal(
    parsed.slice(0, -1).some((c) => 'usage' in c),
    false,
  );
});

test('aborting a stream interrupts the answer and errors the body with AbortError; an aborted signal refuses at once', async () => {
  const { fetch, streamsLeft } = fakeEngine({ endless: true });
  const controller = new AbortController();
  const response = await fetch(
    'https://api.example/v1/chat/completions',
    post({ model: 'tiny', stream: true, messages: [] }, { signal: controller.signal }),
  );
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await assert.rejects(async () => {
    for (;;) if ((await reader.read()).done) break;
  }, /abort/i);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(streamsLeft(), 1); // the endless answer was left, so the engine stops it
  await assert.rejects(fetch('https://api.example/v1/models', { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('a stream aborted while the prompt is still read rejects with AbortError and stops the answer', { timeout: 5000 }, async () => {
  const { fetch, seen, streamsLeft } = fakeEngine({ endless: true, prefillMs: 30 });
  const controller = new AbortController();
  const asked = fetch(
    'https://api.example/v1/chat/completions',
    post({ model: 'tiny', stream: true, messages: [] }, { signal: controller.signal }),
  );
  while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  controller.abort();
  await assert.rejects(asked, { name: 'AbortError' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(streamsLeft(), 1); // the endless answer was left, not read on
});
