// A returning visitor: the model stored on the first visit is shown as stored, starts without
// a download, and the visit makes no request to the model's host at all (HEAD included).
import { expect, test } from '@playwright/test';
import { addChatFor, modelRequestLog, openPage, tinyRecord, TINY_ID, waitReady } from './helpers.js';
import { readManifest, TINY_BYTES } from './store-helpers.js';

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
  // Kept as a file in OPFS, which the worker reads at disk speed (worker/store/model-files.ts).
  expect((await readManifest(page, TINY_ID))?.inFile).toBe(true);
});

test('a model stored as IndexedDB chunks by an earlier version (or where OPFS is missing) loads from them with zero requests', async ({
  page,
}) => {
  await openPage(page);
  const record = tinyRecord(new URL(page.url()).origin);
  const chunkBytes = 64 * 1024;
  // The store as an earlier version wrote it: a manifest without `inFile`, the bytes in chunks.
  await page.evaluate(
    async ({ id, url, bytes, chunkBytes }) => {
      const open = indexedDB.open('llama-chat-store', 2);
      open.onupgradeneeded = () => ['manifests', 'chunks', 'folders'].forEach((name) => open.result.createObjectStore(name));
      const db = await new Promise<IDBDatabase>(
        (resolve, reject) => ((open.onsuccess = () => resolve(open.result)), (open.onerror = reject)),
      );
      const tx = db.transaction(['manifests', 'chunks'], 'readwrite');
      const count = Math.ceil(bytes.length / chunkBytes);
      for (let i = 0; i < count; i++)
        tx.objectStore('chunks').put(new Blob([new Uint8Array(bytes.slice(i * chunkBytes, (i + 1) * chunkBytes))]), [id, i]);
      const manifest = {
        id,
        engine: 'wllama',
        url,
        size: bytes.length,
        chunkBytes,
        storedChunks: count,
        chunkHashes: [],
        complete: true,
        lastUsed: 0,
      };
      tx.objectStore('manifests').put(manifest, id);
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    },
    { id: TINY_ID, url: record.url, bytes: [...TINY_BYTES], chunkBytes },
  );
  const requests = modelRequestLog(page);
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect((await page.evaluate(() => window.chat.send('Still there?'))).length).toBeGreaterThan(0);
  expect(requests).toEqual([]);
  expect((await readManifest(page, TINY_ID))?.inFile).toBeUndefined(); // read where it is, not moved
});
