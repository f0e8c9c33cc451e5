import { expect, test } from '@playwright/test';
import { statSync } from 'node:fs';
import { MEDIUM_MODEL_FILE } from './global-setup.js';

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
