// <llama-chat> as frameworks and single-page apps treat it: properties in any order and before
// the element is defined, `models` as JSON, mounted, moved and unmounted many times.
import { expect, test } from '@playwright/test';
import { addChatFor, events, modelRequestLog, openPage, TINY_ID, tinyRecord, waitReady } from './helpers.js';
import { engineWorkers } from './runtime-helpers.js';

test('mounting and unmounting an autoload element 20 times leaves no engine worker and downloads the model once', async ({ page }) => {
  const requests = modelRequestLog(page);
  await openPage(page);
  const record = tinyRecord(new URL(page.url()).origin);
  const mount = () =>
    page.evaluate((record) => {
      const chat = document.createElement('llama-chat');
      chat.models = [record];
      chat.model = record.id;
      chat.autoload = true;
      document.body.append(chat);
      window.chat = chat;
    }, record);
  const unmount = () => page.evaluate(() => window.chat.remove());

  await mount();
  await waitReady(page);
  for (let i = 1; i < 20; i++) {
    await unmount();
    await mount();
    await page.waitForFunction(() => window.chat.status !== 'idle'); // its load has begun
  }
  await unmount();
  await expect.poll(async () => (await engineWorkers(page)).length, { timeout: 10_000 }).toBe(0);
  await page.waitForTimeout(1500); // a removed element starts nothing behind the page's back
  expect(await engineWorkers(page)).toHaveLength(0);
  expect(await page.evaluate(() => window.chat.status)).toBe('idle');
  expect(requests.filter((r) => r.method() === 'GET')).toHaveLength(1);

  await mount(); // and it comes back when mounted again
  await waitReady(page);
  expect(await engineWorkers(page)).toHaveLength(1);
});

test('moving a ready element (removed and added back in one task) keeps its model and worker', async ({ page }) => {
  await openPage(page);
  await addChatFor(page, tinyRecord(new URL(page.url()).origin), { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  let started = 0;
  page.on('worker', () => (started += 1));
  await page.evaluate(() => {
    const box = document.createElement('section');
    document.body.append(box);
    box.append(window.chat); // a move: disconnected and connected in one task
  });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.chat.status)).toBe('ready');
  expect(started).toBe(0);
  expect((await page.evaluate(() => window.chat.send('Still there?'))).length).toBeGreaterThan(0);
});

test('model set first, models a moment later: the unknown-model error clears itself and the model loads', async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => {
    const chat = document.createElement('llama-chat');
    chat.setAttribute('model', 'tiny-test-model');
    chat.setAttribute('autoload', '');
    document.body.append(chat);
    window.chat = chat;
  });
  await expect(page.locator('llama-chat').getByRole('alert')).toContainText('not a known model');
  await expect(page.locator('llama-chat').getByRole('alert').getByRole('button')).toHaveCount(0); // trying again cannot help
  const record = tinyRecord(new URL(page.url()).origin);
  await page.evaluate((record) => (window.chat.models = [record]), record);
  await page.waitForFunction(() => window.chat.status === 'ready');
  await expect(page.locator('llama-chat').getByRole('alert')).toHaveCount(0);
});

test('models as a JSON attribute, relative URL and all, as a page without script writes it', async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      `<llama-chat model="tiny-test-model" autoload max-tokens="8"
         models='[{"id":"tiny-test-model","engine":"wllama","url":"/models/tiny.gguf","contextLength":512}]'></llama-chat>`,
    );
    window.chat = document.querySelector('llama-chat')!;
  });
  await waitReady(page);
  expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
});

test('models="[object Object]" (an object a framework set as text) is bad-input saying what to pass', async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', `<llama-chat model="tiny-test-model" autoload models="[object Object]"></llama-chat>`);
  });
  await expect(page.locator('llama-chat').getByRole('alert')).toContainText('JSON.stringify(records)');
  expect((await events(page, 'llama-chat-error')).map((e) => (e.detail as { code: string }).code)).toEqual(['bad-input']);
});

test('properties set on <llama-chat> before the library is loaded are kept', async ({ page }) => {
  await page.goto('/pages/undefined.html');
  const record = tinyRecord(new URL(page.url()).origin);
  await page.evaluate(async (record) => {
    const chat = document.createElement('llama-chat') as unknown as Record<string, unknown> & HTMLElement;
    document.body.append(chat);
    // Plain properties on a not-yet-defined element, as a framework sets them.
    chat.models = [record];
    chat.model = record.id;
    chat.autoload = true;
    chat.maxTokens = 8;
    await import((window as unknown as { libraryUrl: string }).libraryUrl);
    await customElements.whenDefined('llama-chat');
  }, record);
  await page.waitForFunction(() => document.querySelector('llama-chat')!.status === 'ready');
  const answer = await page.evaluate(() => document.querySelector('llama-chat')!.send('Hi'));
  expect(answer.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => document.querySelector('llama-chat')!.model)).toBe(TINY_ID);
});
