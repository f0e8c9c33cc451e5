import type { BrowserContext, Page } from 'playwright-core';
import './page/protocol.js'; // window.bench

/**
 * A fresh tab on the benchmark page, once its window.bench is there; `isolated`: with COOP and
 * COEP; `beforeGoto`: what to set up on the tab before it loads (routes); `dist`: the library
 * built on the other wllama (figure 9) instead of dist/.
 */
export async function openBenchPage(
  context: BrowserContext,
  {
    isolated = false,
    beforeGoto,
    dist,
  }: { isolated?: boolean; beforeGoto?: ((page: Page) => Promise<void>) | undefined; dist?: 'other-wllama' | undefined } = {},
): Promise<Page> {
  const page = await context.newPage();
  await beforeGoto?.(page);
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  const query = new URLSearchParams({ ...(isolated ? { coi: '1' } : {}), ...(dist ? { dist } : {}) }).toString();
  await page.goto(`/bench/pages/bench.html${query ? `?${query}` : ''}`);
  await page.waitForFunction(() => window.bench !== undefined);
  return page;
}
