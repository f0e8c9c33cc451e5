// The MLC (web-llm) download done by our model store: into web-llm's own cache, measured in
// bytes, resumed with Range (refusals: mlc-refusals.spec.ts). No real model library can
// run here, so every load ends where web-llm instantiates the library: the tests check
// everything before that point (requests, progress, what is stored where).
import { expect, test } from '@playwright/test';
import { recordFigures } from './figures.js';
import { addChatFor, events, openPage } from './helpers.js';
import {
  clearFileFaults,
  declaredShards,
  LIBRARY_STAGE,
  MLC_ID,
  MLC_LIB,
  mlcFolderFiles,
  mlcRecord,
  mlcRequestLog,
  mlcTotalBytes,
  setFileFault,
  sha256,
  storeManifestIds,
  tryLoad,
  webLlmEntries,
} from './mlc-helpers.js';
import { readManifest, requestedRange } from './store-helpers.js';

interface Progress {
  phase: string;
  loaded: number;
  total: number;
}

test.afterEach(async ({ page }) => clearFileFaults(page));

test('an MLC model downloads into web-llm’s cache with byte progress to its whole size; a second load requests nothing', async ({
  page,
}, testInfo) => {
  const requests = mlcRequestLog(page);
  await openPage(page);
  const origin = new URL(page.url()).origin;
  const record = mlcRecord(origin);
  await addChatFor(page, record);

  const first = await tryLoad(page);
  expect(first).toEqual({ code: 'integrity', message: expect.stringMatching(LIBRARY_STAGE) });

  // One stream of bytes, never going back, ending at every byte of every file.
  const total = mlcTotalBytes();
  const shardBytes = declaredShards().reduce((sum, s) => sum + s.nbytes, 0);
  expect(shardBytes / total).toBeGreaterThan(0.9); // the shards are the download, as for the 8B
  const progress = (await events(page, 'llama-chat-progress')).map((e) => e.detail as Progress).filter((p) => p.phase === 'download');
  expect(progress.length).toBeGreaterThan(5);
  for (let i = 1; i < progress.length; i++) expect(progress[i]!.loaded).toBeGreaterThanOrEqual(progress[i - 1]!.loaded);
  expect(new Set(progress.map((p) => p.total).filter((t) => t > 0))).toEqual(new Set([total]));
  expect(progress.at(-1)).toMatchObject({ loaded: total, total });
  // The total was known before the first shard byte (from tensor-cache.json and the small files).
  const firstWithTotal = progress.findIndex((p) => p.total > 0);
  expect(progress[firstWithTotal]!.loaded).toBeLessThan(total - shardBytes + 1);

  // Every file where web-llm 0.2.86 reads it, in its form, byte for byte; nothing left in our store.
  const files = mlcFolderFiles();
  const base = `${record.url}/resolve/main/`;
  const model = await webLlmEntries(page, 'webllm/model');
  const expected = Object.entries(files).filter(([name]) => name !== 'mlc-chat-config.json');
  expect(model.map((e) => e.url).sort()).toEqual(expected.map(([name]) => base + name).sort());
  for (const [name, bytes] of expected) {
    const entry = model.find((e) => e.url === base + name)!;
    if (name === 'tensor-cache.json')
      expect(entry.kind).toBe('object'); // kept parsed, as web-llm does
    else expect(entry).toMatchObject({ kind: 'ArrayBuffer', bytes: bytes.length, sha256: sha256(bytes) });
  }
  expect(await webLlmEntries(page, 'webllm/config')).toEqual([
    {
      url: base + 'mlc-chat-config.json',
      kind: 'ArrayBuffer',
      bytes: files['mlc-chat-config.json']!.length,
      sha256: sha256(files['mlc-chat-config.json']!),
    },
  ]);
  expect(await webLlmEntries(page, 'webllm/wasm')).toEqual([
    { url: record.modelLib, kind: 'ArrayBuffer', bytes: MLC_LIB.length, sha256: sha256(MLC_LIB) },
  ]);
  expect(await storeManifestIds(page)).toEqual([]);
  // Each file requested once, tokenizer_config.json (listed, never read by web-llm) not at all.
  const firstRequests = requests.map((r) => new URL(r.url()).pathname);
  expect(firstRequests.length).toBe(Object.keys(files).length + 1);
  expect(new Set(firstRequests).size).toBe(firstRequests.length);
  expect(firstRequests.some((p) => p.endsWith('tokenizer_config.json'))).toBe(false);

  // A second load: web-llm's reload runs to the library from its cache, asking the network for nothing.
  requests.length = 0;
  await page.reload();
  await openPage(page);
  await addChatFor(page, record);
  await expect(page.locator('llama-chat [part=consent]')).toContainText('Stored on this device');
  const second = await tryLoad(page);
  expect(second).toEqual({ code: 'integrity', message: expect.stringMatching(LIBRARY_STAGE) });
  expect(requests.map((r) => r.url())).toEqual([]);
  recordFigures(testInfo, { cachedSessionExtraRequests: requests.length });
});

test('a connection dropped mid-shard resumes with Range from the last stored chunk, after a page reload too', async ({
  page,
}, testInfo) => {
  const requests = mlcRequestLog(page);
  await openPage(page);
  const record = mlcRecord(new URL(page.url()).origin);
  const shard = 'params_shard_2.bin';
  const size = mlcFolderFiles()[shard]!.length;
  const [DROP, DROP_AGAIN] = [700_000, 300_000];
  const shardRequests = () => requests.filter((r) => r.url().endsWith(shard));

  // First break: resumed in the same page.
  await setFileFault(page, shard, { drop: DROP });
  await addChatFor(page, record);
  expect(await tryLoad(page)).toMatchObject({ code: 'network' });
  const left = (await readManifest(page, `${MLC_ID}/${shard}`))!;
  expect(left.complete).toBe(false);
  expect(size / left.chunkBytes).toBeGreaterThan(4); // several chunks, or the test proves nothing
  expect(left.storedChunks).toBe(Math.floor(DROP / left.chunkBytes));
  // The partial model is listed with what is stored: finished files and the stored chunks.
  // (Shards download a few at once: which of the others finished beside the broken one varies.)
  const inCache = [...(await webLlmEntries(page, 'webllm/config')), ...(await webLlmEntries(page, 'webllm/model'))].map((e) => e.url);
  const done = Object.keys(mlcFolderFiles()).filter((name) => inCache.some((url) => url.endsWith(`/${name}`)));
  expect(done).toEqual(expect.arrayContaining(['mlc-chat-config.json', 'tensor-cache.json', 'tokenizer.json']));
  expect(done).not.toContain(shard);
  const doneBytes = done.reduce((sum, name) => sum + mlcFolderFiles()[name]!.length, MLC_LIB.length);
  expect(await listed(page, record)).toEqual([
    expect.objectContaining({ id: MLC_ID, complete: false, bytes: doneBytes + left.storedChunks * left.chunkBytes }),
  ]);

  // Second break after resuming, then a page reload: resumed again from what the store kept.
  await setFileFault(page, shard, { drop: DROP_AGAIN });
  expect(await tryLoad(page)).toMatchObject({ code: 'network' });
  const second = (await readManifest(page, `${MLC_ID}/${shard}`))!;
  await page.reload();
  await openPage(page);
  await addChatFor(page, record);
  expect(await tryLoad(page)).toEqual({ code: 'integrity', message: expect.stringMatching(LIBRARY_STAGE) });

  const ranges = shardRequests().map(requestedRange);
  expect(ranges.map((r) => r.start)).toEqual([0, left.storedChunks * left.chunkBytes, second.storedChunks * second.chunkBytes]);
  // Bytes fetched twice: what arrived after the last whole chunk, less than one chunk per break.
  const refetched = [DROP - ranges[1]!.start, ranges[1]!.start + DROP_AGAIN - ranges[2]!.start];
  for (const bytes of refetched) expect(bytes).toBeLessThan(left.chunkBytes);
  // The other files were not fetched again, and the shard went to web-llm's cache whole.
  expect(requests.filter((r) => !r.url().endsWith(shard)).length).toBe(Object.keys(mlcFolderFiles()).length);
  const entry = (await webLlmEntries(page, 'webllm/model')).find((e) => e.url.endsWith(shard))!;
  expect(entry.sha256).toBe(sha256(mlcFolderFiles()[shard]!));
  console.log(`MLC resume: chunk ${left.chunkBytes} B, re-fetched ${refetched.join(' and ')} B after two drops`);
  recordFigures(testInfo, { faultsSurvived: 2 });
});

/** cache.list() as the page sees it, through an engine on the tiny GGUF model that knows `record` too. */
async function listed(page: Parameters<typeof openPage>[0], record: ReturnType<typeof mlcRecord>): Promise<unknown[]> {
  return page.evaluate(async (record) => {
    const library = '/dist/llama-chat.js'; // the page's own copy, already loaded
    const { createEngine } = (await import(library)) as typeof window.llamaChat;
    const tiny = { id: 'tiny-lister', engine: 'wllama' as const, url: `${location.origin}/models/tiny.gguf`, contextLength: 256 };
    const engine = await createEngine({ model: tiny.id, models: [tiny, record] });
    const all = await engine.cache.list();
    await engine.cache.delete(tiny.id);
    await engine.unload();
    return all.filter((m) => m.id !== tiny.id);
  }, record);
}
