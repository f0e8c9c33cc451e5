// The model store at the 8B's size: its file functions write and read back bytes past 2^31 and
// 2^32 (a 4.53 GB sparse file: no disk, no download). Run in the sources through the Vite dev
// server, in a profile on disk (a private window's storage stops near 1.5 GB).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { webgpuLaunchOptions } from '../../playwright.config.js';
import { DEMO_ORIGIN } from '../server.js';

test('the store writes and reads a model file past 2^31 and 2^32 bytes', async () => {
  const profile = await mkdtemp(join(tmpdir(), 'llama-chat-offsets-'));
  const context = await chromium.launchPersistentContext(profile, webgpuLaunchOptions);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${DEMO_ORIGIN}/demo/`);
    const result = await page.evaluate(
      (url) =>
        new Promise<{ size?: number; mismatches?: number[]; error?: string }>((resolve) => {
          const worker = new Worker(url, { type: 'module' });
          worker.onmessage = (event: MessageEvent<{ size?: number; mismatches?: number[]; error?: string }>) => resolve(event.data);
          worker.onerror = (event) => resolve({ error: event.message });
          worker.postMessage('go');
        }),
      `${DEMO_ORIGIN}/test/e2e/pages/store-offsets-worker.ts`,
    );
    expect(result).toEqual({ size: 4_525_777_760, mismatches: [] });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
