// The core of the library in every browser engine visitors use: Chromium (Playwright), Gecko
// (Firefox ESR, WebDriver BiDi) and WebKit (WebKitGTK, the engine of Safari, WebDriver). The
// built bundle is served from another origin (a CDN) and the model is named by a URL relative
// to the page. One set of tests; the project picks the engine (playwright.config.ts).
import { readFileSync } from 'node:fs';
import { Validator } from '@cfworker/json-schema';
import type { JsonSchema, ModelRecord } from '../../protocol/types.js';
import { waitForFunction, type RemotePage } from '../browsers/remote-page.js';
import { XSS_VECTORS } from '../fixtures/xss-vectors.js';
import { PAGE_ORIGIN } from '../server.js';
import { watchBrowser } from './browser-facts.js';
import { expect, test } from './engines.js';
import { ELEMENT_PAGE, modelRequests, openChat, ready, send, tinyModel } from './remote-chat.js';
import { keepConversation } from './kept-conversation.js';
import { dangerousMarkup } from './xss-helpers.js';

test('the bundle from another origin loads a GGUF named by a relative URL and streams an answer', async ({ remote }) => {
  const record = tinyModel();
  await openChat(remote, record, { autoload: '', 'max-tokens': '24' });
  await ready(remote);
  const reply = await send(remote, 'Hello');
  const tokens = await remote.evaluate(() =>
    (window as unknown as { recorded: { type: string; detail: { delta: string } }[] }).recorded
      .filter((e) => e.type === 'llama-chat-token')
      .map((e) => e.detail.delta),
  );
  expect(tokens.length).toBeGreaterThan(1); // streamed, piece by piece
  expect(tokens.join('')).toBe(reply);
  expect(reply.length).toBeGreaterThan(0);
  expect(await modelRequests(record.path)).toBeGreaterThan(0); // resolved against the page, fetched from its origin
});

test('stop() ends an answer, keeps what came, and the next send works', async ({ remote }) => {
  await openChat(remote, tinyModel(), { autoload: '', 'max-tokens': '400' });
  await ready(remote);
  const result = await remote.evaluate(async () => {
    const chat = (window as unknown as { chat: HTMLElement & { send(t: string): Promise<string>; stop(): Promise<void>; status: string } })
      .chat;
    let tokens = 0;
    chat.addEventListener('llama-chat-token', () => {
      tokens += 1;
      if (tokens === 3) void chat.stop();
    });
    const reply = await chat.send('Tell me a long story');
    await (chat as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const answer = [...(chat.shadowRoot?.querySelectorAll('.message.assistant') ?? [])].at(-1);
    return { reply, tokens, status: chat.status, stopped: answer?.querySelector('.note')?.textContent?.trim() === 'Stopped' };
  });
  expect(result.tokens).toBeGreaterThanOrEqual(3);
  // Stopped by the engine (finish "abort"), not run to the 400 asked for; how many tokens were
  // already on their way when the stop arrived depends on the machine's load.
  expect(result.stopped).toBe(true);
  expect(result.tokens).toBeLessThan(400);
  expect(result.reply.length).toBeGreaterThan(0);
  expect(result.status).toBe('ready');
  await remote.evaluate(() => (window as unknown as { chat: HTMLElement }).chat.setAttribute('max-tokens', '8'));
  expect((await send(remote, 'And now a short one')).length).toBeGreaterThan(0);
});

test('a second visit answers with zero model requests', async ({ remote }, testInfo) => {
  const recordBrowser = await watchBrowser(remote, testInfo);
  const record = tinyModel();
  await openChat(remote, record, { autoload: '', 'max-tokens': '8' });
  await ready(remote);
  expect((await send(remote, 'First visit')).length).toBeGreaterThan(0);
  const first = await modelRequests(record.path);
  expect(first).toBeGreaterThan(0);

  await openChat(remote, record, { autoload: '', 'max-tokens': '8' });
  await ready(remote);
  expect((await send(remote, 'Second visit')).length).toBeGreaterThan(0);
  expect(await modelRequests(record.path)).toBe(first);
  await recordBrowser(); // after the assertions: only a passing run speaks for the README
});

test('kept messages with HTML and script payloads render inert', async ({ remote }) => {
  await remote.goto(ELEMENT_PAGE);
  await waitForFunction(remote, () => customElements.get('llama-chat') !== undefined);
  const payloads = XSS_VECTORS.map((v) => v.payload);
  await remote.evaluate(() => {
    const page = window as unknown as { __xssHits: string[]; __xss(name: string): void };
    page.__xssHits = [];
    page.__xss = (name) => page.__xssHits.push(name);
  });
  const messages = payloads.flatMap((p) => [
    { role: 'user' as const, content: p },
    { role: 'assistant' as const, content: `Here: ${p}` },
  ]);
  await keepConversation(remote, 'evil', messages);
  await openChatOnSamePage(remote, tinyModel(), { 'history-key': 'evil' });
  await waitForFunction(
    remote,
    (count) => {
      const root = document.querySelector('llama-chat')?.shadowRoot;
      const answers = [...(root?.querySelectorAll('.message.assistant .markdown') ?? [])];
      return answers.length === count && answers.every((answer) => answer.firstElementChild !== null); // rendered as Markdown
    },
    payloads.length,
  );
  await new Promise((resolve) => setTimeout(resolve, 500)); // a handler that would run has run
  expect(await dangerousMarkup(remote)).toEqual([]);
  expect(await remote.evaluate(() => (window as unknown as { __xssHits: string[] }).__xssHits)).toEqual([]);
});

/** Adds <llama-chat> to the page already open (for tests that prepared storage first). */
async function openChatOnSamePage(remote: RemotePage, record: ModelRecord, attributes: Record<string, string>): Promise<void> {
  await remote.evaluate(
    ({ record, attributes }) => {
      const chat = document.createElement('llama-chat') as unknown as HTMLElement & Record<string, unknown>;
      chat.models = [record];
      chat.setAttribute('model', record.id);
      for (const [name, value] of Object.entries(attributes)) chat.setAttribute(name, value);
      document.body.append(chat);
    },
    { record, attributes },
  );
}

/** Engines loaded on the origin, as its locks tell: each llama.cpp worker holds one for its life (llama-cpp-liveness.ts). */
function loadedEngines(remote: RemotePage): Promise<number> {
  return remote.evaluate(
    async () => ((await navigator.locks.query()).held ?? []).filter((l) => l.name?.startsWith('llama-chat:llama.cpp:')).length,
  );
}

test('two chats on one page share one engine and both answer; own-engine loads a second', async ({ remote }) => {
  const record = tinyModel();
  await openChat(remote, record, { autoload: '', 'max-tokens': '12' });
  await ready(remote);
  const addAndAsk = (own: boolean) =>
    remote.evaluate(
      ({ record, own }) =>
        new Promise<string>((resolve, reject) => {
          const chat = document.createElement('llama-chat') as unknown as HTMLElement &
            Record<string, unknown> & { send(t: string): Promise<string> };
          chat.models = [record];
          chat.setAttribute('model', record.id);
          chat.setAttribute('autoload', '');
          chat.setAttribute('max-tokens', '12');
          if (own) chat.setAttribute('own-engine', '');
          chat.addEventListener('llama-chat-ready', () => void chat.send('Hello').then(resolve, reject), { once: true });
          chat.addEventListener('llama-chat-error', (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), { once: true });
          document.body.append(chat);
        }),
      { record, own },
    );
  expect((await addAndAsk(false)).length).toBeGreaterThan(0);
  expect((await send(remote, 'Hi')).length).toBeGreaterThan(0);
  expect(await loadedEngines(remote)).toBe(1);
  expect((await addAndAsk(true)).length).toBeGreaterThan(0);
  expect(await loadedEngines(remote)).toBe(2);
});

const PERSON: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 2, maxLength: 8 }, age: { type: 'integer', minimum: 18, maximum: 99 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

test('a schema-constrained answer parses and matches the schema', async ({ remote }) => {
  await remote.goto(`${PAGE_ORIGIN}/pages/headless.html?dist=cross`);
  await waitForFunction(remote, () => 'llamaChat' in window);
  const answers = await remote.evaluate(
    async ({ record, schema }) => {
      type Engine = { chat: { completions: { create(r: unknown): Promise<{ choices: { message: { content: string } }[] }> } } };
      const lib = (window as unknown as { llamaChat: { createEngine(o: unknown): Promise<Engine & { unload(): Promise<void> }> } })
        .llamaChat;
      const engine = await lib.createEngine({ model: record.id, models: [record] });
      const texts: string[] = [];
      for (let i = 0; i < 3; i++) {
        const answer = await engine.chat.completions.create({
          messages: [{ role: 'user', content: `Describe person ${i}` }],
          response_format: { type: 'json_schema', json_schema: { name: 'person', schema } },
          max_tokens: 120,
          temperature: 1,
        });
        texts.push(answer.choices[0]!.message.content);
      }
      await engine.unload();
      return texts;
    },
    { record: tinyModel(), schema: PERSON },
  );
  const validator = new Validator(PERSON as never);
  for (const text of answers) expect(validator.validate(JSON.parse(text)).valid, text).toBe(true);
});

test('the model calls a page tool with valid arguments', async ({ remote }) => {
  await openChat(remote, tinyModel('tiny-alt.gguf', 4096), {
    autoload: '',
    'tool-choice': 'required',
    'max-tokens': '200',
    temperature: '1',
  });
  await remote.evaluate(() => {
    const page = window as unknown as { calls: unknown[]; chat: Record<string, unknown> };
    page.calls = [];
    page.chat.tools = [
      {
        name: 'get_weather',
        description: 'Weather in a city',
        parameters: { type: 'object', properties: { city: { type: 'string', minLength: 1, maxLength: 10 } }, required: ['city'] },
        run: (args: Record<string, unknown>) => (page.calls.push(args), { city: args.city, tempC: 21 }),
      },
    ];
  });
  await ready(remote);
  expect(typeof (await send(remote, 'What is the weather?'))).toBe('string');
  const calls = await remote.evaluate(() => (window as unknown as { calls: { city: string }[] }).calls);
  expect(calls.length).toBeGreaterThanOrEqual(1);
  for (const call of calls) expect(Object.keys(call)).toEqual(['city']);
});

test('a model that is not on the server gives a network error that says so, with a way forward', async ({ remote }) => {
  await openChat(remote, { ...tinyModel('missing.gguf') }, { autoload: '' });
  const error = await waitForFunction(remote, () =>
    (window as unknown as { recorded: { type: string; detail: { code: string; message: string } }[] }).recorded.find(
      (e) => e.type === 'llama-chat-error',
    ),
  );
  expect(error.detail.code).toBe('network');
  expect(error.detail.message).toContain('has no file at');
  const shown = await waitForFunction(remote, () => {
    const root = document.querySelector('llama-chat')!.shadowRoot!;
    const text = root.querySelector('[role="alert"]')?.textContent ?? '';
    return text.includes('has no file at') && root.querySelector('[part~="error"] button') ? text : '';
  });
  expect(shown).toContain('missing.gguf');
});

test('axe-core finds nothing in the element with an answer in it', async ({ remote }) => {
  await openChat(remote, tinyModel(), { autoload: '', 'max-tokens': '24' });
  await ready(remote);
  await send(remote, 'Hello');
  const axe = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
  const violations = await remote.evaluate(async (source) => {
    (0, eval)(source);
    const run = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } })
      .axe.run;
    const result = await run(
      { include: [['llama-chat']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } },
    );
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  }, axe);
  expect(violations).toEqual([]);
});
