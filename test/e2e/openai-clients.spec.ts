// Clients nobody here wrote, as published on npm: OpenAI's `openai` and the AI SDK (`ai` with
// `@ai-sdk/openai-compatible`), bundled by Vite into an app (test/consumers/apps/ai-clients)
// with the packed package, talking to the local model through `engine.fetch`.
import { join } from 'node:path';
import { Validator } from '@cfworker/json-schema';
import { expect, test, type Page } from '@playwright/test';
import { prepareApp } from '../consumers/prepare.js';
import { serveFolder } from '../consumers/static-server.js';
import { PORT } from '../server.js';

test.describe.configure({ mode: 'serial', timeout: 600_000 }); // a first run installs the clients from the registry

const APP_PORT = PORT + 21;
const PERSON = new Validator({
  type: 'object',
  properties: { name: { type: 'string', minLength: 2, maxLength: 8 }, age: { type: 'integer', minimum: 18, maximum: 99 } },
  required: ['name', 'age'],
  additionalProperties: false,
});

type Clients = Record<string, () => Promise<unknown>>;
let page: Page;
let stop: () => Promise<void>;
const requests: string[] = [];

test.beforeAll(async ({ browser }) => {
  stop = await serveFolder(join(prepareApp('ai-clients'), 'dist'), APP_PORT);
  page = await browser.newPage();
  page.context().on('request', (r) => requests.push(r.url()));
  await page.goto(`http://localhost:${APP_PORT}/`);
  await page.waitForFunction(() => 'clients' in window);
});
test.afterAll(async () => {
  await page?.close();
  await stop?.();
});

const call = <T>(name: string): Promise<T> =>
  page.evaluate((name) => (window as unknown as { clients: Clients }).clients[name]!(), name) as Promise<T>;

test('openai: a plain answer with usage', async () => {
  const answer = await call<{ content: string; finish: string; usage: { prompt_tokens: number; completion_tokens: number } }>(
    'openaiPlain',
  );
  expect(answer.content.length).toBeGreaterThan(0);
  expect(['stop', 'length']).toContain(answer.finish);
  expect(answer.usage.prompt_tokens).toBeGreaterThan(0);
  expect(answer.usage.completion_tokens).toBeGreaterThan(0);
});

test('openai: a streamed answer, piece by piece, with usage at the end', async () => {
  const { deltas, usage } = await call<{ deltas: string[]; usage: { completion_tokens: number } }>('openaiStream');
  expect(deltas.length).toBeGreaterThan(1);
  expect(usage.completion_tokens).toBeGreaterThan(0);
});

test('openai: json_schema answers parse and match the schema', async () => {
  for (const text of await call<string[]>('openaiSchema')) expect(PERSON.validate(JSON.parse(text)).valid, text).toBe(true);
});

test('openai: a required tool call comes back as tool_calls with finish_reason "tool_calls"', async () => {
  const { finish, calls } = await call<{ finish: string; calls: { function: { name: string; arguments: string } }[] }>('openaiTools');
  expect(finish).toBe('tool_calls');
  expect(calls[0]?.function.name).toBe('get_weather');
  expect(Object.keys(JSON.parse(calls[0]!.function.arguments) as object)).toEqual(['city']);
});

test('openai: a stream aborted mid-answer stops, and the next request answers', async () => {
  const { pieces, aborted, next } = await call<{ pieces: number; aborted: string; next: string }>('openaiAbortThenAgain');
  expect(pieces).toBeGreaterThanOrEqual(3);
  expect(pieces).toBeLessThan(100); // not the 400 asked for
  expect(['ended', 'AbortError', 'APIUserAbortError']).toContain(aborted); // the client's loop ended at the abort
  expect(next.length).toBeGreaterThan(0);
});

test('openai: the models list names the loaded model', async () => {
  expect(await call<string[]>('openaiModels')).toEqual(['tiny']);
});

test("openai: an unknown model and a bad request come back as OpenAI's errors, with their statuses", async () => {
  const errors = await call<Record<string, { status: number; code: string; message: string }>>('openaiErrors');
  expect(errors.unknownModel).toMatchObject({ status: 404, code: 'model_not_found' });
  expect(errors.unknownModel!.message).toContain('gpt-4o');
  expect(errors.badRequest).toMatchObject({ status: 400 });
  expect(errors.badRequest!.message).toContain('response_format');
});

test('AI SDK: streamText streams the answer and reports usage', async () => {
  const { deltas, text, usage } = await call<{ deltas: string[]; text: string; usage: { outputTokens: number } }>('aiStreamText');
  expect(deltas.length).toBeGreaterThan(1);
  expect(deltas.join('')).toBe(text);
  expect(usage.outputTokens).toBeGreaterThan(0);
});

test('AI SDK: generateObject returns an object that matches the schema', async () => {
  expect(PERSON.validate(await call<unknown>('aiGenerateObject')).valid).toBe(true);
});

test('AI SDK: a required tool is called with valid input and its execute runs', async () => {
  const { calls, toolCalls } = await call<{ calls: { city: string }[]; toolCalls: string[] }>('aiTools');
  expect(toolCalls).toEqual(['get_weather']);
  expect(Object.keys(calls[0]!)).toEqual(['city']);
});

test('none of it went over the network: every request stayed on the app and its model', async () => {
  expect(requests.filter((url) => !url.startsWith(`http://localhost:${APP_PORT}/`) && !url.startsWith('blob:'))).toEqual([]);
});
