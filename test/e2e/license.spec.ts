// The model's license travels with it: shown before the download, "Built with Llama" while it
// runs (unless the page displays it itself), and in the ready event and the headless engine.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { ModelLicense, ModelRecord } from '../../protocol/types.js';
import { addChatFor, events, openPage, tinyRecord, waitReady } from './helpers.js';

const LICENSE: ModelLicense = {
  name: 'Llama 3.2 Community License',
  url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/LICENSE',
  acceptableUseUrl: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/USE_POLICY.md',
  attribution: 'Built with Llama',
  notice: 'Llama 3.2 is licensed under the Llama 3.2 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.',
};

function licensed(page: Page): ModelRecord {
  return { ...tinyRecord(new URL(page.url()).origin), license: LICENSE };
}

/** axe-core on <llama-chat>, as test/e2e/a11y.spec.ts runs it. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .include('llama-chat')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`the consent step links the license and its policy; once loaded, "Built with Llama" stays in view (${theme})`, async ({ page }) => {
    await openPage(page);
    await addChatFor(page, licensed(page), { 'max-tokens': '24', theme });
    const chat = page.locator('llama-chat');
    const license = chat.locator('.consent [part="license"]');
    await expect(license).toContainText('License: Llama 3.2 Community License · Acceptable Use Policy');
    for (const [name, href] of [
      ['Llama 3.2 Community License', LICENSE.url],
      ['Acceptable Use Policy', LICENSE.acceptableUseUrl!],
    ] as const) {
      const link = license.getByRole('link', { name });
      await expect(link).toHaveAttribute('href', href);
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    }
    await expect(chat.locator('[part="attribution"]')).toHaveCount(0); // nothing is loaded yet
    await expect(chat.locator('.consent .size')).toContainText('download');
    expect(await violations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Download and start' }).click();
    await waitReady(page);
    const attribution = chat.locator('[part="attribution"]');
    await expect(attribution.getByRole('link', { name: 'Built with Llama' })).toHaveAttribute('href', LICENSE.url);
    await expect(attribution).toBeVisible();
    expect((await events(page, 'llama-chat-ready')).map((e) => e.detail)).toEqual([{ model: 'tiny-test-model', license: LICENSE }]);

    // While the person chats: visible during the answer and after it.
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('Hello');
    await input.press('Enter');
    await page.waitForFunction(() => window.chat.status === 'generating' || window.chat.messages.length === 2);
    await expect(attribution).toBeVisible();
    await page.waitForFunction(() => window.chat.status === 'ready' && window.chat.messages.length === 2);
    await expect(attribution).toBeInViewport();
    expect(await violations(page)).toEqual([]);
  });
}

test('no-attribution hides "Built with Llama" (the site displays it itself); the consent step still shows the license', async ({
  page,
}) => {
  await openPage(page);
  await addChatFor(page, licensed(page), { 'no-attribution': '' });
  const chat = page.locator('llama-chat');
  await expect(chat.locator('.consent [part="license"]')).toContainText('Llama 3.2 Community License');
  await page.getByRole('button', { name: 'Download and start' }).click();
  await waitReady(page);
  await expect(chat.locator('header .status')).toHaveText('Ready');
  await expect(chat.locator('[part="attribution"]')).toHaveCount(0);
  // The attribute is live: removing it shows the attribution again.
  await page.evaluate(() => window.chat.removeAttribute('no-attribution'));
  await expect(chat.locator('[part="attribution"]')).toHaveText('Built with Llama');
});

test('a record without a license shows neither the license nor an attribution, and the ready event has none', async ({ page }) => {
  await openPage(page);
  await addChatFor(page, tinyRecord(new URL(page.url()).origin));
  const chat = page.locator('llama-chat');
  await expect(page.getByRole('button', { name: 'Download and start' })).toBeVisible();
  await expect(chat.locator('[part="license"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Download and start' }).click();
  await waitReady(page);
  await expect(chat.locator('[part="attribution"]')).toHaveCount(0);
  expect((await events(page, 'llama-chat-ready')).map((e) => e.detail)).toEqual([{ model: 'tiny-test-model' }]);
});

test('the built-in default shows its Llama license in the consent step', async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => document.body.append(document.createElement('llama-chat')));
  // On SwiftShader the default is the 1B model on the CPU: Llama 3.2's license.
  const license = page.locator('llama-chat .consent [part="license"]');
  await expect(license.getByRole('link', { name: 'Llama 3.2 Community License' })).toHaveAttribute(
    'href',
    'https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/LICENSE',
  );
  await expect(license.getByRole('link', { name: 'Acceptable Use Policy' })).toHaveAttribute(
    'href',
    'https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/USE_POLICY.md',
  );
});

test("a page's license that is not an http(s) link is bad-input, before any download", async ({ page }) => {
  await openPage(page);
  const record = { ...tinyRecord(new URL(page.url()).origin), license: { name: 'X', url: 'javascript:alert(1)' } };
  await addChatFor(page, record, { autoload: '' });
  await page.waitForFunction(() => window.recorded.some((e) => e.type === 'llama-chat-error'));
  const [error] = await events(page, 'llama-chat-error');
  expect(error!.detail).toEqual({ code: 'bad-input', message: expect.stringMatching(/"tiny-test-model"\) has a "license" whose "url"/) });
  await expect(page.locator('llama-chat a[href^="javascript:"]')).toHaveCount(0);
});

test("createEngine() exposes the loaded record's license as engine.model.license", async ({ page }) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const record = licensed(page);
  const result = await page.evaluate(async (record) => {
    const engine = await window.llamaChat.createEngine({ model: record.id, models: [record] });
    const license = engine.model.license;
    await engine.unload();
    const builtIn = window.llamaChat.BUILT_IN_MODELS.map((m) => m.license?.name);
    return { license, builtIn, exported: window.llamaChat.LLAMA_3_1_LICENSE.attribution };
  }, record);
  expect(result.license).toEqual(LICENSE);
  expect(result.builtIn).toEqual([...Array(4).fill('Llama 3.1 Community License'), 'Llama 3.2 Community License']);
  expect(result.exported).toBe('Built with Llama');
});
