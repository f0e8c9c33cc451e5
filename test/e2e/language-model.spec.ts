// The Prompt API (llama-chat/language-model, dist/language-model.js) on the real engine and the
// generated tiny model: every method and attribute, the spec's errors by name, the context window
// counted by the model's own tokenizer, and installLanguageModel() beside a browser's own.
import { Validator } from '@cfworker/json-schema';
import { expect, test, type Page } from '@playwright/test';
import type { ModelRecord } from '../../protocol/types.js';
import { tinyAltRecord, tinyRecord } from './helpers.js';

declare global {
  // A global, as a browser's own would be.
  var LanguageModel: typeof import('../../src/language-model/index.js').LanguageModel;
  interface Window {
    promptApi: typeof import('../../src/language-model/index.js');
    fakeLanguageModel?: unknown;
    builtinLanguageModel?: unknown;
  }
}

test.describe.configure({ timeout: 120_000 });

const PERSON_SCHEMA: {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required: string[];
  additionalProperties: false;
} = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 2, maxLength: 8 }, age: { type: 'integer', minimum: 18, maximum: 99 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

/** Opens the test page and installs the Prompt API on the tiny model (answers of at most 64 tokens). */
async function install(page: Page, query = '', pick = tinyRecord, maxOutputTokens = 64): Promise<ModelRecord> {
  await page.goto(`/pages/language-model.html${query}`);
  await page.waitForFunction(() => window.promptApi !== undefined);
  const record = pick(new URL(page.url()).origin);
  await page.evaluate(
    ({ record, maxOutputTokens }) => window.promptApi.installLanguageModel({ model: record.id, models: [record], maxOutputTokens }),
    { record, maxOutputTokens },
  );
  return record;
}

test('availability: downloadable, downloading while create() downloads, then available; unavailable for image input', async ({ page }) => {
  await install(page);
  const states = await page.evaluate(async () => {
    const before = await LanguageModel.availability();
    const image = await LanguageModel.availability({ expectedInputs: [{ type: 'image' }] });
    let during: Promise<string> | undefined;
    const events: Array<{ loaded: number; total: number; loadedBytes: number; totalBytes: number }> = [];
    const session = await LanguageModel.create({
      monitor(m) {
        m.addEventListener('downloadprogress', (e) => {
          const p = e as ProgressEvent & { loadedBytes: number; totalBytes: number };
          events.push({ loaded: p.loaded, total: p.total, loadedBytes: p.loadedBytes, totalBytes: p.totalBytes });
          during ??= LanguageModel.availability();
        });
      },
    });
    const after = await LanguageModel.availability();
    session.destroy();
    return { before, image, during: await during, after, events, params: await LanguageModel.params() };
  });
  expect(states.before).toBe('downloadable');
  expect(states.image).toBe('unavailable');
  expect(states.during).toBe('downloading');
  expect(states.after).toBe('available');
  // The spec's fractions: 0 first, 1 last, never going back; the bytes beside them.
  const fractions = states.events.map((e) => e.loaded);
  expect(fractions[0]).toBe(0);
  expect(fractions.at(-1)).toBe(1);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(states.events.every((e) => e.total === 1)).toBe(true);
  expect(states.events.at(-1)!.loadedBytes).toBe(states.events.at(-1)!.totalBytes);
  expect(states.events.at(-1)!.totalBytes).toBeGreaterThan(100_000);
  expect(states.params).toMatchObject({ defaultTopK: expect.any(Number), maxTemperature: expect.any(Number) });

  // A stored model is available at once on the next visit, with no download to report.
  await install(page);
  const next = await page.evaluate(async () => {
    const state = await LanguageModel.availability();
    let events = 0;
    const session = await LanguageModel.create({ monitor: (m) => m.addEventListener('downloadprogress', () => events++) });
    session.destroy();
    return { state, events };
  });
  expect(next).toEqual({ state: 'available', events: 0 });
});

test('availability is "unavailable" for a model no engine here can run for the Prompt API (web-llm on this device)', async ({ page }) => {
  await page.goto('/pages/language-model.html');
  await page.waitForFunction(() => window.promptApi !== undefined);
  const state = await page.evaluate(async () => {
    window.promptApi.installLanguageModel({ model: 'Llama-3.1-8B-Instruct-q4f16_1-MLC' });
    const state = await LanguageModel.availability();
    const created = await LanguageModel.create().then(
      () => 'resolved',
      (e: DOMException) => e.name,
    );
    return { state, created, params: await LanguageModel.params() };
  });
  expect(state).toEqual({ state: 'unavailable', created: 'NotSupportedError', params: null });
});

test('prompt, promptStreaming (deltas), append and measureContextUsage, counted by the model', async ({ page }) => {
  const record = await install(page);
  const out = await page.evaluate(async () => {
    const session = await LanguageModel.create({
      temperature: 0,
      topK: 1,
      initialPrompts: [{ role: 'system', content: 'You are terse.' }],
    });
    const initial = session.contextUsage;
    const measured = await session.measureContextUsage('Hello there');
    const sameLength = [
      await session.measureContextUsage('zzzzzzzzzzzzzzzzzzzz'),
      await session.measureContextUsage('you made small good!'),
    ];
    const twin = await session.clone();
    const answer = await session.prompt('Hello there');
    const afterPrompt = session.contextUsage;
    const chunks: string[] = [];
    for await (const chunk of twin.promptStreaming('Hello there') as unknown as AsyncIterable<string>) chunks.push(chunk);
    const appendMeasure = await session.measureContextUsage('One more thing.');
    const beforeAppend = session.contextUsage;
    await session.append('One more thing.');
    const appended = session.contextUsage - beforeAppend;
    const aliases = [session.inputUsage === session.contextUsage, session.inputQuota === session.contextWindow];
    const attributes = { window: session.contextWindow, temperature: session.temperature, topK: session.topK, mode: session.samplingMode };
    session.destroy();
    twin.destroy();
    return { initial, measured, sameLength, answer, afterPrompt, chunks, appendMeasure, appended, aliases, attributes };
  });
  expect(out.attributes).toEqual({ window: record.contextLength, temperature: 0, topK: 1, mode: 'default' });
  expect(out.initial).toBeGreaterThan(3); // the system prompt and the template's tokens
  expect(Number.isInteger(out.measured)).toBe(true);
  expect(out.measured).toBeGreaterThan(2);
  // Twenty characters each, not the same number of tokens: a tokenizer counted, not a length.
  expect(out.sameLength[0]).not.toBe(out.sameLength[1]);
  expect(out.answer.length).toBeGreaterThan(0);
  // The prompt and the answer both count.
  expect(out.afterPrompt).toBeGreaterThan(out.initial + out.measured);
  // The stream's chunks are deltas: together, the same greedy answer as prompt()'s.
  expect(out.chunks.length).toBeGreaterThan(1);
  expect(out.chunks.join('')).toBe(out.answer);
  expect(out.appended).toBe(out.appendMeasure);
  expect(out.aliases).toEqual([true, true]);
});

test('clone() keeps the conversation: the clone answers as the original does, a fresh session otherwise', async ({ page }) => {
  await install(page);
  const out = await page.evaluate(async () => {
    const a = await LanguageModel.create({ temperature: 0, topK: 1 });
    await a.prompt('Tell me about the sea.');
    const b = await a.clone();
    const usage = [a.contextUsage, b.contextUsage];
    const fromA = await a.prompt('And then?');
    const fromB = await b.prompt('And then?');
    const fresh = await LanguageModel.create({ temperature: 0, topK: 1 });
    const fromFresh = await fresh.prompt('And then?');
    for (const s of [a, b, fresh]) s.destroy();
    return { usage, fromA, fromB, fromFresh };
  });
  expect(out.usage[0]).toBe(out.usage[1]);
  expect(out.fromB).toBe(out.fromA);
  expect(out.fromFresh).not.toBe(out.fromA);
});

test('an assistant prefix is continued, not repeated', async ({ page }) => {
  await install(page);
  const out = await page.evaluate(async () => {
    const s = await LanguageModel.create({ temperature: 0, topK: 1 });
    const base = await s.clone();
    const whole = await base.prompt('Hello there');
    const cut = whole.indexOf(' ', 1 + whole.indexOf(' ', 1)); // two words, cut before a space
    const prefix = whole.slice(0, cut);
    const continued = await s.prompt([
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: prefix, prefix: true },
    ]);
    s.destroy();
    base.destroy();
    return { whole, prefix, continued };
  });
  expect(out.prefix.length).toBeGreaterThan(0);
  expect(out.continued.startsWith(out.prefix)).toBe(false);
  expect(out.continued.startsWith(out.whole.slice(out.prefix.length))).toBe(true);
});

test("the spec's errors: InvalidStateError, AbortError, NotSupportedError, QuotaExceededError, TypeError, SyntaxError", async ({
  page,
}) => {
  await install(page);
  const out = await page.evaluate(async () => {
    // The name of the error a call rejected with, or "resolved".
    const name = (call: () => Promise<unknown>) =>
      call().then(
        () => 'resolved',
        (e: Error) => e.name,
      );
    const s = await LanguageModel.create();
    const image = { role: 'user' as const, content: [{ type: 'image' as const, value: new Uint8Array(4) }] };
    const results: Record<string, string> = {};
    results.image = await name(() => s.prompt([image]));
    results.imageSession = await name(() => LanguageModel.create({ expectedInputs: [{ type: 'image' }] }));
    results.regexp = await name(() => s.prompt('x', { responseConstraint: /a+/ }));
    results.systemLater = await name(() =>
      s.prompt([
        { role: 'user', content: 'a' },
        { role: 'system', content: 'b' },
      ]),
    );
    results.badLanguage = await name(() => LanguageModel.create({ expectedInputs: [{ type: 'text', languages: ['not a tag!'] }] }));
    // Measuring takes a system message even on a session that has one (the spec measures without that check).
    results.measureSystem = await name(() => s.measureContextUsage([{ role: 'system', content: 'b' }]));
    results.prefixFirst = await name(() =>
      s.prompt([
        { role: 'assistant', content: 'a', prefix: true },
        { role: 'user', content: 'b' },
      ]),
    );
    results.preAborted = await name(() => s.prompt('x', { signal: AbortSignal.abort() }));
    const controller = new AbortController();
    const stopped = name(() => s.prompt('Write a long story.', { signal: controller.signal }));
    controller.abort();
    results.abortedUnderWay = await stopped;
    const streamController = new AbortController();
    results.abortedStream = await name(async () => {
      const stream = s.promptStreaming('Write a long story.', { signal: streamController.signal });
      for await (const _ of stream as unknown as AsyncIterable<string>) streamController.abort();
    });
    results.abortedCreate = await name(() => LanguageModel.create({ signal: AbortSignal.abort() }));
    results.abortedMeasure = await name(() => s.measureContextUsage('x', { signal: AbortSignal.abort() }));
    results.abortedClone = await name(() => s.clone({ signal: AbortSignal.abort() }));
    results.abortedAppend = await name(() => s.append('x', { signal: AbortSignal.abort() }));
    const huge = 'word '.repeat(2000);
    let quota: { requested?: number; quota?: number } = {};
    results.overWindow = await name(() =>
      s.prompt(huge).catch((e: { requested?: number; quota?: number }) => {
        quota = { requested: e.requested, quota: e.quota };
        throw e;
      }),
    );
    results.overWindowCreate = await name(() => LanguageModel.create({ initialPrompts: [{ role: 'system', content: huge }] }));
    const usageKept = s.contextUsage;
    // Destroyed during a prompt: that prompt rejects with AbortError, every later call with InvalidStateError.
    const during = name(() => s.prompt('Write a long story.'));
    const streamed = s.promptStreaming('Another story.');
    s.destroy();
    results.destroyedDuring = await during;
    results.streamDestroyed = await name(async () => {
      for await (const _ of streamed as unknown as AsyncIterable<string>) void _;
    });
    results.afterDestroy = await name(() => s.prompt('x'));
    results.appendAfterDestroy = await name(() => s.append('x'));
    results.cloneAfterDestroy = await name(() => s.clone());
    return { results, quota, usageKept, window: s.contextWindow };
  });
  expect(out.results).toEqual({
    image: 'NotSupportedError',
    imageSession: 'NotSupportedError',
    regexp: 'NotSupportedError',
    systemLater: 'TypeError',
    badLanguage: 'RangeError',
    measureSystem: 'resolved',
    prefixFirst: 'SyntaxError',
    preAborted: 'AbortError',
    abortedUnderWay: 'AbortError',
    abortedStream: 'AbortError',
    abortedCreate: 'AbortError',
    abortedMeasure: 'AbortError',
    abortedClone: 'AbortError',
    abortedAppend: 'AbortError',
    overWindow: 'QuotaExceededError',
    overWindowCreate: 'QuotaExceededError',
    destroyedDuring: 'AbortError',
    streamDestroyed: 'AbortError',
    afterDestroy: 'InvalidStateError',
    appendAfterDestroy: 'InvalidStateError',
    cloneAfterDestroy: 'InvalidStateError',
  });
  expect(out.quota.quota).toBe(out.window);
  expect(out.quota.requested).toBeGreaterThan(out.window);
});

test('contextoverflow: the oldest turns go when the window is full, the initial prompts stay', async ({ page }) => {
  await install(page);
  const out = await page.evaluate(async () => {
    const s = await LanguageModel.create({ temperature: 0, topK: 1, initialPrompts: [{ role: 'system', content: 'You are a scribe.' }] });
    const initial = s.contextUsage;
    let events = 0;
    let handler = 0;
    s.addEventListener('contextoverflow', () => events++);
    s.oncontextoverflow = () => handler++;
    const steps: Array<{ before: number; measured: number; after: number }> = [];
    const chunk = 'the sea and the sky '.repeat(10);
    for (let i = 0; i < 12 && events === 0; i++) {
      const before = s.contextUsage;
      const measured = await s.measureContextUsage(chunk);
      await s.append(chunk);
      steps.push({ before, measured, after: s.contextUsage });
    }
    const answer = await s.prompt('Go on.');
    const result = { initial, events, handler, steps, answer, usage: s.contextUsage, window: s.contextWindow };
    s.destroy();
    return result;
  });
  expect(out.events).toBe(1);
  expect(out.handler).toBe(1);
  const last = out.steps.at(-1)!;
  // Until the window was full, each append took what it measured; the last did not fit, so
  // older turns went to make room for it, and never the initial prompts.
  for (const step of out.steps.slice(0, -1)) expect(step.after).toBe(step.before + step.measured);
  expect(last.before + last.measured).toBeGreaterThan(out.window);
  expect(last.after).toBeLessThan(last.before + last.measured);
  expect(last.after).toBeLessThanOrEqual(out.window);
  expect(last.after).toBeGreaterThan(out.initial + last.measured - 1);
  // The next prompt still answers (making room again if it must), and its answer counts.
  expect(out.answer.length).toBeGreaterThan(0);
  expect(out.usage).toBeGreaterThan(out.initial);
});

test('responseConstraint: 20 of 20 answers are JSON that matches the schema, on random weights', async ({ page }) => {
  await install(page);
  const out = await page.evaluate(async (schema) => {
    const base = await LanguageModel.create();
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const s = await base.clone();
      answers.push(await s.prompt(`Person number ${i}, please.`, { responseConstraint: schema }));
      s.destroy();
    }
    const shown = await base.measureContextUsage('Person, please.', { responseConstraint: schema });
    const omitted = await base.measureContextUsage('Person, please.', { responseConstraint: schema, omitResponseConstraintInput: true });
    base.destroy();
    return { answers, shown, omitted };
  }, PERSON_SCHEMA);
  const validator = new Validator(PERSON_SCHEMA);
  expect(out.answers).toHaveLength(20);
  for (const text of out.answers) expect(validator.validate(JSON.parse(text) as unknown).valid, text).toBe(true);
  // Unless omitted, the schema is in the input the model reads, and counts.
  expect(out.shown).toBeGreaterThan(out.omitted);
});

test("tools: the model's calls run the page's execute, and the answer goes on after the result", async ({ page }) => {
  await install(page, '', tinyAltRecord, 200); // tool rounds add up: the 4096-token model
  const out = await page.evaluate(async () => {
    const calls: unknown[] = [];
    // Random weights never choose a call on their own: "required" (ours) makes the first answer one.
    const s = await LanguageModel.create({
      temperature: 0,
      topK: 1,
      toolChoice: 'required',
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city.',
          inputSchema: {
            type: 'object',
            properties: { city: { type: 'string', maxLength: 12 } },
            required: ['city'],
            additionalProperties: false,
          },
          execute: (input: { city: string }) => {
            calls.push(input);
            return Promise.resolve(`Sunny in ${input.city}.`);
          },
        },
      ],
    });
    const before = s.contextUsage;
    const asked = await s.measureContextUsage('What is the weather in Paris?');
    const answer = await s.prompt('What is the weather in Paris?');
    const usage = s.contextUsage;
    s.destroy();
    return { calls, answer, grew: usage - before - asked };
  });
  expect(out.calls.length).toBeGreaterThan(0);
  for (const input of out.calls) expect(Object.keys(input as object)).toEqual(['city']);
  expect(typeof out.answer).toBe('string');
  // The calls and their results stayed in the conversation, beside the answer.
  expect(out.grew).toBeGreaterThan(10 * out.calls.length);
});

test("installLanguageModel() defines LanguageModel where there is none, and leaves a browser's own alone", async ({ page }) => {
  await install(page);
  const fresh = await page.evaluate(() => {
    const result = window.promptApi.installLanguageModel({});
    return {
      installed: result.installed,
      isOurs: globalThis.LanguageModel === window.promptApi.LanguageModel && result.LanguageModel === result.local,
    };
  });
  expect(fresh).toEqual({ installed: true, isOurs: true });

  // A LanguageModel the page finds there first (a stand-in for Chrome's built-in) stays.
  const record = await install(page, '?fake=1');
  const beside = await page.evaluate(async (record) => {
    const result = window.promptApi.installLanguageModel({ model: record.id, models: [record] });
    const local = await result.local.create();
    const answer = await local.prompt('Hi');
    local.destroy();
    return {
      installed: result.installed,
      kept: globalThis.LanguageModel === window.fakeLanguageModel,
      returned: result.LanguageModel === window.fakeLanguageModel,
      localIsOurs: result.local === window.promptApi.LanguageModel,
      answered: answer.length > 0,
    };
  }, record);
  expect(beside).toEqual({ installed: false, kept: true, returned: true, localIsOurs: true, answered: true });

  // And so does this browser's own, where it has one.
  await install(page, '?builtin=keep');
  const builtin = await page.evaluate(() => {
    const had = window.builtinLanguageModel;
    const result = window.promptApi.installLanguageModel({});
    return {
      had: had !== undefined,
      installed: result.installed,
      kept: globalThis.LanguageModel === (had ?? window.promptApi.LanguageModel),
    };
  });
  expect(builtin.installed).toBe(!builtin.had);
  expect(builtin.kept).toBe(true);
});
