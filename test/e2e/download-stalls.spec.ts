// Downloads and loads that stop moving without failing (issue 34: a connection left open, no
// byte coming, the promise pending for good). The test server stops mid-body and keeps the
// connection open (?hang), or sends slowly (?trickle); the page holds what the store waits on.
// Short stall times come in through createEngine's stallLimits.
import { expect, test, type Page, type Request } from '@playwright/test';
import type { LoadProgress, ModelRecord, StallLimits } from '../../protocol/types.js';
import { recordFigures } from './figures.js';
import { modelRequestLog, TINY_ID, tinyRecord } from './helpers.js';
import { chunkBytesFor } from '../../worker/store/chunk-size.js';
import { LIBRARY_STAGE, mlcFolderFiles, mlcRecord, mlcRequestLog, clearFileFaults, setFileFault } from './mlc-helpers.js';
import { readManifest, requestedRange, storedSha256, TINY_BYTES, TINY_SHA256 } from './store-helpers.js';

const LIMITS: StallLimits = { noticeAfterMs: 500, resumeAfterMs: 3_000, giveUpAfterStalls: 3 };
/** Where ?hang stops the tiny model's body: past four of its 64 KiB chunks, inside the fifth. */
const HANG_AT = 300_000;
const CHUNK = 64 * 1024;

interface Outcome {
  code?: string;
  message?: string;
  answer?: string;
  progress: LoadProgress[];
}

/** createEngine() on the headless page with `limits`; asks one question when it loads. */
async function loadEngine(page: Page, record: ModelRecord, limits: StallLimits = LIMITS): Promise<Outcome> {
  return page.evaluate(
    async ({ record, limits }) => {
      const progress: LoadProgress[] = [];
      try {
        const engine = await window.llamaChat.createEngine({
          model: record.id,
          models: [record],
          stallLimits: limits,
          onProgress: (p) => progress.push(p),
        });
        const reply = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 });
        await engine.unload();
        return { answer: reply.choices[0]!.message.content ?? '', progress };
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        return { code, message, progress };
      }
    },
    { record, limits },
  );
}

async function openHeadless(page: Page): Promise<string> {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  return new URL(page.url()).origin;
}

const gets = (log: Request[]) => log.filter((r) => r.method() === 'GET');
const texts = (outcome: Outcome) => outcome.progress.map((p) => p.text);
/** A URL of its own per test run: the server counts ?hangs per exact URL, for as long as it runs. */
const fresh = () => `&run=${crypto.randomUUID()}`;

test('a body that stops mid-file with the connection open: told, resumed from the last stored chunk, complete and answering', async ({
  page,
}, testInfo) => {
  const requests = modelRequestLog(page);
  const origin = await openHeadless(page);
  const record = tinyRecord(origin, `?hang=${HANG_AT}&hangs=1${fresh()}`);
  const outcome = await loadEngine(page, record);
  expect(outcome.code, outcome.message).toBeUndefined();
  expect(outcome.answer!.length).toBeGreaterThan(0);

  // While nothing came, progress said so; then the download resumed.
  const told = texts(outcome);
  expect(told).toContainEqual(expect.stringMatching(/^Waiting for the server… \(no data for \d+ s\)$/));
  expect(told).toContainEqual(expect.stringMatching(/^Resuming the download of .* \(no data from the server for 3 s\)$/));
  const waiting = outcome.progress.find((p) => p.text.startsWith('Waiting'))!;
  expect(waiting).toMatchObject({ phase: 'download', loaded: HANG_AT, total: TINY_BYTES.length });

  // Two requests: the whole file, then from the last stored chunk; less than a chunk fetched twice.
  const ranges = gets(requests).map(requestedRange);
  expect(ranges).toEqual([
    { start: 0, end: undefined },
    { start: Math.floor(HANG_AT / CHUNK) * CHUNK, end: undefined },
  ]);
  expect(HANG_AT - ranges[1]!.start).toBeLessThan(CHUNK);
  expect(await readManifest(page, TINY_ID)).toMatchObject({ complete: true, size: TINY_BYTES.length, chunkBytes: CHUNK });
  expect(await storedSha256(page, TINY_ID)).toBe(TINY_SHA256);
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test('stalls in a row at the same place end with network and the way forward, every stored byte kept; a retry resumes', async ({
  page,
}, testInfo) => {
  const requests = modelRequestLog(page);
  const origin = await openHeadless(page);
  const record = tinyRecord(origin, `?hang=${HANG_AT}&hangs=3${fresh()}`);
  const startedAt = Date.now();
  const failed = await loadEngine(page, record);
  expect(failed.code).toBe('network');
  expect(failed.message).toMatch(
    /^The server stopped sending Tiny test model \(random weights\): no data for 3 s, 3 times in a row\. The 0\.3 MB already downloaded are kept: try again to resume the download where it stopped\.$/,
  );
  expect(Date.now() - startedAt).toBeGreaterThan(3 * 3_000); // three whole stalls, not sooner
  const kept = await readManifest(page, TINY_ID);
  expect(kept).toMatchObject({ complete: false, storedChunks: Math.floor(HANG_AT / CHUNK) });
  expect(gets(requests)).toHaveLength(3);

  // The server is back (past its three hangs): the retry goes on from the stored chunks.
  const retried = await loadEngine(page, record);
  expect(retried.code, retried.message).toBeUndefined();
  const ranges = gets(requests).map(requestedRange);
  const resumeAt = kept!.storedChunks * CHUNK;
  expect(ranges.map((r) => r.start)).toEqual([0, resumeAt, resumeAt, resumeAt]);
  expect(await storedSha256(page, TINY_ID)).toBe(TINY_SHA256);
  recordFigures(testInfo, { faultsSurvived: 3 });
});

test('a slow server that keeps sending is never taken for stalled', async ({ page }) => {
  const requests = modelRequestLog(page);
  const origin = await openHeadless(page);
  // 300 KB/s: three seconds for the tiny model, a little every 100 ms.
  const outcome = await loadEngine(page, tinyRecord(origin, `?trickle=300000${fresh()}`), {
    ...LIMITS,
    noticeAfterMs: 1_000,
    resumeAfterMs: 1_500,
  });
  expect(outcome.code, outcome.message).toBeUndefined();
  expect(texts(outcome).filter((t) => /^(Waiting|Resuming)/.test(t))).toEqual([]);
  expect(gets(requests)).toHaveLength(1);
});

test('our own side stops mid-download (the store held by another tab’s transaction): told as the browser, resumed, given up with the bytes kept', async ({
  page,
}, testInfo) => {
  const origin = await openHeadless(page);
  // Slow enough (200 KB/s) that the page can take the store's database while the body comes.
  const record = tinyRecord(origin, `?trickle=200000${fresh()}`);
  const failed = await page.evaluate(
    async ({ record, limits }) => {
      const progress: LoadProgress[] = [];
      let held = false;
      // Another tab's long readwrite transaction on the manifests: every store call of the download waits behind it.
      const hold = async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('llama-chat-store');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const store = db.transaction('manifests', 'readwrite').objectStore('manifests');
        const spin = () => {
          if (held) store.get('nothing').onsuccess = spin;
        };
        spin();
      };
      try {
        await window.llamaChat.createEngine({
          model: record.id,
          models: [record],
          stallLimits: limits,
          onProgress: (p) => {
            progress.push(p);
            if (!held && p.loaded > 2 * 64 * 1024) {
              held = true;
              void hold();
            }
          },
        });
        return { progress };
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        return { code, message, progress };
      } finally {
        held = false; // the other tab lets go
      }
    },
    { record, limits: LIMITS },
  );
  expect(failed.code).toBe('network');
  expect(failed.message).toMatch(
    /^The browser stopped storing Tiny test model \(random weights\): nothing was saved for 3 s, 3 times in a row\. The 0\.\d MB already downloaded are kept: try again/,
  );
  expect(failed.progress.map((p) => p.text)).toContainEqual(
    expect.stringMatching(/^Waiting for the browser to store Tiny test model .*… \(\d+ s\)$/),
  );
  const kept = (await readManifest(page, TINY_ID))!;
  expect(kept.complete).toBe(false);
  expect(kept.storedChunks).toBeGreaterThanOrEqual(2);

  const retried = await loadEngine(page, record);
  expect(retried.code, retried.message).toBeUndefined();
  expect(await storedSha256(page, TINY_ID)).toBe(TINY_SHA256);
  recordFigures(testInfo, { faultsSurvived: 3 });
});

test('a load that reports nothing at all (its model held by a tab that never lets go): ended, tried once more, then worker-crashed', async ({
  page,
}, testInfo) => {
  const origin = await openHeadless(page);
  const record = tinyRecord(origin);
  // A tab frozen while it held the model's download lock, saying nothing.
  await page.evaluate((id) => {
    void navigator.locks.request(
      `llama-chat:model:${id}`,
      () => new Promise<void>((release) => ((window as unknown as { unlock: () => void }).unlock = release)),
    );
  }, record.id);
  const startedAt = Date.now();
  const stalled = await loadEngine(page, record, { ...LIMITS, loadSilenceMs: 2_000 });
  expect(stalled.code).toBe('worker-crashed');
  expect(stalled.message).toMatch(
    /^Loading the model made no progress for 2 s, so the chat engine was stopped\. Try again: what was downloaded is kept/,
  );
  expect(Date.now() - startedAt).toBeGreaterThan(2 * 2_000); // a fresh worker was given its own chance
  await page.evaluate(() => (window as unknown as { unlock: () => void }).unlock());
  expect((await loadEngine(page, record, { ...LIMITS, loadSilenceMs: 2_000 })).code).toBeUndefined();
  recordFigures(testInfo, { faultsSurvived: 2 });
});

test('a tab waiting for another tab’s download of the same model hears its progress, and then has it stored', async ({ page }) => {
  const requests = modelRequestLog(page);
  const origin = await openHeadless(page);
  // 400 KB/s: two seconds of download, which ever engine takes the model's lock first.
  const record = tinyRecord(origin, `?trickle=400000${fresh()}`);
  const heard = await page.evaluate(async (record) => {
    const load = async () => {
      const seen: string[] = [];
      const engine = await window.llamaChat.createEngine({
        model: record.id,
        models: [record],
        ownEngine: true,
        onProgress: (p) => seen.push(p.text),
      });
      await engine.unload();
      return seen;
    };
    return Promise.all([load(), load()]);
  }, record);
  const waiter = heard.find((texts) => texts.some((t) => t.endsWith('(in another tab)')));
  expect(waiter).toContainEqual(expect.stringMatching(/^Downloading Tiny test model .* \(in another tab\)$/));
  expect(gets(requests)).toHaveLength(1); // one download for both
});

test('an MLC shard that stops mid-body: the model store resumes it with Range and the download goes on', async ({ page }, testInfo) => {
  const requests = mlcRequestLog(page);
  const origin = await openHeadless(page);
  const shard = 'params_shard_2.bin';
  await setFileFault(page, shard, { hang: 700_000 });
  try {
    const outcome = await loadEngine(page, mlcRecord(origin));
    expect(outcome.code).toBe('integrity');
    expect(outcome.message).toMatch(LIBRARY_STAGE); // as far as a load can go here: every file downloaded
    expect(texts(outcome)).toContainEqual(expect.stringMatching(/^Waiting for the server… /));
    expect(texts(outcome)).toContainEqual(expect.stringMatching(/^Resuming the download of MLC test model \(params_shard_2\.bin\)/));
    // The whole shard, then from its last stored chunk: less than a chunk fetched twice.
    const chunk = chunkBytesFor(mlcFolderFiles()[shard]!.length);
    const starts = requests.filter((r) => r.url().endsWith(shard)).map((r) => requestedRange(r).start);
    expect(starts).toEqual([0, Math.floor(700_000 / chunk) * chunk]);
    expect(starts[1]).toBeGreaterThan(0);
  } finally {
    await clearFileFaults(page);
  }
  recordFigures(testInfo, { faultsSurvived: 1 });
});
