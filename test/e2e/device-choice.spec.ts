import { expect, test } from '@playwright/test';
import { openPage } from './helpers.js';

test('on a software WebGPU adapter (SwiftShader) the default is the CPU model, announced, shown before any download', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openPage(page);
  const device = await page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    return { adapter: !!adapter, fallback: adapter?.info.isFallbackAdapter ?? false };
  });
  expect(device).toEqual({ adapter: true, fallback: true }); // the premise of this test
  await page.evaluate(() => document.body.append(document.createElement('llama-chat')));
  const chat = page.locator('llama-chat');
  await expect(chat.locator('.consent')).toContainText('Llama 3.2 1B Instruct (Q4_K_M, CPU)');
  await expect(chat.locator('.consent')).toContainText('808 MB download');
  await expect(chat.locator('header .title')).toHaveText('Llama 3.2 1B Instruct (Q4_K_M, CPU)');
  await expect(chat.locator('.notice')).toContainText('software renderer');
  // Nothing from the network beyond the page and the library (blob: is the worker's start-up script).
  expect(requests.filter((u) => !u.includes('/dist/') && !u.includes('/pages/') && !u.startsWith('blob:'))).toEqual([]);
});

test('a page that pins the 8B build on a software adapter gets it, with a notice that it will be slow', async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => {
    const chat = document.createElement('llama-chat');
    chat.setAttribute('model', 'Llama-3.1-8B-Instruct-q4f32_1-MLC');
    document.body.append(chat);
  });
  const chat = page.locator('llama-chat');
  await expect(chat.locator('header .title')).toHaveText('Llama 3.1 8B Instruct (q4f32_1)');
  await expect(chat.locator('.consent')).toContainText('4.6 GB download');
  await expect(chat.locator('.notice')).toContainText('answer very slowly');
});

// A hardware GPU whose browser does not tell the device's memory (Safari on a Mac, say): the
// adapter is described to the page as such a browser would. The choice itself is unit-tested
// (model-choice.test.ts); this is what the person sees of it, and that the choice is theirs.
test('where the browser does not tell the memory, the consent step says why it chose the smaller build and offers the larger one', async ({
  page,
}) => {
  await page.addInitScript(() => {
    const adapter = {
      features: new Set(['shader-f16']),
      info: { isFallbackAdapter: false },
      limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 },
    };
    Object.defineProperty(navigator, 'gpu', { value: { requestAdapter: async () => adapter } });
    Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => undefined });
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openPage(page);
  await page.evaluate(() => document.body.append(document.createElement('llama-chat')));
  const chat = page.locator('llama-chat');
  await expect(chat.locator('header .title')).toHaveText('Llama 3.1 8B Instruct (q4f16_1, 1k context)');
  await expect(chat.locator('.notice')).toContainText('does not say how much memory');
  const larger = chat.getByRole('button', { name: 'Use Llama 3.1 8B Instruct (q4f16_1) instead (4.5 GB)' });
  await larger.click();
  await expect(chat.locator('header .title')).toHaveText('Llama 3.1 8B Instruct (q4f16_1)');
  await expect(chat.locator('.consent')).toContainText('4.5 GB download');
  await expect(larger).toHaveCount(0); // chosen: nothing left to offer
  await expect(chat.locator('.notice')).toHaveCount(0);
  expect(requests.filter((u) => u.includes('huggingface') || u.includes('githubusercontent'))).toEqual([]); // nothing downloaded
});
