// Model store hardening: broken downloads resume, damaged chunks are found and refetched,
// too little space is refused up front, partial entries never claim to be complete, and two
// tabs share one download.
import { expect, test, type Request } from '@playwright/test';
import { recordFigures } from './figures.js';
import { addChat, addChatFor, events, modelRequestLog, openPage, TINY_ID, tinyRecord, waitReady } from './helpers.js';
import { crashEngineWorker } from './runtime-helpers.js';
import { damageChunk, readManifest, requestedRange, storedSha256, TINY_BYTES, TINY_SHA256 } from './store-helpers.js';

/** Requests for the model's bytes: the element may first ask for its size with a HEAD. */
const gets = (log: Request[]) => log.filter((r) => r.method() === 'GET');

/** load() and the error code it failed with, or 'ok'. */
async function tryLoad(page: Parameters<typeof openPage>[0]): Promise<string> {
  return page.evaluate(() =>
    window.chat.load().then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? String(e),
    ),
  );
}

test('a download broken three times resumes with Range each time, refetching less than a chunk', async ({ page }, testInfo) => {
  const DROP = 300_000;
  const requests = modelRequestLog(page);
  await openPage(page);
  await addChat(page, {}, `?drop=${DROP}`);

  const outcomes: string[] = [];
  const manifests = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    const outcome = await tryLoad(page);
    outcomes.push(outcome);
    if (outcome === 'ok') break;
    manifests.push(await readManifest(page, TINY_ID));
  }
  expect(outcomes).toEqual(['network', 'network', 'network', 'ok']);
  // A broken download is never taken for a finished one.
  for (const manifest of manifests) {
    expect(manifest!.complete).toBe(false);
    expect(manifest!.storedChunks * manifest!.chunkBytes).toBeLessThan(TINY_BYTES.length);
  }
  await expect(page.locator('llama-chat header .status')).toHaveText('Ready');

  const size = TINY_BYTES.length;
  const chunkBytes = (await readManifest(page, TINY_ID))!.chunkBytes;
  expect(size / chunkBytes).toBeGreaterThan(4); // several chunks, or the test proves nothing
  const ranges = gets(requests).map(requestedRange);
  expect(ranges).toHaveLength(4);
  expect(ranges[0]!.start).toBe(0);
  let fetched = 0;
  for (let i = 0; i < ranges.length; i++) {
    const start = ranges[i]!.start;
    const delivered = Math.min(DROP, size - start);
    fetched += delivered;
    if (i > 0) {
      const previousEnd = ranges[i - 1]!.start + Math.min(DROP, size - ranges[i - 1]!.start);
      expect(start).toBeGreaterThan(0);
      expect(previousEnd - start).toBeLessThanOrEqual(chunkBytes); // refetched at most one chunk
    }
  }
  expect(fetched - size).toBeLessThanOrEqual(3 * chunkBytes);
  expect(await storedSha256(page, TINY_ID)).toBe(TINY_SHA256); // stitched together byte for byte
  const reply = await page.evaluate(() => window.chat.send('Did the whole file arrive?'));
  expect(reply.length).toBeGreaterThan(0);
  recordFigures(testInfo, { faultsSurvived: 3 });
});

test('a damaged chunk of the stored model is found on load, fetched again alone, and the user is told', async ({ page }, testInfo) => {
  const record = { ...tinyRecord('http://localhost:0'), sha256: TINY_SHA256 };
  await openPage(page);
  record.url = `${new URL(page.url()).origin}/models/tiny.gguf`;
  await addChatFor(page, record, { autoload: '' });
  await waitReady(page);
  const manifest = (await readManifest(page, TINY_ID))!;
  expect(manifest.complete).toBe(true);

  const DAMAGED = 5;
  await damageChunk(page, TINY_ID, DAMAGED, manifest.chunkBytes);
  const requests = modelRequestLog(page);
  await page.reload();
  await openPage(page);
  await addChatFor(page, record, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);

  const told = (await events(page, 'llama-chat-progress')).map((e) => (e.detail as { text: string }).text);
  expect(told.some((text) => /1 damaged part .* downloading it again/.test(text))).toBe(true);
  expect(gets(requests).map(requestedRange)).toEqual([
    { start: DAMAGED * manifest.chunkBytes, end: (DAMAGED + 1) * manifest.chunkBytes - 1 },
  ]);
  expect((await page.evaluate(() => window.chat.send('Repaired?'))).length).toBeGreaterThan(0);
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test("a file that does not match the record's SHA-256 is refused with integrity and not kept", async ({ page }, testInfo) => {
  await openPage(page);
  const record = { ...tinyRecord(new URL(page.url()).origin), sha256: '0'.repeat(64) };
  await addChatFor(page, record);
  expect(await tryLoad(page)).toBe('integrity');
  const error = (await events(page, 'llama-chat-error'))[0]!.detail as { message: string };
  expect(error.message).toContain(TINY_SHA256);
  await expect(page.locator('llama-chat [part=error]')).toBeVisible();
  expect(await readManifest(page, TINY_ID)).toBeUndefined();
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test('too little storage fails with quota-exceeded naming the bytes needed and available, before any download', async ({
  page,
}, testInfo) => {
  const requests = modelRequestLog(page);
  await openPage(page);
  // Something stored first, so the free space is measurably less than the quota.
  await addChatFor(page, tinyRecord(new URL(page.url()).origin), { autoload: '' });
  await waitReady(page);
  const { usage, quota } = await page.evaluate(async () => {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    return { usage, quota };
  });
  const needed = Math.floor(quota - usage / 2); // fits the quota, not the space left
  const before = gets(requests).length;
  await page.evaluate(() => (window.recorded = []));
  await addChatFor(page, { ...tinyRecord(new URL(page.url()).origin), id: 'second-model', sizeBytes: needed });
  expect(await tryLoad(page)).toBe('quota-exceeded');
  const { message } = (await events(page, 'llama-chat-error'))[0]!.detail as { message: string };
  expect(message).toContain(`${needed} bytes`);
  const named = Number(/only .* \((\d+) bytes\) is available/.exec(message)?.[1]);
  expect(Math.abs(named - (quota - usage)) / (quota - usage)).toBeLessThan(0.01);
  expect(gets(requests)).toHaveLength(before); // not a byte of it was requested
  expect(await readManifest(page, 'second-model')).toBeUndefined();
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test('a model larger than the whole quota is bad-input (freeing space cannot help), before any download', async ({ page }) => {
  const requests = modelRequestLog(page);
  await openPage(page);
  await addChatFor(page, { ...tinyRecord(new URL(page.url()).origin), sizeBytes: 1e15 });
  expect(await tryLoad(page)).toBe('bad-input');
  await expect(page.locator('llama-chat [part=error]')).toContainText('more than this browser lets the site store at all');
  await expect(page.locator('llama-chat [part=error-action]')).toHaveCount(0); // no "Free space" that cannot work
  expect(gets(requests)).toHaveLength(0);
});

test('two tabs loading the same model at once download it once and both work', async ({ context }, testInfo) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  const requests = modelRequestLog(first); // the context's log: both tabs
  await Promise.all([openPage(first), openPage(second)]);
  // A slow download, so both tabs surely ask for the model while it is under way.
  const slow = '?stall=1500';
  await Promise.all([
    addChat(first, { autoload: '', 'max-tokens': '8' }, slow),
    addChat(second, { autoload: '', 'max-tokens': '8' }, slow),
  ]);
  await Promise.all([waitReady(first), waitReady(second)]);
  expect(gets(requests).map(requestedRange)).toEqual([{ start: 0, end: undefined }]);
  const replies = await Promise.all([first, second].map((p) => p.evaluate(() => window.chat.send('Which tab am I?'))));
  for (const reply of replies) expect(reply.length).toBeGreaterThan(0);
  expect((await readManifest(first, TINY_ID))!.complete).toBe(true);
  expect(await storedSha256(first, TINY_ID)).toBe(TINY_SHA256); // byte for byte the served file
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test('a worker that crashes mid-download leaves an entry that is not complete, and the next load resumes it', async ({
  page,
}, testInfo) => {
  const DROP = 300_000; // the server stalls after these bytes: the crash lands mid-download
  const requests = modelRequestLog(page);
  await openPage(page);
  await addChat(page, {}, `?drop=${DROP}`);
  const loading = tryLoad(page);
  await expect.poll(async () => (await readManifest(page, TINY_ID))?.storedChunks ?? 0).toBeGreaterThanOrEqual(4);
  await crashEngineWorker(page);
  expect(await loading).toBe('worker-crashed');
  const left = (await readManifest(page, TINY_ID))!;
  expect(left.complete).toBe(false);
  expect(await page.evaluate(() => window.chat.status)).toBe('error');

  expect(await tryLoad(page)).toBe('network'); // the server drops this one too, after resuming
  const ranges = gets(requests).map(requestedRange);
  expect(ranges).toHaveLength(2);
  expect(ranges[1]!.start).toBe(left.storedChunks * left.chunkBytes);
  recordFigures(testInfo, { faultsSurvived: 1 });
});
