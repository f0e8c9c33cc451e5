// LoRA adapters beyond one page (lora.engines.spec.ts has the answers in three engines): tabs
// that share one engine with different adapters, the Prompt API's option, the cache, the consent
// step's size, and records that cannot have adapters.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { ModelRecord } from '../../protocol/types.js';
import { formatBytes } from '../../src/shared/format.js';
import { LORA_ADAPTERS, TINY_MODEL_FILE } from './global-setup.js';
import { addChatFor, events, openPage, tinyRecord, waitReady } from './helpers.js';

const generated = (file: string) => fileURLToPath(new URL(`../.generated/${file}`, import.meta.url));

function withAdapters(origin: string): ModelRecord {
  return {
    ...tinyRecord(origin),
    adapters: [
      { id: 'support', url: `${origin}/models/${LORA_ADAPTERS.sure.file}`, label: 'Llama Support' },
      { id: 'greeter', url: `${origin}/models/${LORA_ADAPTERS.hello.file}` },
    ],
  };
}

const GREEDY = { autoload: '', 'max-tokens': '12', temperature: '0' };

/** llama.cpp workers started in a page's worker so far (a load of the model starts one). */
async function llamaCppWorkers(page: Page): Promise<number> {
  const names = await Promise.all(page.workers().map((w) => w.evaluate(() => self.name).catch(() => undefined)));
  return names.filter((name) => name === '').length;
}

test('tabs sharing one engine use different adapters at once, each answered as its own, with one load', async ({ page, context }) => {
  await openPage(page);
  const record = withAdapters(new URL(page.url()).origin);
  await addChatFor(page, record, { ...GREEDY, adapter: 'support' });
  await waitReady(page);
  const other = await context.newPage();
  await openPage(other);
  await addChatFor(other, record, { ...GREEDY, adapter: 'greeter' });
  await waitReady(other);
  expect((await events(other, 'llama-chat-progress')).filter((e) => (e.detail as { phase: string }).phase === 'download')).toEqual([]);

  const [first, second] = await Promise.all([page.evaluate(() => window.chat.send('Hi')), other.evaluate(() => window.chat.send('Hi'))]);
  expect(first).toBe(LORA_ADAPTERS.sure.answer);
  expect(second).toBe(LORA_ADAPTERS.hello.answer);
  expect(await other.evaluate(() => window.chat.send('And again'))).toBe(LORA_ADAPTERS.hello.answer);
  expect(await page.evaluate(() => window.chat.send('And again'))).toBe(LORA_ADAPTERS.sure.answer);
  expect((await llamaCppWorkers(page)) + (await llamaCppWorkers(other))).toBe(1);

  // The header names the adapter answering (its label, else its id), and follows the attribute.
  const title = (tab: Page) => tab.locator('llama-chat header .title');
  await expect(title(page)).toHaveText('Tiny test model (random weights) · Llama Support');
  await expect(title(other)).toHaveText('Tiny test model (random weights) · greeter');
  await page.evaluate(() => window.chat.removeAttribute('adapter'));
  await expect(title(page)).toHaveText('Tiny test model (random weights)');
  await expect(page.getByRole('region', { name: 'Chat with Tiny test model (random weights)' })).toBeVisible();
});

test("the Prompt API's create() takes an adapter (by id, or with a scale); one the record lacks is refused at create()", async ({
  page,
}) => {
  await page.goto('/pages/language-model.html');
  await page.waitForFunction(() => window.promptApi !== undefined);
  const record = withAdapters(new URL(page.url()).origin);
  await page.evaluate(
    (record) => window.promptApi.installLanguageModel({ model: record.id, models: [record], maxOutputTokens: 12 }),
    record,
  );
  const outcome = await page.evaluate(async () => {
    const options = { temperature: 0, topK: 1 };
    const support = await LanguageModel.create({ ...options, adapter: 'support' });
    const greeter = await LanguageModel.create({ ...options, adapter: { id: 'greeter', scale: 1 } });
    const none = await LanguageModel.create(options);
    const atZero = await LanguageModel.create({ ...options, adapter: { id: 'support', scale: 0 } });
    const answers = [await support.prompt('Hi'), await greeter.prompt('Hi'), await none.prompt('Hi'), await atZero.prompt('Hi')];
    const refused = await LanguageModel.create({ ...options, adapter: 'pirate' }).then(
      () => 'created',
      (e: DOMException) => `${e.name}: ${e.message}`,
    );
    for (const session of [support, greeter, none, atZero]) session.destroy();
    return { answers, refused };
  });
  const [support, greeter, none, atZero] = outcome.answers;
  expect(support).toBe(LORA_ADAPTERS.sure.answer);
  expect(greeter).toBe(LORA_ADAPTERS.hello.answer);
  expect(atZero).toBe(none);
  expect(none).not.toBe(support);
  expect(outcome.refused).toMatch(/has no adapter "pirate"/);
});

test('adapters are listed and deletable in the cache, counted in the consent step, and one file serves every record that names it', async ({
  page,
}) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const origin = new URL(page.url()).origin;
  const record = withAdapters(origin);
  const alias: ModelRecord = { ...tinyRecord(origin), id: 'another-record', adapters: [{ id: 'help', url: record.adapters![0]!.url }] };
  const sureUrl = record.adapters![0]!.url;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const listed = await page.evaluate(
    async ({ record, alias, sureUrl }) => {
      const engine = await window.llamaChat.createEngine({ model: record.id, models: [record, alias] });
      await engine.unload();
      const other = await window.llamaChat.createEngine({ model: alias.id, models: [record, alias] });
      const answer = await other.chat.completions.create({
        messages: [{ role: 'user', content: 'Hi' }],
        temperature: 0,
        max_tokens: 12,
        adapter: 'help',
      });
      const before = await other.cache.list();
      await other.cache.delete(`lora:${sureUrl}`);
      const after = await other.cache.list();
      await other.unload();
      return { answer: answer.choices[0]!.message.content, before, after };
    },
    { record, alias, sureUrl },
  );
  expect(listed.answer).toBe(LORA_ADAPTERS.sure.answer);
  expect(requests.filter((url) => url === sureUrl).length).toBe(1); // the second record's adapter came from the store
  expect(listed.before).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        id: `lora:${sureUrl}`,
        loraAdapter: true,
        complete: true,
        bytes: statSync(generated(LORA_ADAPTERS.sure.file)).size,
      }),
      expect.objectContaining({ id: `lora:${record.adapters![1]!.url}`, loraAdapter: true, complete: true }),
    ]),
  );
  expect(listed.after.map((m) => m.id)).not.toContain(`lora:${sureUrl}`);
  expect(listed.after.map((m) => m.id)).toContain(record.id);

  // The consent step counts the adapters in the download.
  await openPage(page);
  await addChatFor(page, { ...withAdapters(origin), id: 'consent-model', url: `${origin}/models/tiny.gguf?consent=1` });
  const total =
    statSync(TINY_MODEL_FILE).size + statSync(generated(LORA_ADAPTERS.sure.file)).size + statSync(generated(LORA_ADAPTERS.hello.file)).size;
  await expect(page.locator('llama-chat').getByText(formatBytes(total))).toBeVisible();
});

test('adapters on a web-llm record are bad-input before anything downloads', async ({ page }) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const error = await page.evaluate(async () => {
    const record = {
      id: 'mlc-with-adapter',
      engine: 'web-llm' as const,
      url: '/mlc/mlc-test/',
      modelLib: '/mlc/not-a-model-lib.wasm',
      adapters: [{ id: 'support', url: '/models/lora/sure.gguf' }],
    };
    return window.llamaChat.createEngine({ model: record.id, models: [record] }).then(
      () => 'loaded',
      (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
    );
  });
  expect(error).toEqual({ code: 'bad-input', message: expect.stringContaining('only GGUF models (engine "wllama") can use them') });
  expect(requests.filter((url) => url.includes('/mlc/') || url.includes('/models/'))).toEqual([]);
});
