import { expect, test } from '@playwright/test';
import { openPage } from './helpers.js';

test('on WebGPU without shader-f16 (SwiftShader) the default is the q4f32_1 build, shown before any download', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openPage(page);
  const device = await page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    return { adapter: !!adapter, f16: adapter?.features.has('shader-f16') ?? false };
  });
  expect(device).toEqual({ adapter: true, f16: false }); // the premise of this test
  await page.evaluate(() => document.body.append(document.createElement('llama-chat')));
  const chat = page.locator('llama-chat');
  await expect(chat.locator('.consent')).toContainText('Llama 3.1 8B Instruct (q4f32_1)');
  await expect(chat.locator('.consent')).toContainText('4.6 GB download');
  await expect(chat.locator('header .title')).toHaveText('Llama 3.1 8B Instruct (q4f32_1)');
  await expect(chat.locator('.notice')).toHaveCount(0);
  expect(requests.filter((u) => !u.includes('/dist/') && !u.includes('/pages/'))).toEqual([]);
});
