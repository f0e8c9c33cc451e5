// ChatSession with a fake engine: its race guards and its one failure path, without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlamaChatError } from '../../protocol/errors.js';
import { A, B, deferred, setup } from './session-fakes.js';

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
