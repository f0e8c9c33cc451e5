// The 8B as it really is, on the CPU path: models generated with Llama 3.1 8B's shapes and its real
// vocabulary (test/fixtures/llama3-model.ts), random weights. The 4.5 GB one cannot fit llama.cpp's
// 4 GiB of wasm memory and is refused before its download; one past 2 GiB downloads, is kept, and
// answers on the next visit without a request. Slow by nature (about 0.5 tokens a second here).
import { openSync, closeSync, ftruncateSync, writeSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { webgpuLaunchOptions } from '../../playwright.config.js';
import type { ModelRecord } from '../../protocol/types.js';
import { llama3ModelHeader } from '../fixtures/llama3-model.js';
import { ensureRealSizeModel, realSizeModelPath } from '../fixtures/real-size.js';
import { addChatFor, modelRequestLog, openPage } from './helpers.js';
import { readManifest } from './store-helpers.js';

/** Past 2^31 bytes (2.31 GB), the fewest layers of the 8B's shape that are: the store's offsets go past 2 GiB. */
const LAYERS_PAST_2_GIB = 14;

/** The 8B's 32 layers as a sparse file: its real header, then its size in holes (no disk, no time). */
function sparse8b(): { path: string; size: number } {
  const path = realSizeModelPath(32).replace(/\.gguf$/, '-sparse.gguf');
  const { header, totalBytes } = llama3ModelHeader({ blockCount: 32 });
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  ftruncateSync(fd, totalBytes);
  closeSync(fd);
  return { path, size: statSync(path).size };
}

function record(origin: string, file: string, extra: Partial<ModelRecord> = {}): ModelRecord {
  return { id: 'llama-8b-shaped', engine: 'wllama', url: `${origin}/models/real-size/${file}`, label: 'Llama 3.1 8B-shaped', ...extra };
}

async function tryEngine(page: Page, rec: ModelRecord, ask?: string): Promise<{ code?: string; message: string; usage: number }> {
  return page.evaluate(
    async ({ rec, ask }) => {
      const usage = async () => (await navigator.storage.estimate()).usage ?? 0;
      try {
        const engine = await window.llamaChat.createEngine({ model: rec.id, models: [rec] });
        let message = 'loaded';
        if (ask) {
          const reply = await engine.chat.completions.create({ messages: [{ role: 'user', content: ask }], max_tokens: 2, temperature: 0 });
          message = `answered: ${reply.choices[0]!.message.content ?? ''}`;
        }
        await engine.unload();
        return { message, usage: await usage() };
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        return { code, message, usage: await usage() };
      }
    },
    { rec, ask },
  );
}

test('a GGUF with the 8B’s shapes (4.53 GB) is refused before its download, with the limit and the way forward', async ({ page }) => {
  const { size } = sparse8b();
  expect(size).toBeGreaterThan(4 * 1024 ** 3);
  const requests = modelRequestLog(page);
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const origin = new URL(page.url()).origin;

  // Its size in the record: not one request.
  const declared = await tryEngine(page, record(origin, 'llama3-8b-32l-sparse.gguf', { sizeBytes: size }));
  expect(declared.code).toBe('insufficient-memory');
  expect(declared.message).toMatch(
    /too large for this browser's CPU engine: it needs about 4\.\d\d GB .*at most 4\.29 GB \(4 GiB\).*Nothing was downloaded/,
  );
  expect(requests).toHaveLength(0);

  // No size in the record: the download's first bytes (its header, the server's size) refuse it, nothing kept.
  const before = (await page.evaluate(() => navigator.storage.estimate())).usage ?? 0;
  const found = await tryEngine(page, record(origin, 'llama3-8b-32l-sparse.gguf'));
  expect(found.code).toBe('insufficient-memory');
  expect(found.message).toMatch(
    /it needs about 5\.\d\d GB \(4\.53 GB of weights, 0\.\d\d GB for a 2048-token context, .*smaller quantization.*shorter context \(contextLength\).*WebGPU/,
  );
  expect(requests.length).toBeLessThanOrEqual(1);
  expect(await readManifest(page, 'llama-8b-shaped')).toBeUndefined();
  expect(found.usage - before).toBeLessThan(32 * 1024 * 1024); // at most a chunk's worth, and it is deleted

  // The element's consent step knows from the server's size (one HEAD): no button that could only fail.
  await openPage(page);
  await addChatFor(page, record(origin, 'llama3-8b-32l-sparse.gguf'));
  await expect(page.locator('llama-chat [part=consent-problem]')).toContainText(/too large for this browser's CPU engine.*4 GiB/);
  await expect(page.locator('llama-chat [part=load-button]')).toHaveCount(0);
  expect(requests.filter((r) => r.method() === 'GET').length).toBeLessThanOrEqual(1);
});

test('a model past 2 GiB with the 8B’s shapes downloads, is kept when its window cannot fit, and answers on the next visit with no request', async ({
  baseURL,
}) => {
  test.setTimeout(20 * 60_000);
  // A profile on disk, as a visitor has: a private window's storage stops near 1.5 GB (a short write, quota-exceeded).
  const profile = await mkdtemp(join(tmpdir(), 'llama-chat-real-size-'));
  const context = await chromium.launchPersistentContext(profile, { ...webgpuLaunchOptions, baseURL });
  try {
    await pastTwoGib(context.pages()[0] ?? (await context.newPage()));
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

async function pastTwoGib(page: Page): Promise<void> {
  await ensureRealSizeModel(LAYERS_PAST_2_GIB);
  const file = `llama3-8b-${LAYERS_PAST_2_GIB}l.gguf`;
  expect(statSync(realSizeModelPath(LAYERS_PAST_2_GIB)).size).toBeGreaterThan(2 ** 31);
  const requests = modelRequestLog(page);
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const origin = new URL(page.url()).origin;
  const small = record(origin, file, { contextLength: 256 });

  expect((await tryEngine(page, small)).message).toBe('loaded');
  const stored = await readManifest(page, small.id);
  expect(stored).toMatchObject({ complete: true, size: statSync(realSizeModelPath(LAYERS_PAST_2_GIB)).size });
  const downloads = requests.length;

  // The same file with the 8B's whole window: its KV cache alone is past 4 GiB. Refused from the
  // stored file's header, before llama.cpp, and the file stays.
  const wide = await tryEngine(page, { ...small, contextLength: 131_072 });
  expect(wide.code).toBe('insufficient-memory');
  expect(wide.message).toMatch(/131072-token context.*The stored file was kept/);
  expect(await readManifest(page, small.id)).toMatchObject({ complete: true });

  // The next visit: from the store, no request, and it answers.
  await page.reload();
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const answered = await tryEngine(page, small, 'Hi');
  expect(answered.message).toMatch(/^answered: ./);
  expect(requests).toHaveLength(downloads);
}
