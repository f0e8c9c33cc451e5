// The Prompt API's pure parts: prompts canonicalized with the spec's errors, the context window's
// eviction plan, the prefix echo, sampling presets and the errors' names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlamaChatError } from '../../protocol/errors.js';
import { echoRemover } from '../../src/language-model/answer.js';
import { Conversation } from '../../src/language-model/conversation.js';
import { quotaExceeded, toDomError } from '../../src/language-model/errors.js';
import { canonicalPrompt, prefixOf, toChatMessages } from '../../src/language-model/prompt-input.js';
import { responseFormat, withConstraintInput } from '../../src/language-model/response-constraint.js';
import { samplingFor } from '../../src/language-model/sampling.js';

const named = (name: string) => (error: Error) => error.name === name;

test('a string is one user message; text parts collapse; an empty list is one empty user message', () => {
  assert.deepEqual(toChatMessages(canonicalPrompt('Hi', ['text'], false)), [{ role: 'user', content: 'Hi' }]);
  const parts = canonicalPrompt(
    [
      {
        role: 'user',
        content: [
          { type: 'text', value: 'foo' },
          { type: 'text', value: 'bar' },
        ],
      },
    ],
    ['text'],
    false,
  );
  assert.deepEqual(parts[0]!.content, [{ type: 'text', value: 'foobar' }]);
  assert.deepEqual(toChatMessages(canonicalPrompt([], ['text'], true)), [{ role: 'user', content: '' }]);
});

test("the spec's errors: system only first, prefix only on the last assistant message, types the session takes", () => {
  assert.throws(() => canonicalPrompt([{ role: 'system', content: 'x' }], ['text'], true), TypeError);
  assert.throws(
    () =>
      canonicalPrompt(
        [
          { role: 'user', content: 'a' },
          { role: 'system', content: 'b' },
        ],
        ['text'],
        false,
      ),
    TypeError,
  );
  assert.doesNotThrow(() =>
    canonicalPrompt(
      [
        { role: 'system', content: 'a' },
        { role: 'user', content: 'b' },
      ],
      ['text'],
      false,
    ),
  );
  assert.throws(() => canonicalPrompt([{ role: 'user', content: 'a', prefix: true }], ['text'], false), named('SyntaxError'));
  assert.throws(
    () =>
      canonicalPrompt(
        [
          { role: 'assistant', content: 'a', prefix: true },
          { role: 'user', content: 'b' },
        ],
        ['text'],
        false,
      ),
    named('SyntaxError'),
  );
  const image = { role: 'user' as const, content: [{ type: 'image' as const, value: new Uint8Array(1) }] };
  assert.throws(() => canonicalPrompt([image], ['text'], false), named('NotSupportedError'));
  assert.throws(() => canonicalPrompt([{ role: 'user', content: [{ type: 'text', value: 3 }] }], ['text'], false), TypeError);
  const prefixed = canonicalPrompt(
    [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'Sure: ', prefix: true },
    ],
    ['text'],
    false,
  );
  assert.equal(prefixOf(prefixed), 'Sure: ');
  assert.equal(prefixOf(canonicalPrompt('a', ['text'], false)), undefined);
});

test('eviction: whole turns, oldest first, never the initial prompts; QuotaExceeded numbers when even that is not enough', () => {
  const conversation = new Conversation([{ role: 'system', content: 's' }], 10, [
    { messages: [{ role: 'user', content: 'a' }], tokens: 30 },
    { messages: [{ role: 'user', content: 'b' }], tokens: 20 },
  ]);
  assert.equal(conversation.usage, 60);
  assert.deepEqual(conversation.planFit(30, 100, 1), { evict: 0 });
  assert.deepEqual(conversation.planFit(40, 100, 1), { evict: 1 });
  assert.deepEqual(conversation.planFit(80, 100, 1), { evict: 2 });
  assert.deepEqual(conversation.planFit(95, 100, 1), { requested: 105, quota: 100 });
  const copy = conversation.clone();
  conversation.evict(1);
  assert.equal(conversation.usage, 30);
  assert.equal(copy.usage, 60); // a clone's history is its own
});

test('the prefix llama.cpp repeats is taken off, however it is split; an engine that does not repeat it loses nothing', () => {
  const pieces = (prefix: string, deltas: string[]) => deltas.map(echoRemover(prefix)).join('');
  assert.equal(pieces('Sure, ', ['Su', 're', ', he', 're it is']), 'here it is');
  assert.equal(pieces('Sure, ', ['Sure, ', 'ok']), 'ok');
  assert.equal(pieces('Sure, ', ['here', ' it is']), 'here it is');
});

test('responseConstraint: a JSON Schema becomes json_schema, a RegExp is NotSupportedError; the schema is shown unless omitted', () => {
  assert.deepEqual(responseFormat({ type: 'string' }), {
    type: 'json_schema',
    json_schema: { name: 'response_constraint', schema: { type: 'string' } },
  });
  assert.equal(responseFormat(undefined), undefined);
  assert.throws(() => responseFormat(/a+/), named('NotSupportedError'));
  const shown = withConstraintInput([{ role: 'user', content: 'Who?' }], { type: 'string' });
  assert.match(String(shown[0]!.content), /^Who\?\n\n.*\{"type":"string"\}/);
  const beforePrefix = withConstraintInput([{ role: 'assistant', content: '{' }], { type: 'object' });
  assert.deepEqual(
    beforePrefix.map((m) => m.role),
    ['user', 'assistant'],
  );
});

test('sampling: presets by mode, topK and temperature as given, clamped, RangeError below their minimum', () => {
  assert.deepEqual(samplingFor({ samplingMode: 'most-predictable' }), { temperature: 0, topK: 1 });
  assert.deepEqual(samplingFor({ temperature: 0.5, topK: 3.7 }), { temperature: 0.5, topK: 3 });
  assert.deepEqual(samplingFor({ temperature: Infinity, topK: Infinity }), { temperature: 2, topK: 128 });
  assert.throws(() => samplingFor({ temperature: -1 }), RangeError);
  assert.throws(() => samplingFor({ topK: 0 }), RangeError);
});

test("errors by the spec's names, the library's error kept as the cause; QuotaExceededError with its numbers", () => {
  const aborted = toDomError(new LlamaChatError('aborted', 'stopped')) as DOMException & { cause: unknown };
  assert.equal(aborted.name, 'AbortError');
  assert.ok(aborted.cause instanceof LlamaChatError);
  assert.equal((toDomError(new LlamaChatError('context-overflow', 'long')) as DOMException).name, 'QuotaExceededError');
  assert.equal((toDomError(new Error('?')) as DOMException).name, 'UnknownError');
  const quota = quotaExceeded(600, 512);
  assert.equal(quota.name, 'QuotaExceededError');
  assert.deepEqual([quota.requested, quota.quota], [600, 512]);
});
