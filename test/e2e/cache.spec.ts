import { expect, test, type Page } from '@playwright/test';
import { statSync } from 'node:fs';
import { CDN_ORIGIN } from '../server.js';
import { MEDIUM_MODEL_FILE, MLC_BAD_SIZE_DIR } from './global-setup.js';
import { MLC_ID, MLC_LIB, mlcFolderFiles, mlcRecord, mlcTotalBytes, storeManifestIds, webLlmEntries } from './mlc-helpers.js';

test('cache.list() shows a stored model and cache.delete() frees about its size', async ({ page }) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const size = statSync(MEDIUM_MODEL_FILE).size;
  const origin = new URL(page.url()).origin;
  const result = await page.evaluate(
    async ({ origin, size }) => {
      const record = { id: 'medium', engine: 'wllama' as const, url: `${origin}/models/medium.gguf`, sizeBytes: size, contextLength: 256 };
      const empty = (await navigator.storage.estimate()).usage ?? 0;
      const engine = await window.llamaChat.createEngine({ model: record.id, models: [record] });
      const listed = await engine.cache.list();
      const before = await engine.cache.estimate();
      await engine.cache.delete(record.id);
      const after = await engine.cache.estimate();
      const listedAfter = await engine.cache.list();
      await engine.unload();
      return { listed, empty, before: before.usage, after: after.usage, listedAfter };
    },
    { origin, size },
  );

  expect(result.listed).toEqual([expect.objectContaining({ id: 'medium', engine: 'wllama', bytes: size, complete: true })]);
  expect(result.listed[0]!.lastUsed).toBeGreaterThan(Date.now() - 60_000);
  expect(result.listedAfter).toEqual([]);
  // Chromium compresses IndexedDB values, so the model takes less than its size on disk;
  // what storing it added must come back when it is deleted.
  const added = result.before - result.empty;
  expect(added).toBeGreaterThan(size * 0.25);
  expect(added).toBeLessThan(size * 1.5);
  const freed = result.before - result.after;
  expect(freed).toBeGreaterThan(added * 0.9);
});

test('cache.list/delete/estimate see MLC models (complete and partial) beside a GGUF model', async ({ page }) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const origin = new URL(page.url()).origin;
  const gguf = { id: 'medium', engine: 'wllama' as const, url: `${origin}/models/medium.gguf`, contextLength: 256 };
  const complete = mlcRecord(origin);
  // Stops at shard 1 (its size is not the listed one): what came before it stays, a partial model.
  const partial = mlcRecord(origin, {
    id: 'mlc-partial',
    folder: 'mlc-bad-size',
    modelLib: `${CDN_ORIGIN}/mlc/not-a-model-lib.wasm?copy=2`,
  });
  const result = await page.evaluate(
    async ({ gguf, complete, partial }) => {
      const models = [gguf, complete, partial];
      const code = (p: Promise<unknown>) =>
        p.then(
          () => 'ok',
          (e: { code?: string }) => e.code,
        );
      // No real model library runs here: both MLC loads end after their downloads.
      const outcomes = [
        await code(window.llamaChat.createEngine({ model: complete.id, models })),
        await code(window.llamaChat.createEngine({ model: partial.id, models })),
      ];
      const engine = await window.llamaChat.createEngine({ model: gguf.id, models });
      const listed = await engine.cache.list();
      const before = (await engine.cache.estimate()).usage;
      await engine.cache.delete(complete.id);
      const afterMlc = (await engine.cache.estimate()).usage;
      const listedAfter = await engine.cache.list();
      await engine.cache.delete(partial.id);
      const listedLast = await engine.cache.list();
      await engine.unload();
      return { outcomes, listed, before, afterMlc, listedAfter, listedLast };
    },
    { gguf, complete, partial },
  );
  expect(result.outcomes).toEqual(['integrity', 'integrity']);
  const total = mlcTotalBytes();
  const bad = mlcFolderFiles(MLC_BAD_SIZE_DIR);
  // What came before the bad shard, and whichever of the shards under way beside it (four at a
  // time) finished: the listing counts exactly the files kept, whichever those were.
  const keptBefore = ['mlc-chat-config.json', 'tensor-cache.json', 'tokenizer.json'].reduce(
    (sum, n) => sum + bad[n]!.length,
    MLC_LIB.length,
  );
  const goodShards = ['params_shard_0.bin', 'params_shard_2.bin', 'params_shard_3.bin', 'params_shard_4.bin'].map((n) => bad[n]!.length);
  const partialListed = result.listed.find((m) => m.id === 'mlc-partial')!.bytes;
  const possible = Array.from({ length: 16 }, (_, set) =>
    goodShards.reduce((sum, bytes, i) => (set & (1 << i) ? sum + bytes : sum), keptBefore),
  );
  expect(possible).toContain(partialListed);
  const partialBytes = partialListed;
  const byId = (list: Array<{ id: string }>) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  expect(byId(result.listed)).toEqual([
    expect.objectContaining({ id: 'medium', engine: 'wllama', bytes: statSync(MEDIUM_MODEL_FILE).size, complete: true }),
    expect.objectContaining({ id: 'mlc-partial', engine: 'web-llm', bytes: partialBytes, complete: false }),
    expect.objectContaining({ id: MLC_ID, engine: 'web-llm', bytes: total, complete: true }),
  ]);
  for (const model of result.listed) expect(model.lastUsed).toBeGreaterThan(Date.now() - 60_000);
  // Random weights do not compress: deleting the MLC model frees about its size, where the browser
  // gives back deleted IndexedDB values at once (Chromium 150's LevelDB store keeps them until it
  // compacts, which no page can ask for: there, as much as deleting the same bytes by hand frees).
  const freedByHand = await freedByDeletingInIndexedDb(page, total);
  test.info().annotations.push({ type: 'IndexedDB', description: `deleting ${total} bytes by hand freed ${freedByHand}` });
  expect(result.before - result.afterMlc).toBeGreaterThan(Math.min(total, freedByHand) * 0.8);
  expect(byId(result.listedAfter).map((m) => m.id)).toEqual(['medium', 'mlc-partial']);
  expect(result.listedLast.map((m) => m.id)).toEqual(['medium']);
  for (const database of ['webllm/model', 'webllm/config', 'webllm/wasm'] as const)
    expect(await webLlmEntries(page, database), database).toEqual([]);
  expect(await storeManifestIds(page)).toEqual(['medium']);
});

/** What `navigator.storage.estimate()` says deleting `bytes` of random data from IndexedDB frees, in this browser now. */
async function freedByDeletingInIndexedDb(page: Page, bytes: number): Promise<number> {
  return page.evaluate(async (bytes) => {
    const done = <T>(request: IDBRequest<T> | IDBTransaction) =>
      new Promise<void>((resolve, reject) => {
        if (request instanceof IDBTransaction) request.oncomplete = () => resolve();
        else request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error ?? new Error('IndexedDB failed'));
      });
    const open = indexedDB.open('deletion-probe');
    open.onupgradeneeded = () => open.result.createObjectStore('values');
    await done(open);
    const db = open.result;
    const value = new Uint8Array(bytes);
    for (let at = 0; at < bytes; at += 65536) crypto.getRandomValues(value.subarray(at, at + 65536));
    const write = db.transaction('values', 'readwrite');
    write.objectStore('values').put(value.buffer, 'random');
    await done(write);
    const stored = (await navigator.storage.estimate()).usage ?? 0;
    const erase = db.transaction('values', 'readwrite');
    erase.objectStore('values').delete('random');
    await done(erase);
    const freed = stored - ((await navigator.storage.estimate()).usage ?? 0);
    db.close();
    await done(indexedDB.deleteDatabase('deletion-probe'));
    return freed;
  }, bytes);
}
