// What went wrong, said as it is: a host that refuses CORS, a missing file, a worker script or
// an engine chunk that does not load. None of them is reported as bad-input.
import { expect, test } from '@playwright/test';
import { CDN_ORIGIN } from '../server.js';
import { addChatFor, events, openPage, tinyRecord, waitReady } from './helpers.js';

async function failure(page: import('@playwright/test').Page): Promise<{ code: string; message: string }> {
  await expect.poll(async () => (await events(page, 'llama-chat-error')).length, { timeout: 15_000 }).toBeGreaterThan(0);
  return (await events(page, 'llama-chat-error'))[0]!.detail as { code: string; message: string };
}

test('a model host that does not allow this page to read the file (no CORS) is named as such', async ({ page }) => {
  await openPage(page);
  await addChatFor(page, tinyRecord(CDN_ORIGIN, '?nocors=1'), { autoload: '' });
  const { code, message } = await failure(page);
  expect(code).toBe('network');
  expect(message).toContain('does not let this page read');
  expect(message).toContain('Access-Control-Allow-Origin');
});

test('a model URL with no file behind it (404) says so, with the URL', async ({ page }) => {
  await openPage(page);
  await addChatFor(page, tinyRecord(new URL(page.url()).origin, '?status=404'), { autoload: '' });
  const { code, message } = await failure(page);
  expect(code).toBe('network');
  expect(message).toMatch(/has no file at http:\/\/localhost:\d+\/models\/tiny\.gguf\./);
});

test('a worker script that does not load: worker-crashed saying the engine could not start', async ({ page }) => {
  await openPage(page, '/pages/element.html?dist=without-worker');
  await addChatFor(page, tinyRecord(new URL(page.url()).origin), { autoload: '' });
  const { code, message } = await failure(page);
  expect(code).toBe('worker-crashed');
  expect(message).toContain('could not start');
});

test('an engine chunk that does not load: network, naming the file, never bad-input', async ({ page }) => {
  await openPage(page, '/pages/element.html?dist=without-engine');
  await addChatFor(page, tinyRecord(new URL(page.url()).origin), { autoload: '' });
  const { code, message } = await failure(page);
  expect(code).toBe('network');
  expect(message).toMatch(/chat engine's code \(http:\/\/localhost:\d+\/dist-without-engine\/wllama-backend-.*\.js\) could not be loaded/);
});

test('offline, a worker script not in the cache: network, saying the device is offline; back online, Try again starts it', async ({
  page,
  context,
}) => {
  await openPage(page);
  const record = tinyRecord(new URL(page.url()).origin);
  await addChatFor(page, record, { autoload: '' });
  await waitReady(page); // the library's code is all on the page now; only the worker script is fetched anew
  await page.evaluate(() => window.chat.remove()); // an app unmounts the chat: its worker ends
  await context.setOffline(true); // the test server sends no-store: the worker script is not cached
  await addChatFor(page, record, { autoload: '' });
  const { code, message } = await failure(page);
  expect(code).toBe('network');
  expect(message).toContain('this device is offline');
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect.poll(() => page.evaluate(() => window.chat.status), { timeout: 30_000 }).toBe('ready');
});
