import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerReserve, estimateTokens, MESSAGE_OVERHEAD_TOKENS, trimToWindow } from '../../src/session/context-window.js';
import type { ChatMessage } from '../../protocol/types.js';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

test('estimateTokens counts UTF-8 bytes, not UTF-16 units, and rounds up', () => {
  assert.equal(estimateTokens(''), MESSAGE_OVERHEAD_TOKENS);
  assert.equal(estimateTokens('abc'), 1 + MESSAGE_OVERHEAD_TOKENS);
  assert.equal(estimateTokens('abcd'), 2 + MESSAGE_OVERHEAD_TOKENS);
  // "你好" is 6 bytes, "🦙" 4 bytes: 10 bytes → 4 tokens.
  assert.equal(estimateTokens('你好🦙'), 4 + MESSAGE_OVERHEAD_TOKENS);
});

test('estimateTokens is conservative for English prose (at least one token per 4 bytes)', () => {
  const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
  assert.ok(estimateTokens(prose) >= prose.length / 4);
});

test('trimToWindow keeps everything when it fits', () => {
  const history = [user('hi'), assistant('hello')];
  const result = trimToWindow({ role: 'system', content: 'be kind' }, history, user('how are you'), 1000)!;
  assert.equal(result.dropped, 0);
  assert.deepEqual(
    result.messages.map((m) => m.content),
    ['be kind', 'hi', 'hello', 'how are you'],
  );
});

test('trimToWindow drops the oldest turns first and always keeps the system prompt', () => {
  const cost = (text: string) => text.length; // one token per character, to make sums obvious
  const history = [user('aaaa'), assistant('bbbb'), user('cccc'), assistant('dddd')];
  const result = trimToWindow({ role: 'system', content: 'ss' }, history, user('nn'), 12, cost)!;
  assert.deepEqual(
    result.messages.map((m) => m.content),
    ['ss', 'cccc', 'dddd', 'nn'],
  );
  assert.equal(result.dropped, 2);
  assert.equal(result.tokens, 12);
});

test('trimToWindow never keeps an answer without its question', () => {
  const cost = (text: string) => text.length;
  const history = [user('aaaa'), assistant('bbbb'), user('cccc'), assistant('dd')];
  // Budget fits "bbbb" + "cccc" + "dd" after the fixed part, but "bbbb" answers a dropped question.
  const result = trimToWindow(undefined, history, user('nn'), 12, cost)!;
  assert.deepEqual(
    result.messages.map((m) => m.content),
    ['cccc', 'dd', 'nn'],
  );
  assert.equal(result.dropped, 2);
});

test('trimToWindow returns undefined when the new message alone is too long', () => {
  const cost = (text: string) => text.length;
  assert.equal(trimToWindow({ role: 'system', content: 'sss' }, [], user('nnnnnn'), 8, cost), undefined);
});

test('answerReserve uses max-tokens, else a quarter of the window capped at 1024', () => {
  assert.equal(answerReserve(512, 64), 64);
  assert.equal(answerReserve(512, undefined), 128);
  assert.equal(answerReserve(131072, undefined), 1024);
});

test('the tool list the worker adds takes room from the history: with tools, earlier turns go sooner', async () => {
  const { promptFor } = await import('../../src/session/turn.js');
  const { toolsReserve } = await import('../../src/session/context-window.js');
  const tool = { name: 'lookup', description: 'Finds a word. '.repeat(20), parameters: { type: 'object' }, run: () => '' };
  assert.equal(toolsReserve([]), 0);
  assert.ok(toolsReserve([tool]) > estimateTokens(tool.description));
  const turns = Array.from({ length: 12 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} `.repeat(8) }) as const);
  const settings = { systemPrompt: '', maxTokens: 64, tools: [] as (typeof tool)[] } as unknown as Parameters<typeof promptFor>[2];
  const without = promptFor(turns, 'next', settings, 512);
  const withTools = promptFor(turns, 'next', { ...settings, tools: [tool] }, 512);
  assert.ok(withTools.messages.length < without.messages.length, `${withTools.messages.length} vs ${without.messages.length}`);
});
