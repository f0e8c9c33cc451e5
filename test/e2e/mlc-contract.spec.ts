// The coupling to web-llm's cache layout, tested against web-llm's own code (the installed,
// pinned version, loaded on the page from node_modules): what our downloader stores is a cache
// hit for hasModelInCache and for its ArtifactIndexedDBCache reads, with no network request;
// web-llm's integrity option checks our copies on every load; our delete empties its view.
// An upgrade that moves the layout fails here instead of double-downloading for users.
import { expect, test, type Page } from '@playwright/test';
import type { ModelRecord } from '../../protocol/types.js';
import { addChatFor, openPage } from './helpers.js';
import { LIBRARY_STAGE, MLC_ID, MLC_LIB, mlcFolderFiles, mlcRecord, mlcRequestLog, sha256, tryLoad, webLlmEntries } from './mlc-helpers.js';

interface WebLlmView {
  hasModelInCache: boolean;
  hasTensorInCache: boolean;
  indexedDBCache: boolean;
  /** SHA-256 of what ArtifactIndexedDBCache.fetchWithCache returned, by file name. */
  reads: Record<string, string>;
  listedShards: number;
}

/** Asks web-llm's own code (its runtime exported as `tvmjs` by the test server) about `record`. */
function askWebLlm(page: Page, record: ModelRecord, names: string[]): Promise<WebLlmView> {
  return page.evaluate(
    async ({ record, names }) => {
      const module = '/vendor/web-llm/tvmjs.js';
      type Cache = { fetchWithCache(url: string, form: string): Promise<unknown> };
      const webllm = (await import(module)) as {
        hasModelInCache(id: string, config: unknown): Promise<boolean>;
        tvmjs: {
          createArtifactCache(scope: string, options: { cacheType: string }): Cache;
          ArtifactIndexedDBCache: new (scope: string) => Cache;
          hasTensorInCache(url: string, options: { cacheScope: string; cacheType: string }): Promise<boolean>;
        };
      };
      const appConfig = { cacheBackend: 'indexeddb', model_list: [{ model: record.url, model_id: record.id, model_lib: record.modelLib }] };
      const cache = (scope: string) => webllm.tvmjs.createArtifactCache(scope, { cacheType: 'indexeddb' });
      const hex = async (data: unknown) =>
        Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data as ArrayBuffer)), (b) => b.toString(16).padStart(2, '0')).join(
          '',
        );
      const base = `${record.url}/resolve/main/`;
      const reads: Record<string, string> = {};
      for (const name of names) reads[name] = await hex(await cache('webllm/model').fetchWithCache(base + name, 'arraybuffer'));
      reads['mlc-chat-config.json'] = await hex(await cache('webllm/config').fetchWithCache(base + 'mlc-chat-config.json', 'arraybuffer'));
      reads.library = await hex(await cache('webllm/wasm').fetchWithCache(record.modelLib!, 'arraybuffer'));
      const listing = (await cache('webllm/model').fetchWithCache(base + 'tensor-cache.json', 'json')) as { records: unknown[] };
      return {
        hasModelInCache: await webllm.hasModelInCache(record.id, appConfig),
        hasTensorInCache: await webllm.tvmjs.hasTensorInCache(base, { cacheScope: 'webllm/model', cacheType: 'indexeddb' }),
        indexedDBCache: cache('webllm/model') instanceof webllm.tvmjs.ArtifactIndexedDBCache,
        reads,
        listedShards: listing.records.length,
      };
    },
    { record, names },
  );
}

test('web-llm’s own hasModelInCache and ArtifactIndexedDBCache find every file we stored, with no network request', async ({ page }) => {
  const requests = mlcRequestLog(page);
  await openPage(page);
  const files = mlcFolderFiles();
  // Hashes for the files web-llm checks itself too: its integrity option then runs on our copies.
  const checked = ['mlc-chat-config.json', 'tokenizer.json'];
  const record = mlcRecord(new URL(page.url()).origin, {
    sha256: { ...Object.fromEntries(checked.map((name) => [name, sha256(files[name]!)])), 'not-a-model-lib.wasm': sha256(MLC_LIB) },
  });
  await addChatFor(page, record);
  // web-llm read the config and the library from its cache, checked both against the record's
  // hashes, and failed only starting a library that holds no model.
  expect(await tryLoad(page)).toEqual({ code: 'integrity', message: expect.stringMatching(LIBRARY_STAGE) });

  requests.length = 0;
  const names = Object.keys(files).filter((name) => !['mlc-chat-config.json', 'tensor-cache.json'].includes(name));
  const view = await askWebLlm(page, record, names);
  expect(view).toMatchObject({ hasModelInCache: true, hasTensorInCache: true, indexedDBCache: true, listedShards: names.length - 1 });
  for (const name of [...names, 'mlc-chat-config.json']) expect(view.reads[name], name).toBe(sha256(files[name]!));
  expect(view.reads.library).toBe(sha256(MLC_LIB));
  expect(requests.map((r) => r.url())).toEqual([]); // every read a cache hit

  // A copy changed in web-llm's cache after it was checked: web-llm's own check refuses it.
  await page.evaluate(async (url) => {
    const open = indexedDB.open('webllm/config');
    await new Promise((resolve) => (open.onsuccess = resolve));
    const tx = open.result.transaction('urls', 'readwrite');
    tx.objectStore('urls').put({ url, data: new TextEncoder().encode('{"tokenizer_files": ["tokenizer.json"]}').buffer });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    open.result.close();
  }, `${record.url}/resolve/main/mlc-chat-config.json`);
  expect(await tryLoad(page)).toEqual({
    code: 'integrity',
    message: expect.stringMatching(
      /^A stored file of mlc-test is not the one that was checked .*Integrity verification failed for \S+mlc-chat-config\.json/,
    ),
  });
  expect(requests.map((r) => r.url())).toEqual([]);
});

test('our cache.delete() leaves web-llm nothing: hasModelInCache false, its databases empty', async ({ page }) => {
  await openPage(page);
  const record = mlcRecord(new URL(page.url()).origin);
  await addChatFor(page, record);
  await tryLoad(page);
  const before = await webLlmEntries(page, 'webllm/model');
  expect(before.length).toBe(Object.keys(mlcFolderFiles()).length - 1);

  const hasAfterDelete = await page.evaluate(async (record) => {
    const library = '/dist/llama-chat.js';
    const { createEngine } = (await import(library)) as typeof window.llamaChat;
    const tiny = { id: 'tiny-lister', engine: 'wllama' as const, url: `${location.origin}/models/tiny.gguf`, contextLength: 256 };
    const engine = await createEngine({ model: tiny.id, models: [tiny, record] });
    await engine.cache.delete(record.id);
    await engine.unload();
    const module = '/vendor/web-llm/index.js';
    const { hasModelInCache } = (await import(module)) as { hasModelInCache(id: string, config: unknown): Promise<boolean> };
    return hasModelInCache(record.id, {
      cacheBackend: 'indexeddb',
      model_list: [{ model: record.url, model_id: record.id, model_lib: record.modelLib }],
    });
  }, record);
  expect(hasAfterDelete).toBe(false);
  for (const database of ['webllm/model', 'webllm/config', 'webllm/wasm'] as const)
    expect(await webLlmEntries(page, database), database).toEqual([]);
  expect(MLC_ID).toBe(record.id);
});
