import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSampling } from '../../src/session/settings-check.js';

test('usable sampling settings pass', () => {
  for (const settings of [
    { temperature: undefined, maxTokens: undefined },
    { temperature: 0, maxTokens: 1 },
    { temperature: 2, maxTokens: 4096 },
  ]) {
    assert.equal(checkSampling(settings), undefined);
  }
});

test('each unusable value is bad-input naming the attribute and the value as written', () => {
  const written: Record<string, string> = { temperature: 'abc', 'max-tokens': '-5' };
  const cases = [
    [{ temperature: Number.NaN, maxTokens: undefined }, 'temperature="abc"'],
    [{ temperature: -1, maxTokens: undefined }, 'temperature="abc"'],
    [{ temperature: undefined, maxTokens: -5 }, 'max-tokens="-5"'],
    [{ temperature: undefined, maxTokens: 1.5 }, 'max-tokens="-5"'],
  ] as const;
  for (const [settings, named] of cases) {
    const error = checkSampling(settings, (name) => written[name] ?? null);
    assert.equal(error?.code, 'bad-input');
    assert.ok(error.message.includes(named), error.message);
  }
  assert.match(checkSampling({ temperature: Infinity, maxTokens: undefined })!.message, /temperature="Infinity"/);
});

test("max-tokens is bounded by the model's context window, and the message says the bound", () => {
  assert.equal(
    checkSampling({ temperature: undefined, maxTokens: 512 }, () => null, 512),
    undefined,
  );
  for (const maxTokens of [513, 2 ** 31, 2 ** 32]) {
    const error = checkSampling({ temperature: undefined, maxTokens }, () => null, 512);
    assert.equal(error?.code, 'bad-input');
    assert.match(error.message, /from 1 to 512 \(this model's context window\)/);
  }
});
