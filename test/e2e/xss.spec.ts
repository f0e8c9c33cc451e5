// Hostile text renders inert in every place text reaches the view: the messages (the same
// template shows the user's text and the model's), the header and the error panel.
import { expect, test, type Page } from '@playwright/test';
import { XSS_VECTORS } from '../fixtures/xss-vectors.js';
import { recordFigures } from './figures.js';
import { addChat, openPage, waitReady } from './helpers.js';
import { dangerousMarkup, watchForXss, xssHits } from './xss-helpers.js';

/** Requests anywhere but the test server: a CSS payload that leaks would show up here. */
function foreignRequests(page: Page): string[] {
  const foreign: string[] = [];
  page.context().on('request', (request) => {
    const url = new URL(request.url());
    // blob: is wllama's own worker script, made in the page
    if (url.protocol !== 'blob:' && !['localhost', '127.0.0.1'].includes(url.hostname)) foreign.push(request.url());
  });
  return foreign;
}

test(`${XSS_VECTORS.length} XSS vectors in messages render as inert text`, async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const foreign = foreignRequests(page);
  await openPage(page);
  await watchForXss(page);
  await addChat(page, { autoload: '', 'max-tokens': '1' });
  await waitReady(page);

  for (const vector of XSS_VECTORS) {
    const shown = await page.evaluate(async (payload) => {
      window.chat.clear();
      await window.chat.send(payload);
      await window.chat.updateComplete;
      return window.chat.shadowRoot!.querySelector('.message.user .content')!.textContent;
    }, vector.payload);
    expect(shown, vector.name).toBe(vector.payload); // shown as the text it is
    expect(await dangerousMarkup(page), vector.name).toEqual([]);
  }
  await page.waitForTimeout(300); // handlers such as onerror fire a moment later
  expect(await xssHits(page)).toEqual([]);
  expect(foreign).toEqual([]);
  recordFigures(testInfo, { xssVectors: XSS_VECTORS.length, xssRenderings: XSS_VECTORS.length });
});

test(`${XSS_VECTORS.length} XSS vectors as a model name render inert in the header and the error`, async ({ page }, testInfo) => {
  const foreign = foreignRequests(page);
  await openPage(page);
  await watchForXss(page);
  await addChat(page);
  for (const vector of XSS_VECTORS) {
    const shown = await page.evaluate(async (payload) => {
      window.chat.setAttribute('model', payload);
      await window.chat.updateComplete;
      const error = await window.chat.load().then(
        () => 'loaded',
        (e: { code: string }) => e.code,
      );
      await window.chat.updateComplete;
      const root = window.chat.shadowRoot!;
      return {
        error,
        title: root.querySelector('header .title')!.textContent,
        panel: root.querySelector('[part=error] span')!.textContent,
      };
    }, vector.payload);
    expect(shown.error, vector.name).toBe('bad-input');
    expect(shown.title, vector.name).toBe(vector.payload);
    expect(shown.panel, vector.name).toContain(vector.payload);
    expect(await dangerousMarkup(page), vector.name).toEqual([]);
  }
  await page.waitForTimeout(300);
  expect(await xssHits(page)).toEqual([]);
  expect(foreign).toEqual([]);
  recordFigures(testInfo, { xssRenderings: 2 * XSS_VECTORS.length });
});

test(`${XSS_VECTORS.length} XSS vectors in a restored history render inert, as questions and as Markdown answers`, async ({
  page,
}, testInfo) => {
  const foreign = foreignRequests(page);
  await openPage(page);
  await watchForXss(page);
  // A kept conversation as another page (or a tampered profile) could have left it.
  await page.evaluate(
    async (payloads) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('llama-chat-history');
        open.onupgradeneeded = () => open.result.createObjectStore('conversations');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const messages = payloads.flatMap((content) => [
        { role: 'user', content },
        { role: 'assistant', content },
      ]);
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('conversations', 'readwrite');
        tx.objectStore('conversations').put({ version: 1, savedAt: Date.now(), messages }, 'hostile');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    XSS_VECTORS.map((v) => v.payload),
  );

  await addChat(page, { 'history-key': 'hostile' });
  await page.waitForFunction((n) => window.chat.messages.length === n, 2 * XSS_VECTORS.length);
  await page.evaluate(() => window.chat.updateComplete);
  const questions = await page.evaluate(() =>
    [...window.chat.shadowRoot!.querySelectorAll('.message.user .content')].map((e) => e.textContent),
  );
  expect(questions).toEqual(XSS_VECTORS.map((v) => v.payload)); // the person's own text, as typed
  expect(await page.locator('llama-chat .message.assistant').count()).toBe(XSS_VECTORS.length);
  expect(await dangerousMarkup(page)).toEqual([]);
  await page.waitForTimeout(300);
  expect(await xssHits(page)).toEqual([]);
  expect(foreign).toEqual([]);
  recordFigures(testInfo, { xssRenderings: 2 * XSS_VECTORS.length });
});
