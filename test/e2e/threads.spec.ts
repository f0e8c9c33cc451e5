// Every core where the page allows it: on a cross-origin isolated page llama.cpp runs in
// threads (one worker each, sharing the wasm memory); elsewhere on one.
import { expect, test, type Page } from '@playwright/test';
import { addChat, openPage, waitReady } from './helpers.js';

/**
 * llama.cpp's thread workers: Emscripten names them "em-pthread"; one that is busy (waiting on
 * the others in Atomics.wait) cannot even be asked, which only a thread worker does here.
 */
async function threadWorkers(page: Page): Promise<number> {
  const answers = await Promise.all(
    page
      .workers()
      .map((worker) =>
        Promise.race([worker.evaluate(() => self.name).catch(() => 'gone'), new Promise<string>((r) => setTimeout(() => r('busy'), 2000))]),
      ),
  );
  return answers.filter((name) => name === 'em-pthread' || name === 'busy').length;
}

test('on a cross-origin isolated page llama.cpp runs in threads, one per core, and answers', async ({ page }) => {
  await openPage(page, '/pages/element.html?coi=1');
  const { isolated, cores } = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  expect(isolated).toBe(true); // the premise
  await addChat(page, { autoload: '', 'max-tokens': '16' });
  await waitReady(page);
  const reply = await page.evaluate(() => window.chat.send('Hello from every core'));
  expect(reply.length).toBeGreaterThan(0);
  const expected = Math.min(cores > 4 ? cores - 1 : cores, 8);
  if (expected > 1) expect(await threadWorkers(page)).toBeGreaterThanOrEqual(expected - 1); // the main thread of llama.cpp is one
});

test('on a page that is not isolated it runs on one thread', async ({ page }) => {
  await openPage(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await addChat(page, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
  expect(await threadWorkers(page)).toBe(0);
});

test("threads on a cross-origin isolated page with the README's CSP and Trusted Types", async ({ page }) => {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to|Trusted ?Type/i.test(message.text())) refusals.push(message.text());
  });
  await openPage(page, '/pages/csp.html?csp=same-origin&coi=1');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await addChat(page, { autoload: '', 'max-tokens': '16' });
  await waitReady(page);
  expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 1) expect(await threadWorkers(page)).toBeGreaterThanOrEqual(1);
  expect(refusals).toEqual([]);
});
