// A returning visitor: the model stored on the first visit is shown as stored, starts without
// a download, and the visit makes no request to the model's host at all (HEAD included).
import { expect, test } from '@playwright/test';
import { modelRequestLog, openPage, tinyRecord, TINY_ID, waitReady } from './helpers.js';

test('a stored model shows "Start" with no size, and a returning visit makes zero requests to the model host', async ({ page }) => {
  const requests = modelRequestLog(page);
  await openPage(page);
  const record = { ...tinyRecord(new URL(page.url()).origin), sizeBytes: undefined }; // its size comes from a HEAD request
  const mount = () =>
    page.evaluate((record) => {
      const chat = document.createElement('llama-chat');
      chat.models = [record];
      chat.model = record.id;
      document.body.append(chat);
      window.chat = chat;
    }, record);

  // First visit: the size (one HEAD request), the download, and focus in the input afterwards.
  await mount();
  const consent = page.locator('llama-chat [part=consent]');
  await expect(consent).toContainText('883 KB download');
  await page.getByRole('button', { name: 'Download and start' }).click();
  await waitReady(page);
  expect(await page.evaluate(() => window.chat.shadowRoot?.activeElement?.tagName)).toBe('TEXTAREA');
  expect(requests.map((r) => r.method()).sort()).toEqual(['GET', 'HEAD']);
  for (const request of requests) {
    const headers = await request.allHeaders();
    expect(headers.referer, 'model requests carry no referrer').toBeUndefined();
    expect(headers.cookie, 'model requests carry no cookies').toBeUndefined();
  }

  // Returning visit: stored, "Start", and nothing at all to the model's host.
  await page.reload();
  await openPage(page);
  requests.length = 0;
  await mount();
  await expect(consent).toContainText('Stored on this device');
  await expect(consent.getByRole('button')).toHaveText('Start');
  await page.getByRole('button', { name: 'Start' }).click();
  await waitReady(page);
  expect(await page.evaluate(() => window.chat.model)).toBe(TINY_ID);
  expect(requests).toEqual([]);
});
