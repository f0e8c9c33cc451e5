// One Chromium for the whole benchmark, launched exactly as the end-to-end tests launch it
// (playwright.config.ts: CHROMIUM_PATH, Debian's chromium, or Playwright's), but with a
// profile on disk so IndexedDB and its Blobs live on disk as they do for real visitors.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type LaunchOptions } from 'playwright-core';
import { webgpuLaunchOptions } from '../playwright.config.js';
import { PAGE_ORIGIN } from '../test/server.js';

export interface BenchBrowser {
  context: BrowserContext;
  /** The profile folder: its path also picks out this browser's processes. */
  userDataDir: string;
  version: string;
  close(): Promise<void>;
}

const launchOptions: LaunchOptions = webgpuLaunchOptions;

export async function launchBrowser(): Promise<BenchBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'llama-chat-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, { ...launchOptions, baseURL: PAGE_ORIGIN });
  const version = await chromiumVersion(context);
  return {
    context,
    userDataDir,
    version,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

async function chromiumVersion(context: BrowserContext): Promise<string> {
  if (launchOptions.executablePath) {
    const { stdout } = await promisify(execFile)(launchOptions.executablePath, ['--version']).catch(() => ({ stdout: '' }));
    const version = /Chromium [\d.]+|Chrome [\d.]+/.exec(stdout)?.[0];
    if (version) return version;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return page.evaluate(() => /(?:Headless)?Chrom(?:e|ium)\/[\d.]+/.exec(navigator.userAgent)?.[0] ?? navigator.userAgent);
}
