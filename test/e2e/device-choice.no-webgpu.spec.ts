import { expect, test } from '@playwright/test';
import { openPage } from './helpers.js';

test.beforeEach(async ({ page }) => {
  await openPage(page);
  expect(await page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()))).toBe(false); // the premise
});

test('without WebGPU the element picks the CPU fallback model and says so in the view', async ({ page }) => {
  await page.evaluate(() => document.body.append(document.createElement('llama-chat')));
  const chat = page.locator('llama-chat');
  await expect(chat.getByRole('status')).toHaveText('This device has no WebGPU; using a smaller model on the CPU.');
  await expect(chat.locator('.consent')).toContainText('Llama 3.2 1B Instruct (Q4_K_M, CPU)');
  await expect(chat.locator('.consent')).toContainText('808 MB download');
});

test('a page that pins the 8B model gets webgpu-unavailable, not another model', async ({ page }) => {
  await page.evaluate(() => {
    const chat = document.createElement('llama-chat');
    chat.setAttribute('model', 'Llama-3.1-8B-Instruct-q4f32_1-MLC');
    document.body.append(chat);
  });
  const error = await page.waitForFunction(() => window.recorded.find((e) => e.type === 'llama-chat-error')?.detail);
  expect(await error.jsonValue()).toEqual({
    code: 'webgpu-unavailable',
    message: expect.stringContaining('Llama-3.1-8B-Instruct-q4f32_1-MLC needs WebGPU'),
  });
  const chat = page.locator('llama-chat');
  await expect(chat.getByRole('alert')).toContainText('needs WebGPU');
  await expect(chat.locator('.consent')).toHaveCount(0);
  expect(await page.evaluate(() => document.querySelector('llama-chat')!.status)).toBe('error');
});

test('createEngine() with a pinned 8B model rejects with webgpu-unavailable', async ({ page }) => {
  const code = await page.evaluate(async () => {
    const { createEngine } = await import(document.querySelector<HTMLScriptElement>('script[type=module]')!.src);
    return createEngine({ model: 'Llama-3.1-8B-Instruct-q4f16_1-MLC' }).then(
      () => 'loaded',
      (error: { code: string }) => error.code,
    );
  });
  expect(code).toBe('webgpu-unavailable');
});
