// Hosts that misbehave: no Content-Length and more bytes than the model can be, a compressed
// body, a status text and a signed URL that must not reach the person.
import { expect, test } from '@playwright/test';
import { addChatFor, events, openPage, tinyRecord, waitReady } from './helpers.js';
import { readManifest, TINY_BYTES } from './store-helpers.js';

test('a host without Content-Length sending far more than the record declares: stopped, discarded, integrity', async ({ page }) => {
  await openPage(page);
  const record = { ...tinyRecord(new URL(page.url()).origin, '?nolength=1&extra=20000000'), sizeBytes: TINY_BYTES.length };
  await addChatFor(page, record, { autoload: '' });
  await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'integrity');
  await expect(page.locator('llama-chat [part=error]')).toContainText('sent more than');
  expect(await readManifest(page, record.id)).toBeUndefined(); // nothing kept
  const { usage } = await page.evaluate(() => navigator.storage.estimate());
  expect(usage ?? 0).toBeLessThan(5_000_000); // not 20 MB of garbage
});

test('a compressed body (Content-Encoding: gzip) loads, and is stored as the file it is', async ({ page }) => {
  await openPage(page);
  await addChatFor(page, tinyRecord(new URL(page.url()).origin, '?gzip=1'), { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
  expect((await readManifest(page, 'tiny-test-model'))?.size).toBe(TINY_BYTES.length);
});

test('a failing host: neither its status text nor the signed URL query reaches the view or the events', async ({ page }) => {
  await openPage(page);
  const query = `?status=503&reason=${encodeURIComponent('Call 555-0100 now')}&X-Amz-Signature=SECRET123`;
  await addChatFor(page, tinyRecord(new URL(page.url()).origin, query), { autoload: '' });
  await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'network');
  const shown = await page.locator('llama-chat [part=error]').textContent();
  const reported = JSON.stringify(await events(page, 'llama-chat-error'));
  for (const text of [shown ?? '', reported]) {
    expect(text).not.toContain('555-0100');
    expect(text).not.toContain('SECRET123');
    expect(text).toContain('/models/tiny.gguf'); // the file is still named
  }
});
