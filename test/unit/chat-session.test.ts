// ChatSession with a fake engine: its race guards and its one failure path, without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChatSession,
  type SessionEvents,
  type SessionHost,
  type SessionServices,
  type SessionSettings,
} from '../../src/session/chat-session.js';
import type { SessionClient } from '../../src/session/session-types.js';
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatCompletionChunk, ChatCompletionRequest, ModelRecord } from '../../protocol/types.js';

const A: ModelRecord = { id: 'model-a', engine: 'wllama', url: '/a.gguf', sizeBytes: 10 };
const B: ModelRecord = { id: 'model-b', engine: 'wllama', url: '/b.gguf', sizeBytes: 10 };

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** An engine that answers with `words`, one chunk each, and can be held at load or mid-answer. */
class FakeClient implements SessionClient {
  loads: string[] = [];
  terminated = false;
  interrupted = false;
  requests: ChatCompletionRequest[] = [];
  constructor(private readonly fake: FakeEngine) {}
  readonly cache = { list: async () => [], delete: async () => {}, estimate: async () => ({ usage: 0, quota: 0 }) };
  async isStored(): Promise<boolean> {
    return false;
  }
  async forgetEverything(): Promise<void> {}
  async load(record: ModelRecord): Promise<void> {
    this.loads.push(record.id);
    await this.fake.loadGate?.promise;
    if (this.fake.loadError) throw this.fake.loadError;
  }
  async *stream(request: ChatCompletionRequest): AsyncIterable<ChatCompletionChunk> {
    this.requests.push(request);
    const chunk = (content: string | undefined, finish: ChatCompletionChunk['choices'][0]['finish_reason']): ChatCompletionChunk => ({
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }],
    });
    for (const word of this.fake.words) {
      if (this.interrupted) break;
      yield chunk(word, null);
      await this.fake.tokenGate?.promise;
    }
    if (this.fake.answerError) throw this.fake.answerError;
    yield { ...chunk(undefined, this.interrupted ? 'abort' : 'stop'), ...(this.fake.usage ? { usage: this.fake.usage } : {}) };
    this.fake.usage = undefined; // once
  }
  async interrupt(): Promise<void> {
    if (!this.fake.deaf) this.interrupted = true;
  }
  terminate(): void {
    this.terminated = true;
    this.fake.tokenGate?.reject(new LlamaChatError('aborted', 'The chat engine was unloaded.'));
  }
}

class FakeEngine {
  clients: FakeClient[] = [];
  words = ['Hello', ' there'];
  loadGate: ReturnType<typeof deferred<void>> | undefined;
  tokenGate: ReturnType<typeof deferred<void>> | undefined;
  loadError: Error | undefined;
  answerError: Error | undefined;
  usage: ChatCompletionChunk['usage'];
  /** An engine that never acknowledges an interrupt. */
  deaf = false;
}

function setup(settings: Partial<SessionSettings> = {}) {
  const engine = new FakeEngine();
  const events: Array<{ type: keyof SessionEvents; detail: unknown }> = [];
  const stored = new Map<string, unknown>();
  const current: SessionSettings = {
    model: A.id,
    models: [A, B],
    systemPrompt: '',
    temperature: undefined,
    maxTokens: undefined,
    historyKey: undefined,
    tools: [],
    toolChoice: 'auto',
    ownEngine: false,
    ...settings,
  };
  const host: SessionHost = {
    settings: () => current,
    settled: () => Promise.resolve(),
    onChange: () => {},
    emit: (type, detail) => void events.push({ type, detail }),
  };
  const services: SessionServices = {
    createClient: () => {
      const client = new FakeClient(engine);
      engine.clients.push(client);
      return client;
    },
    pickModel: async (id, models) => ({ record: models.find((m) => m.id === id) ?? A }),
    history: {
      load: async (key) => ({ messages: (stored.get(key) as never) ?? [], earlier: [] }),
      save: async (key, messages) => void stored.set(key, messages),
      delete: async (key) => void stored.delete(key),
    },
  };
  return { session: new ChatSession(host, services), engine, events, current, stored };
}

test('send() loads the model, streams the answer, stores it and reports it once', async () => {
  const { session, events, stored } = setup({ historyKey: 'k' });
  assert.equal(await session.send('Hi'), 'Hello there');
  assert.equal(session.status, 'ready');
  assert.deepEqual(
    session.messages.map((m) => m.content),
    ['Hi', 'Hello there'],
  );
  assert.deepEqual((stored.get('k') as unknown[]).length, 2);
  assert.deepEqual(
    events.filter((e) => e.type === 'llama-chat-token').map((e) => (e.detail as { delta: string }).delta),
    ['Hello', ' there'],
  );
  assert.equal(events.filter((e) => e.type === 'llama-chat-message').length, 1);
});

test('a model changed while it loads: the stale load neither becomes ready nor reports', async () => {
  const { session, engine, events, current } = setup();
  engine.loadGate = deferred();
  const first = session.load();
  await new Promise((r) => setImmediate(r));
  current.model = B.id;
  session.unload(); // what the element does when `model` changes
  const second = session.load();
  engine.loadGate.resolve();
  await first.catch(() => {});
  await second;
  assert.equal(engine.clients[0]!.terminated, true, 'the replaced worker is ended');
  assert.deepEqual(engine.clients.at(-1)!.loads, [B.id]);
  assert.deepEqual(
    events.filter((e) => e.type === 'llama-chat-ready').map((e) => e.detail),
    [{ model: B.id }],
  );
  assert.equal(events.filter((e) => e.type === 'llama-chat-error').length, 0);
});

test('a load replaced by a newer one: a failure of the old one is not shown', async () => {
  const { session, engine, events } = setup();
  engine.loadGate = deferred();
  const first = session.load();
  await new Promise((r) => setImmediate(r));
  session.unload();
  engine.loadError = new LlamaChatError('network', 'old load failed');
  engine.loadGate.resolve();
  await assert.rejects(first);
  assert.equal(session.error, undefined);
  assert.equal(events.filter((e) => e.type === 'llama-chat-error').length, 0);
  assert.equal(session.status, 'idle');
});

test('stop() before the answer starts: the turn ends as stopped, nothing is generated', async () => {
  const { session, engine } = setup();
  engine.loadGate = deferred();
  const sent = session.send('Hi');
  await new Promise((r) => setImmediate(r));
  await session.stop();
  engine.loadGate.resolve();
  assert.equal(await sent, '');
  assert.equal(session.messages.at(-1)!.stopped, true);
  assert.equal(engine.clients[0]!.requests.length, 0);
  assert.equal(session.status, 'ready');
});

test('a failed load refuses the message explicitly; a failed answer keeps it, marked', async () => {
  const { session, engine } = setup();
  engine.loadError = new LlamaChatError('network', 'offline');
  const refused = await session.send('Hi').catch((e: unknown) => e);
  assert.equal(session.isRefusal(refused), true);
  assert.equal(session.messages.length, 0);
  assert.equal(session.status, 'error');

  engine.loadError = undefined;
  engine.answerError = new LlamaChatError('device-lost', 'gone');
  const failed = await session.send('Again').catch((e: unknown) => e);
  assert.equal(session.isRefusal(failed), false);
  assert.equal(session.messages.at(-1)!.failed, 'device-lost');
  assert.equal(session.messages.at(-1)!.content, 'Hello there');
  assert.equal(engine.clients.at(-1)!.terminated, true, 'a lost device ends its worker');
});

test('usage is per turn: a turn without usage does not report the last one', async () => {
  const { session, events, engine } = setup();
  const usage = {
    prompt_tokens: 3,
    completion_tokens: 2,
    total_tokens: 5,
    extra: { time_to_first_token_s: 0, decode_tokens_per_s: 1, e2e_latency_s: 1 },
  };
  engine.usage = usage;
  await session.send('Hi');
  assert.deepEqual(session.lastUsage, usage);
  await session.send('Again');
  const messages = events.filter((e) => e.type === 'llama-chat-message').map((e) => e.detail as { usage?: unknown });
  assert.deepEqual(
    messages.map((m) => m.usage),
    [usage, undefined],
  );
  assert.equal(session.lastUsage, undefined);
});

test('invalid settings refuse the message with bad-input and leave the status alone', async () => {
  const { session, events } = setup({ temperature: 9 });
  const error = await session.send('Hi').catch((e: unknown) => e);
  assert.equal((error as LlamaChatError).code, 'bad-input');
  assert.equal(session.isRefusal(error), true);
  assert.equal(session.status, 'idle');
  assert.equal(events.filter((e) => e.type === 'llama-chat-error').length, 1);
});

test('a second send() while answering is refused without touching the answer under way', async () => {
  const { session, engine } = setup();
  engine.tokenGate = deferred();
  const first = session.send('Hi');
  while (session.status !== 'generating') await new Promise((r) => setImmediate(r));
  const busy = await session.send('Too soon').catch((e: unknown) => e);
  assert.equal(session.isRefusal(busy), true);
  assert.equal(session.error, undefined);
  engine.tokenGate.resolve();
  assert.equal(await first, 'Hello there');
});

test('stop() on an engine that never acknowledges ends its worker, keeps the answer and loads again', async () => {
  const { session, engine } = setup();
  engine.deaf = true;
  engine.tokenGate = deferred();
  const sent = session.send('Hi');
  while (session.messages.at(-1)?.content !== 'Hello') await new Promise((r) => setImmediate(r));
  await session.stop();
  assert.equal(engine.clients[0]!.terminated, true);
  assert.equal(await sent, 'Hello'); // the answer so far, as after any stop
  assert.equal(session.messages.at(-1)!.stopped, true);
  assert.equal(session.messages.at(-1)!.failed, undefined);
  engine.tokenGate = undefined;
  while (session.status !== 'ready') await new Promise((r) => setImmediate(r));
  assert.equal(engine.clients.length, 2, 'a fresh worker loaded the model again');
  assert.equal(await session.send('Again'), 'Hello there');
});

test("llama-chat-ready carries the loaded record's license, and nothing more for a record without one", async () => {
  const license = { name: 'Llama 3.2 Community License', url: 'https://example.com/LICENSE', attribution: 'Built with Llama' };
  const { session, events, current } = setup({ models: [{ ...A, license }, B] });
  await session.load();
  current.model = B.id;
  session.unload();
  await session.load();
  assert.deepEqual(
    events.filter((e) => e.type === 'llama-chat-ready').map((e) => e.detail),
    [{ model: A.id, license }, { model: B.id }],
  );
});
