// Bad input: empty messages, messages longer than the context window, invalid attributes and
// broken model files. Each is handled with a clear outcome; none hangs or crashes the page.
import { expect, test, type Page } from '@playwright/test';
import { BROKEN_MODELS } from './global-setup.js';
import { recordFigures } from './figures.js';
import { addChat, events, modelRequestLog, openPage, waitReady } from './helpers.js';
import { readManifest } from './store-helpers.js';

/** send() and how it ended: 'ok: <reply>' or the error code. */
function trySend(page: Page, text: string): Promise<string> {
  return page.evaluate(
    (text) =>
      window.chat.send(text).then(
        (r) => `ok: ${r}`,
        (e: { code?: string }) => e.code ?? String(e),
      ),
    text,
  );
}

test('empty and whitespace-only messages are ignored, through the API and the view', async ({ page }, testInfo) => {
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  const blanks = ['', ' ', '\n\n', '\t \r\n', '\u00a0\u2003\u3000'];
  for (const blank of blanks) expect(await trySend(page, blank)).toBe('ok: ');
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('   \n  ');
  await input.press('Enter');
  await page.getByRole('button', { name: 'Send' }).click();

  expect(await page.evaluate(() => window.chat.messages)).toEqual([]);
  await expect(page.locator('llama-chat .message')).toHaveCount(0);
  expect(await events(page, 'llama-chat-token')).toEqual([]);
  expect(await events(page, 'llama-chat-error')).toEqual([]);
  expect(await page.evaluate(() => window.chat.status)).toBe('ready');
  recordFigures(testInfo, { badInputs: blanks.length + 2 });
});

test('a message longer than the context window is context-overflow at once, and the next message works', async ({ page }, testInfo) => {
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  const started = Date.now();
  expect(await trySend(page, 'word '.repeat(3000))).toBe('context-overflow');
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'context-overflow');
  expect(await page.evaluate(() => window.chat.messages)).toEqual([]); // the turn was taken back
  expect(await page.evaluate(() => window.chat.status)).toBe('ready');

  // A long message that fits, with an answer allowed to run past the window: it ends, no hang.
  await page.evaluate(() => window.chat.setAttribute('max-tokens', '512'));
  expect(await trySend(page, 'word '.repeat(300))).toMatch(/^ok: /);
  await page.evaluate(() => window.chat.clear());
  await page.evaluate(() => window.chat.setAttribute('max-tokens', '8'));
  expect(await trySend(page, 'Short one')).toMatch(/^ok: ./);
  recordFigures(testInfo, { badInputs: 2 });
});

const BAD_ATTRIBUTES: Array<[name: string, value: string]> = [
  ['temperature', 'abc'],
  ['temperature', '-1'],
  ['temperature', '3'],
  ['temperature', 'Infinity'],
  ['max-tokens', '-5'],
  ['max-tokens', '0'],
  ['max-tokens', '2.5'],
  ['max-tokens', 'lots'],
  // Past the model's context window (512 tokens here), up to what once broke llama.cpp's buffers.
  ['max-tokens', '513'],
  ['max-tokens', '2147483648'],
  ['max-tokens', '4294967296'],
];

test('invalid attribute values are bad-input naming the attribute and the value', async ({ page }, testInfo) => {
  await openPage(page);
  await addChat(page, { autoload: '' });
  await waitReady(page);
  for (const [name, value] of BAD_ATTRIBUTES) {
    await page.evaluate(() => (window.recorded.length = 0));
    await page.evaluate(([name, value]) => window.chat.setAttribute(name, value), [name, value] as const);
    expect(await trySend(page, 'Hello'), `${name}="${value}"`).toBe('bad-input');
    const errors = (await events(page, 'llama-chat-error')).map((e) => e.detail as { code: string; message: string });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(`${name}="${value}"`);
    await expect(page.locator('llama-chat [part=error]')).toContainText(`${name}="${value}"`);
    await page.evaluate((name) => window.chat.removeAttribute(name), name);
  }
  expect(await page.evaluate(() => window.chat.messages)).toEqual([]);
  await page.evaluate(() => window.chat.setAttribute('max-tokens', '8'));
  expect(await trySend(page, 'Valid again')).toMatch(/^ok: ./);
  await expect(page.locator('llama-chat [part=error]')).toHaveCount(0);

  // An unknown model: refused before anything is downloaded.
  const requests = modelRequestLog(page);
  await page.evaluate(() => {
    window.chat.setAttribute('model', 'no-such-model');
    return window.chat.updateComplete;
  });
  expect(
    await page.evaluate(() =>
      window.chat.load().then(
        () => 'ok',
        (e: { code: string; message: string }) => `${e.code} ${e.message}`,
      ),
    ),
  ).toMatch(/^bad-input model="no-such-model" is not a known model/);
  expect(requests).toHaveLength(0);
  recordFigures(testInfo, { badInputs: BAD_ATTRIBUTES.length + 1 });
});

test('corrupt, truncated and empty GGUF files fail with integrity, are not kept, and the page goes on', async ({ page }, testInfo) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await openPage(page);
  await addChat(page);
  for (const name of BROKEN_MODELS) {
    const outcome = await page.evaluate(async (name) => {
      window.chat.models = [{ id: 'broken', engine: 'wllama', url: `/models/${name}`, contextLength: 512 }];
      window.chat.setAttribute('model', 'broken');
      await window.chat.updateComplete; // a model change unloads in the next update
      return window.chat.load().then(
        () => 'ok',
        (e: { code: string; message: string }) => `${e.code} ${e.message}`,
      );
    }, name);
    expect(outcome, name).toMatch(/^integrity broken could not be loaded: the file is (not a GGUF model|not a usable GGUF model)/);
    await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'integrity');
    expect(await readManifest(page, 'broken'), `${name} was not kept`).toBeUndefined();
  }
  // The same element then loads a good model and answers.
  await page.evaluate((origin) => {
    window.chat.models = [{ id: 'good', engine: 'wllama', url: `${origin}/models/tiny.gguf`, contextLength: 512 }];
    window.chat.setAttribute('model', 'good');
    window.chat.setAttribute('max-tokens', '8');
  }, new URL(page.url()).origin);
  expect(await trySend(page, 'Hello after the broken ones')).toMatch(/^ok: ./);
  expect(pageErrors).toEqual([]);
  recordFigures(testInfo, { badInputs: BROKEN_MODELS.length });
});
