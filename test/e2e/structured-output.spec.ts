// Schema-constrained answers from the tiny random-weights model: without a constraint its word
// salad is not JSON; with one, every answer parses and matches, checked here with a validator of
// our own choosing in Node, independent of the one in the worker.
import { expect, test, type Page } from '@playwright/test';
import { Validator } from '@cfworker/json-schema';
import type { JsonSchema, ModelRecord } from '../../protocol/types.js';
import { tinyAltRecord, tinyRecord } from './helpers.js';

const ANSWERS = 20;

const SCHEMAS: Record<string, JsonSchema> = {
  // Nested objects, enums, integer ranges, required and optional fields, bounded strings.
  person: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 8 },
      role: { enum: ['admin', 'editor', 'viewer'] },
      age: { type: 'integer', minimum: 18, maximum: 99 },
      address: {
        type: 'object',
        properties: { city: { type: 'string', maxLength: 6 }, floor: { type: 'integer', minimum: -2, maximum: 12 } },
        required: ['city'],
        additionalProperties: false,
      },
      nickname: { type: 'string', maxLength: 5 },
    },
    required: ['name', 'role', 'age', 'address'],
    additionalProperties: false,
  },
  // Arrays with bounds, of objects and of integers; booleans and null.
  order: {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 3,
        items: {
          type: 'object',
          properties: { sku: { type: 'string', minLength: 3, maxLength: 4 }, qty: { type: 'integer', minimum: 1, maximum: 9 } },
          required: ['sku', 'qty'],
          additionalProperties: false,
        },
      },
      scores: { type: 'array', minItems: 2, maxItems: 4, items: { type: 'integer', minimum: 0, maximum: 100 } },
      gift: { type: 'boolean' },
      note: { type: ['string', 'null'], maxLength: 4 },
    },
    required: ['items', 'scores', 'gift'],
    additionalProperties: false,
  },
};

interface Outcome {
  text?: string;
  error?: { code: string; message: string };
}

/** `count` answers from `record` at temperature 1, each with `schema` (or none) as its response_format. */
async function answers(
  page: Page,
  record: ModelRecord,
  schema: JsonSchema | undefined,
  count: number,
  maxTokens: number,
): Promise<Outcome[]> {
  return page.evaluate(
    async ({ record, schema, count, maxTokens }) => {
      const engine = await window.llamaChat.createEngine({ model: record.id, models: [record] });
      const outcomes: Outcome[] = [];
      for (let i = 0; i < count; i++) {
        try {
          const answer = await engine.chat.completions.create({
            messages: [{ role: 'user', content: `Describe record number ${i} as JSON.` }],
            temperature: 1,
            max_tokens: maxTokens,
            ...(schema ? { response_format: { type: 'json_schema' as const, json_schema: { name: 'record', schema, strict: true } } } : {}),
          });
          outcomes.push({ text: answer.choices[0]!.message.content ?? '' });
        } catch (error) {
          const { code, message } = error as { code: string; message: string };
          outcomes.push({ error: { code, message } });
        }
      }
      await engine.unload();
      return outcomes;
    },
    { record, schema, count, maxTokens },
  );
}

function parses(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

async function open(page: Page): Promise<string> {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  return new URL(page.url()).origin;
}

for (const [name, schema] of Object.entries(SCHEMAS)) {
  test(`${ANSWERS} answers at temperature 1 under the "${name}" schema all parse and validate`, async ({ page }) => {
    const outcomes = await answers(page, tinyRecord(await open(page)), schema, ANSWERS, 160);
    const validator = new Validator(schema as object, '2020-12', false);
    for (const outcome of outcomes) {
      expect(outcome.error, JSON.stringify(outcome.error)).toBeUndefined();
      const value = parses(outcome.text);
      expect(value, outcome.text).toBeDefined();
      expect(validator.validate(value).errors, outcome.text).toEqual([]);
    }
    // Random weights: the answers differ (the constraint shapes them, it does not write them).
    expect(new Set(outcomes.map((o) => o.text)).size).toBeGreaterThan(ANSWERS / 2);
  });
}

test('without the constraint the same model does not write JSON', async ({ page }) => {
  const outcomes = await answers(page, tinyRecord(await open(page)), undefined, ANSWERS, 40);
  const valid = outcomes.filter((o) => parses(o.text) !== undefined).length;
  test.info().annotations.push({ type: 'unconstrained valid JSON', description: `${valid}/${ANSWERS}` });
  expect(outcomes.every((o) => !o.error)).toBe(true);
  expect(valid).toBeLessThan(ANSWERS / 4);
});

test('a model with another vocabulary (JSON-spanning pieces) is held to the schema too', async ({ page }) => {
  const origin = await open(page);
  const record: ModelRecord = tinyAltRecord(origin);
  const outcomes = await answers(page, record, SCHEMAS.order, ANSWERS, 160);
  const validator = new Validator(SCHEMAS.order as object, '2020-12', false);
  for (const outcome of outcomes) {
    expect(outcome.error, JSON.stringify(outcome.error)).toBeUndefined();
    expect(validator.validate(parses(outcome.text)).valid, outcome.text).toBe(true);
  }
});

test('a schema the grammar cannot enforce is bad-input naming the keyword, and an answer cut off is invalid-output', async ({ page }) => {
  const record = tinyRecord(await open(page));
  const result = await page.evaluate(async (record) => {
    const engine = await window.llamaChat.createEngine({ model: record.id, models: [record] });
    const failure = async (run: () => Promise<unknown>) => run().then(() => undefined, (e: { code: string; message: string }) => ({ code: e.code, message: e.message })); // prettier-ignore
    const messages = [{ role: 'user' as const, content: 'Hi' }];
    const unsupported = await failure(() =>
      engine.chat.completions.create({
        messages,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'tags', schema: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
        },
      }),
    );
    const cut = await failure(() =>
      engine.chat.completions.create({
        messages,
        max_tokens: 3,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'words', schema: { type: 'object', properties: { a: { type: 'string', minLength: 30 } }, required: ['a'] } },
        },
      }),
    );
    await engine.unload();
    return { unsupported, cut };
  }, record);
  expect(result.unsupported?.code).toBe('bad-input');
  expect(result.unsupported?.message).toMatch(/"uniqueItems"/);
  expect(result.cut?.code).toBe('invalid-output');
  expect(result.cut?.message).toMatch(/max_tokens/);
});
