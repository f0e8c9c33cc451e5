// A returning visitor: the model stored on the first visit is shown as stored, starts without
// a download, and the visit makes no request to the model's host at all (HEAD included).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { webgpuLaunchOptions } from '../../playwright.config.js';
import { addChatFor, modelRequestLog, openPage, tinyRecord, TINY_ID, waitReady } from './helpers.js';
import { readManifest, storedSha256, TINY_BYTES, TINY_SHA256 } from './store-helpers.js';

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

test('where OPFS is refused (as in a private window) the download goes into IndexedDB chunks, and a returning visit loads them with zero requests', async ({
  page,
}) => {
  // Firefox's private windows refuse the origin private file system with a SecurityError. The
  // worker script is the one place to say so: the store looks for OPFS in the worker.
  let workerScripts = 0;
  await page.route('**/llama-chat-worker.js', async (route) => {
    workerScripts++;
    const response = await route.fetch();
    const refuse =
      "StorageManager.prototype.getDirectory = () => Promise.reject(new DOMException('The operation is insecure.', 'SecurityError'));\n";
    await route.fulfill({ response, body: refuse + (await response.text()) });
  });
  await openPage(page);
  const record = tinyRecord(new URL(page.url()).origin);
  const requests = modelRequestLog(page);
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect(workerScripts).toBe(1);
  expect(requests.filter((r) => r.method() === 'GET').length).toBeGreaterThan(0);
  const manifest = await readManifest(page, TINY_ID);
  expect(manifest).toMatchObject({ complete: true, size: TINY_BYTES.length });
  expect(manifest?.inFile).toBe(false); // in IndexedDB chunks, not a file
  expect(manifest?.storedChunks).toBe(Math.ceil(TINY_BYTES.length / manifest!.chunkBytes));
  expect(await storedSha256(page, TINY_ID)).toBe(TINY_SHA256);
  expect((await page.evaluate(() => window.chat.send('Where are you kept?'))).length).toBeGreaterThan(0);

  await page.reload();
  await openPage(page);
  requests.length = 0;
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect(workerScripts).toBe(2);
  expect(requests).toEqual([]);
  expect((await page.evaluate(() => window.chat.send('Still there?'))).length).toBeGreaterThan(0);
});

test('a returning visit starts and answers offline when the site lets the browser cache dist/', async ({ baseURL }) => {
  // A profile on disk, as a visitor has: a private context's memory cache keeps nothing as large as the 8.7 MB wasm.
  const profile = await mkdtemp(join(tmpdir(), 'llama-chat-offline-'));
  const context = await chromium.launchPersistentContext(profile, { ...webgpuLaunchOptions, baseURL });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const requests = modelRequestLog(page);
    await openPage(page, '/pages/element.html?dist=cached');
    const record = tinyRecord(new URL(page.url()).origin);
    await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
    await waitReady(page);
    expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0); // every part of the code fetched once

    await page.reload();
    await openPage(page, '/pages/element.html?dist=cached');
    await context.setOffline(true); // the worker, its chunks and the wasm now come from the browser's cache, the model from the store
    requests.length = 0;
    await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
    await waitReady(page);
    expect((await page.evaluate(() => window.chat.send('Still there, offline?'))).length).toBeGreaterThan(0);
    expect(requests).toEqual([]);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
