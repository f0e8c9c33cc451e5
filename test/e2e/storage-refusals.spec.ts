// Browsers that keep less: WebKit's private sessions refuse Blob values in IndexedDB, and some
// private windows keep nothing at all. The worker script is where the store meets storage, so
// each refusal is said there, as the browser would say it (WebKit itself runs core.engines.spec.ts).
import { expect, test, type Page } from '@playwright/test';
import { addChatFor, events, modelRequestLog, openPage, tinyRecord, TINY_ID, waitReady } from './helpers.js';
import { readManifest, storedSha256, TINY_BYTES, TINY_SHA256 } from './store-helpers.js';

const NO_OPFS =
  "StorageManager.prototype.getDirectory = () => Promise.reject(new DOMException('The operation is insecure.', 'SecurityError'));\n";
const NO_BLOBS = `{
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value, key) {
    if (value instanceof Blob) throw new DOMException('Error preparing Blob/File data to be stored in object store', 'UnknownError');
    return put.call(this, value, key);
  };
}\n`;
const NO_INDEXEDDB = "IDBFactory.prototype.open = () => { throw new DOMException('The operation is insecure.', 'SecurityError'); };\n";

/** Serves the worker script with `refusals` said before its own code. */
async function refuseInWorker(page: Page, refusals: string): Promise<void> {
  await page.route('**/llama-chat-worker.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: refusals + (await response.text()) });
  });
}

/** The first chunk as the store kept it: 'Blob' or 'ArrayBuffer'. */
function firstChunkKind(page: Page): Promise<string> {
  return page.evaluate(
    (id) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('llama-chat-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('chunks').objectStore('chunks').get([id, 0]);
          request.onsuccess = () => (
            open.result.close(),
            resolve(request.result instanceof Blob ? 'Blob' : request.result?.constructor.name)
          );
          request.onerror = () => reject(request.error);
        };
      }),
    TINY_ID,
  );
}

test('where IndexedDB refuses Blob values (WebKit, private), chunks are kept as ArrayBuffers and a returning visit makes no request', async ({
  page,
}) => {
  await refuseInWorker(page, NO_OPFS + NO_BLOBS);
  await openPage(page);
  const record = tinyRecord(new URL(page.url()).origin);
  const requests = modelRequestLog(page);
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect(await readManifest(page, TINY_ID)).toMatchObject({ complete: true, size: TINY_BYTES.length, inFile: false });
  expect(await firstChunkKind(page)).toBe('ArrayBuffer');
  expect(await storedSha256(page, TINY_ID)).toBe(TINY_SHA256);
  expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
  expect((await events(page, 'llama-chat-ready'))[0]?.detail).toEqual({ model: TINY_ID }); // kept: nothing to say

  await page.reload();
  await openPage(page);
  requests.length = 0;
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect(requests).toEqual([]);
  expect((await page.evaluate(() => window.chat.send('Still there?'))).length).toBeGreaterThan(0);
});

test('where the browser keeps nothing, the model runs from memory with a notice that it downloads again, and it does', async ({ page }) => {
  await refuseInWorker(page, NO_OPFS + NO_INDEXEDDB);
  await openPage(page);
  const record = tinyRecord(new URL(page.url()).origin);
  const requests = modelRequestLog(page);
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  const notice = page.locator('llama-chat [part~="notice"]');
  await expect(notice).toContainText('will download again on your next visit');
  const ready = (await events(page, 'llama-chat-ready'))[0]?.detail as { notice?: string };
  expect(ready.notice).toContain('will download again');
  expect((await events(page, 'llama-chat-progress')).some((e) => (e.detail as { notice?: string }).notice === ready.notice)).toBe(true);
  expect((await events(page, 'llama-chat-error')).length).toBe(0);
  expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
  expect(await readManifest(page, TINY_ID)).toBeUndefined(); // nothing was written

  await page.reload();
  await openPage(page);
  requests.length = 0;
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect(requests.filter((r) => r.method() === 'GET').length).toBeGreaterThan(0);
  await expect(notice).toContainText('will download again');
});
