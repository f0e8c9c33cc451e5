// What the MLC download refuses, and when: a shard of the wrong size or hash (integrity, before
// web-llm's cache gets it), a model library that is none (integrity, before the weights), and a
// model that does not fit (quota-exceeded, before a byte of the weights).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CDN_ORIGIN } from '../server.js';
import { mlcModelFiles } from '../fixtures/mlc-model.js';
import { recordFigures } from './figures.js';
import { MLC_BAD_SIZE_DIR, MLC_TEST_DIR } from './global-setup.js';
import { addChatFor, openPage } from './helpers.js';
import {
  declaredShards,
  MLC_ID,
  mlcFolderFiles,
  mlcRecord,
  mlcRequestLog,
  sha256,
  storeManifestIds,
  tryLoad,
  webLlmEntries,
} from './mlc-helpers.js';

test('a shard of another size than tensor-cache.json says is refused with integrity before its body, nothing of it kept', async ({
  page,
}) => {
  const requests = mlcRequestLog(page);
  await openPage(page);
  const record = mlcRecord(new URL(page.url()).origin, { folder: 'mlc-bad-size' });
  await addChatFor(page, record);
  const outcome = await tryLoad(page);
  expect(outcome).toMatchObject({ code: 'integrity', message: expect.stringContaining('params_shard_1.bin') });
  expect((outcome as { message: string }).message).toMatch(/has 917504 bytes where the model's listing says 921600/);
  await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'integrity');
  const model = await webLlmEntries(page, 'webllm/model');
  expect(model.some((e) => e.url.endsWith('params_shard_1.bin'))).toBe(false);
  expect(model.some((e) => e.url.endsWith('params_shard_0.bin'))).toBe(true); // the good one before it stays
  expect(await storeManifestIds(page)).toEqual([]);
  // Stopped there: the shards already under way beside it (four at a time) finish, no other starts.
  expect(requests.some((r) => r.url().endsWith('params_shard_4.bin'))).toBe(false);
  expect(declaredShards(MLC_BAD_SIZE_DIR)[1]!.nbytes).toBe(921_600);
});

test('a shard whose SHA-256 is not the record’s is refused with integrity, and web-llm’s cache never gets it', async ({
  page,
}, testInfo) => {
  await openPage(page);
  const files = mlcFolderFiles();
  const wrong = sha256(Buffer.from('another file'));
  const record = mlcRecord(new URL(page.url()).origin, {
    sha256: {
      'mlc-chat-config.json': sha256(files['mlc-chat-config.json']!),
      'params_shard_0.bin': sha256(files['params_shard_0.bin']!),
      'params_shard_3.bin': wrong,
    },
  });
  await addChatFor(page, record);
  const outcome = await tryLoad(page);
  expect(outcome).toMatchObject({ code: 'integrity' });
  const { message } = outcome as { message: string };
  expect(message).toContain(`${MLC_ID}/params_shard_3.bin failed its integrity check`);
  expect(message).toContain(sha256(files['params_shard_3.bin']!)); // what it is, and what the page expects
  expect(message).toContain(wrong);
  const model = await webLlmEntries(page, 'webllm/model');
  expect(model.some((e) => e.url.endsWith('params_shard_3.bin'))).toBe(false);
  expect(model.find((e) => e.url.endsWith('params_shard_0.bin'))?.sha256).toBe(sha256(files['params_shard_0.bin']!));
  expect(await storeManifestIds(page)).toEqual([]);
  recordFigures(testInfo, { badInputs: 1 });
});

test('a model library that is none is refused with integrity as soon as it arrives, before the weights', async ({ page }) => {
  const requests = mlcRequestLog(page);
  await openPage(page);
  // A file that exists but is no library: the folder's tokenizer, from the other loopback name.
  const record = mlcRecord(new URL(page.url()).origin, { modelLib: `${CDN_ORIGIN}/mlc/mlc-test/resolve/main/tokenizer.json` });
  await addChatFor(page, record);
  expect(await tryLoad(page)).toEqual({
    code: 'integrity',
    message: `The model library of ${MLC_ID} (${record.modelLib}) is not WebAssembly. Check the record's modelLib URL.`,
  });
  expect(requests.some((r) => r.url().includes('params_shard'))).toBe(false);
  expect(await webLlmEntries(page, 'webllm/wasm')).toEqual([]);
});

test('too little free space: quota-exceeded before a byte of the weights is requested', async ({ page }, testInfo) => {
  const requests = mlcRequestLog(page);
  await openPage(page);
  // Something stored first, so the free space is measurably less than the quota.
  await page.evaluate(async () => {
    const filler = new Uint8Array(6_000_000);
    for (let i = 0; i < filler.length; i += 65536) crypto.getRandomValues(filler.subarray(i, i + 65536));
    await (await caches.open('filler')).put('/filler', new Response(filler));
  });
  const { usage = 0, quota = 0 } = await page.evaluate(() => navigator.storage.estimate());
  // A folder whose listing declares weights that fit the quota but not the space left (the
  // shard files need not exist: not one byte of them may be asked for).
  const needed = Math.floor(quota - usage / 2);
  const shards = [0, 1, 2].map((i) => ({
    dataPath: `params_shard_${i}.bin`,
    format: 'raw-shard',
    nbytes: Math.floor(needed / 3) + (i === 0 ? needed % 3 : 0),
    records: [],
  }));
  const main = join(dirname(MLC_TEST_DIR), 'mlc-quota/resolve/main');
  mkdirSync(main, { recursive: true });
  writeFileSync(join(main, 'mlc-chat-config.json'), mlcModelFiles().files['mlc-chat-config.json']!);
  writeFileSync(join(main, 'tensor-cache.json'), JSON.stringify({ metadata: {}, records: shards }));
  writeFileSync(join(main, 'tokenizer.json'), mlcModelFiles().files['tokenizer.json']!);

  await addChatFor(page, mlcRecord(new URL(page.url()).origin, { id: 'mlc-quota', folder: 'mlc-quota' }));
  const outcome = await tryLoad(page);
  expect(outcome).toMatchObject({ code: 'quota-exceeded' });
  expect((outcome as { message: string }).message).toContain(`needs ${(needed / 1e6).toFixed(1)} MB (${needed} bytes)`);
  const paths = requests.map((r) => new URL(r.url()).pathname.split('/').pop());
  expect(paths).toEqual(['mlc-chat-config.json', 'tensor-cache.json']); // nothing after the listings
  recordFigures(testInfo, { faultsSurvived: 1 });
});
