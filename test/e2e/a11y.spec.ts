// axe-core on <llama-chat> (open shadow DOM included) in every state a person meets.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { addChat, openPage, waitReady } from './helpers.js';

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .include('llama-chat')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`axe-core finds nothing (${theme} theme)`, () => {
    test('idle: the consent step', async ({ page }) => {
      await openPage(page);
      await addChat(page, { theme });
      await expect(page.getByRole('button', { name: 'Download and start' })).toBeVisible();
      await expect(page.locator('llama-chat .consent .size')).toContainText('download');
      expect(await violations(page)).toEqual([]);
    });

    test('ready, with a Markdown answer in the conversation', async ({ page }) => {
      await openPage(page);
      await addChat(page, { theme, autoload: '', 'max-tokens': '24' });
      await page.evaluate(() => window.chat.send('Hello'));
      await waitReady(page);
      expect(await violations(page)).toEqual([]);
    });

    test('editing a message; the conversation menu open', async ({ page }) => {
      await openPage(page);
      await addChat(page, { theme, autoload: '', 'max-tokens': '24' });
      await page.evaluate(() => window.chat.send('Hello'));
      await page.getByRole('button', { name: 'Edit message' }).click();
      await expect(page.getByRole('textbox', { name: 'Edit your message' })).toBeFocused();
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.locator('llama-chat >> summary').click();
      await expect(page.getByRole('button', { name: 'Export as JSON' })).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    test('generating, with the stop button', async ({ page }) => {
      await openPage(page);
      await addChat(page, { theme, autoload: '', 'max-tokens': '450' });
      await waitReady(page);
      // The tiny model finishes faster than axe can look: hold the stream open after its first
      // piece, so the view stays in its generating state while axe runs.
      await page.evaluate(async () => {
        const url = '/dist/llama-chat.js';
        const lib = (await import(url)) as typeof import('../../src/index.js');
        const stream = lib.EngineClient.prototype.stream;
        lib.EngineClient.prototype.stream = function (request) {
          const real = stream.call(this, request)[Symbol.asyncIterator]();
          return {
            async *[Symbol.asyncIterator]() {
              const first = await real.next();
              if (!first.done) yield first.value;
              await new Promise(() => {}); // never ends
            },
          };
        };
        void window.chat.send('Tell me a story');
      });
      await page.waitForFunction(() => window.recorded.some((e) => e.type === 'llama-chat-token'));
      await expect(page.getByRole('button', { name: 'Stop the answer' })).toBeVisible();
      const found = await violations(page);
      expect(await page.evaluate(() => window.chat.status)).toBe('generating'); // axe saw the generating view
      expect(found).toEqual([]);
    });

    test('error, with its action', async ({ page }) => {
      await openPage(page);
      await addChat(page, { theme, autoload: '' }, '?status=503');
      await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });
  });
}
