// The kept conversation at its limits: a huge stored history comes back partially (newest
// first) and nothing of it is lost by the next save; a save that storage refuses is said.
import { expect, test } from '@playwright/test';
import { addChat, events, openPage, waitReady } from './helpers.js';

test('a 10 MB stored history is restored partially, newest first, and the next save keeps all of it', async ({ page }) => {
  await openPage(page);
  // 2,000 messages of 5 KB each, written where the element keeps conversations.
  const stored = await page.evaluate(async () => {
    const messages = Array.from({ length: 2000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `#${i} ${'x'.repeat(5000)}` }));
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('llama-chat-history');
      open.onupgradeneeded = () => open.result.createObjectStore('conversations');
      open.onsuccess = () => {
        const tx = open.result.transaction('conversations', 'readwrite');
        tx.objectStore('conversations').put({ version: 1, savedAt: Date.now(), messages }, 'big');
        tx.oncomplete = () => (open.result.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
    });
    return messages.length;
  });
  await addChat(page, { autoload: '', 'max-tokens': '8', 'history-key': 'big' });
  await waitReady(page);
  await page.waitForFunction(() => window.chat.messages.length > 0);
  const shown = await page.evaluate(() => window.chat.messages);
  expect(shown.length).toBeLessThan(stored);
  expect(shown.at(-1)!.content.startsWith('#1999 ')).toBe(true); // the newest are the ones shown
  await expect(page.locator('llama-chat [part=notice]').first()).toContainText('kept on this device but not shown');

  await page.evaluate(() => window.chat.send('One more'));
  const kept = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('llama-chat-history');
        open.onsuccess = () => {
          const get = open.result.transaction('conversations').objectStore('conversations').get('big');
          get.onsuccess = () => (open.result.close(), resolve((get.result as { messages: unknown[] }).messages.length));
        };
      }),
  );
  expect(kept).toBe(stored + 2); // every stored message, and the new turn
});

test('a save that storage refuses (quota) is reported, and the conversation stays on the page', async ({ page }) => {
  // The browser's storage is full: every write to the conversations store fails as it would.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (this.name === 'conversations') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '8', 'history-key': 'full' });
  await waitReady(page);
  const answer = await page.evaluate(() => window.chat.send('Hello'));
  expect(answer.length).toBeGreaterThan(0);
  const errors = (await events(page, 'llama-chat-error')).map((e) => e.detail as { code: string; message: string });
  expect(errors.length).toBeGreaterThan(0);
  expect(errors[0]!.code).toBe('quota-exceeded');
  expect(errors[0]!.message).toContain('could not be kept on this device');
  expect(await page.evaluate(() => window.chat.messages.length)).toBe(2);
  expect(await page.evaluate(() => window.chat.status)).toBe('ready');
});
