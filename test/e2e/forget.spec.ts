// forgetEverything(): every byte the library stored on this origin goes: kept conversations,
// model files, web-llm's databases and caches.
import { expect, test } from '@playwright/test';
import { addChat, openPage, waitReady } from './helpers.js';

test('forgetEverything() deletes conversations, stored models and web-llm caches, and leaves the element idle and empty', async ({
  page,
}) => {
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '8', 'history-key': 'kept' });
  await waitReady(page);
  await page.evaluate(() => window.chat.send('Remember me'));
  // What web-llm would have left from an 8B download on a machine with a GPU.
  await page.evaluate(async () => {
    await new Promise<void>((resolve) => {
      const open = indexedDB.open('webllm/model');
      open.onupgradeneeded = () => open.result.createObjectStore('urls', { keyPath: 'url' });
      open.onsuccess = () => {
        const tx = open.result.transaction('urls', 'readwrite');
        tx.objectStore('urls').put({ url: 'https://example.com/shard_0.bin', data: new ArrayBuffer(1024) });
        tx.oncomplete = () => (open.result.close(), resolve());
      };
    });
    await (await caches.open('webllm/config')).put('https://example.com/mlc-chat-config.json', new Response('{}'));
  });
  const before = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
  expect(before).toEqual(expect.arrayContaining(['llama-chat-history', 'llama-chat-store', 'webllm/model']));

  await page.evaluate(() => window.chat.forgetEverything());

  const after = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    status: window.chat.status,
    messages: window.chat.messages.length,
  }));
  expect(after.databases.filter((name) => name?.startsWith('llama-chat') || name?.startsWith('webllm'))).toEqual([]);
  expect(after.caches).toEqual([]);
  expect(after.status).toBe('idle');
  expect(after.messages).toBe(0);

  // And a reload finds nothing: the conversation is gone, the model must be downloaded again.
  await page.reload();
  await openPage(page);
  await addChat(page, { 'history-key': 'kept' });
  await expect(page.locator('llama-chat [part=consent]')).toContainText('Download and start');
  expect(await page.evaluate(() => window.chat.messages.length)).toBe(0);
});
