import type { BrowserContext, Page } from 'playwright-core';
import './page/protocol.js'; // window.bench

/**
 * A fresh tab on the benchmark page, once its window.bench is there; `isolated`: with COOP and
 * COEP; `beforeGoto`: what to set up on the tab before it loads (routes).
 */
export async function openBenchPage(
  context: BrowserContext,
  { isolated = false, beforeGoto }: { isolated?: boolean; beforeGoto?: ((page: Page) => Promise<void>) | undefined } = {},
): Promise<Page> {
  const page = await context.newPage();
  await beforeGoto?.(page);
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  await page.goto(`/bench/pages/bench.html${isolated ? '?coi=1' : ''}`);
  await page.waitForFunction(() => window.bench !== undefined);
  return page;
}
