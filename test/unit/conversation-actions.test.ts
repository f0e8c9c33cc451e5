// Regenerate, edit and resend, export and import on ChatSession with a fake engine: what the
// conversation, the prompt sent to the engine and the kept history become.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatMessage } from '../../protocol/types.js';
import { conversationMarkdown, parseConversation } from '../../src/session/conversation-file.js';
import { deferred, setup } from './session-fakes.js';

const plain = (messages: readonly { role: string; content: string | null }[]) => messages.map(({ role, content }) => `${role}: ${content}`);

test('regenerate() replaces the last answer: the view, the kept history and the prompt are as if answered once', async () => {
  const { session, engine, stored, events } = setup({ historyKey: 'k', systemPrompt: 'Be brief.' });
  await session.send('One');
  await session.send('Two');
  engine.words = ['Another', ' answer'];
  assert.equal(await session.regenerate(), 'Another answer');
  assert.deepEqual(plain(session.messages), ['user: One', 'assistant: Hello there', 'user: Two', 'assistant: Another answer']);
  assert.deepEqual(plain(stored.get('k') as ChatMessage[]), plain(session.messages));
  const prompt = engine.clients[0]!.requests.at(-1)!.messages;
  assert.deepEqual(plain(prompt), ['system: Be brief.', 'user: One', 'assistant: Hello there', 'user: Two']);
  assert.deepEqual(
    events.filter((e) => e.type === 'llama-chat-action').map((e) => e.detail),
    [{ action: 'regenerate', index: 2 }],
  );
  assert.equal(events.filter((e) => e.type === 'llama-chat-message').length, 3);
});

test('edit() replaces a message and everything after it with the new message and its answer', async () => {
  const { session, engine, stored } = setup({ historyKey: 'k' });
  await session.send('One');
  await session.send('Two');
  engine.words = ['Fixed'];
  assert.equal(await session.edit(0, '  Uno  '), 'Fixed');
  assert.deepEqual(plain(session.messages), ['user: Uno', 'assistant: Fixed']);
  assert.deepEqual(plain(engine.clients[0]!.requests.at(-1)!.messages), ['user: Uno']);
  assert.deepEqual(plain(stored.get('k') as ChatMessage[]), ['user: Uno', 'assistant: Fixed']);
});

test('an edit or regenerate that cannot be done is refused with bad-input and changes nothing', async () => {
  const { session } = setup();
  await assert.rejects(session.regenerate(), (e: LlamaChatError) => e.code === 'bad-input' && /no message/.test(e.message));
  await session.send('One');
  const before = plain(session.messages);
  for (const attempt of [session.edit(1, 'x'), session.edit(7, 'x'), session.edit(0, '   ')]) {
    const error = await attempt.catch((e: unknown) => e);
    assert.equal((error as LlamaChatError).code, 'bad-input');
    assert.equal(session.isRefusal(error), true);
  }
  assert.deepEqual(plain(session.messages), before);
  assert.equal(session.status, 'ready');
});

test('an edit the engine refuses as too long gives back what it would have replaced', async () => {
  const { session, engine } = setup();
  await session.send('One');
  await session.send('Two');
  const before = plain(session.messages);
  engine.words = [];
  engine.answerError = new LlamaChatError('context-overflow', 'too long');
  const error = await session.edit(0, 'A very long edit').catch((e: unknown) => e);
  assert.equal((error as LlamaChatError).code, 'context-overflow');
  assert.deepEqual(plain(session.messages), before);
});

test('regenerate() while an answer is written is refused and the answer goes on', async () => {
  const { session, engine } = setup();
  await session.send('One');
  engine.tokenGate = deferred();
  const second = session.send('Two');
  while (session.status !== 'generating') await new Promise((r) => setImmediate(r));
  await assert.rejects(session.regenerate(), /still being written/);
  engine.tokenGate.resolve();
  assert.equal(await second, 'Hello there');
  assert.equal(session.messages.length, 4);
});

test('export then import gives back the same conversation, kept under history-key; the model is named', async () => {
  const first = setup({ historyKey: 'a', systemPrompt: 'Be brief.' });
  await first.session.send('One');
  const json = await first.session.exportConversation('json');
  const file = JSON.parse(json) as { model: string; systemPrompt: string; messages: ChatMessage[] };
  assert.equal(file.model, 'model-a');
  assert.equal(file.systemPrompt, 'Be brief.');
  assert.match(
    await first.session.exportConversation('markdown'),
    /^# Conversation with model-a\n[\s\S]*## System prompt\n\nBe brief\.\n\n## You\n\nOne\n\n## Assistant\n\nHello there\n$/,
  );

  const second = setup({ historyKey: 'b', model: 'model-b' });
  await second.session.importConversation(json);
  assert.deepEqual(plain(second.session.messages), ['user: One', 'assistant: Hello there']);
  assert.deepEqual(plain(second.stored.get('b') as ChatMessage[]), ['user: One', 'assistant: Hello there']);
  assert.match(second.session.notice ?? '', /written with model-a; model-b answers/);
  await second.session.send('Two');
  assert.deepEqual(plain(second.engine.clients[0]!.requests[0]!.messages), ['user: One', 'assistant: Hello there', 'user: Two']);
});

test('a bad import says what is wrong and changes nothing, in the view or in storage', async () => {
  const { session, stored } = setup({ historyKey: 'k' });
  await session.send('Keep me');
  const kept = stored.get('k');
  const bad: [unknown, RegExp][] = [
    ['not json', /not JSON/],
    ['# Conversation with x', /Markdown export/],
    [{ format: 'something-else', version: 1, messages: [] }, /"format"/],
    [{ format: 'llama-chat/conversation', version: 2, messages: [] }, /"version" 2/],
    [[{ role: 'system', content: 'x' }], /message 1 has the role "system"/],
    [[{ role: 'user', content: 'ok' }, { role: 'assistant' }], /message 2 has no text/],
    [42, /neither/],
  ];
  for (const [input, why] of bad) {
    const error = await session.importConversation(input).catch((e: unknown) => e);
    assert.equal((error as LlamaChatError).code, 'bad-input', String(input));
    assert.match((error as Error).message, why);
    assert.match((error as Error).message, /Nothing was changed/);
  }
  assert.deepEqual(plain(session.messages), ['user: Keep me', 'assistant: Hello there']);
  assert.equal(stored.get('k'), kept);
});

test('a long import shows its newest messages; the whole of it is kept and exported again', async () => {
  const { session, stored } = setup({ historyKey: 'k' });
  const many = Array.from({ length: 1000 }, (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: `m${i}` }));
  await session.importConversation(many);
  assert.equal(session.messages.length, 400);
  assert.match(session.notice ?? '', /600 of its earliest messages/);
  assert.equal((stored.get('k') as unknown[]).length, 1000);
  assert.equal((JSON.parse(await session.exportConversation('json')) as { messages: unknown[] }).messages.length, 1000);
});

test('the file format: a stopped answer survives the round trip; Markdown says so', () => {
  const messages = [
    { role: 'user' as const, content: 'Q' },
    { role: 'assistant' as const, content: 'Half', stopped: true },
  ];
  assert.deepEqual(parseConversation(messages).messages, messages);
  assert.match(conversationMarkdown(messages, { model: 'm', systemPrompt: '' }), /Half\n\n\*\(stopped before the end\)\*/);
});
