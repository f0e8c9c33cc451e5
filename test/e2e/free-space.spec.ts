// "Free space" after quota-exceeded: two chats' models stored on one origin; the person sees
// what is stored, only this chat's own models are chosen for them, and nothing is deleted
// before they confirm, nor anything they did not choose.
import { expect, test, type Page } from '@playwright/test';
import type { ModelRecord } from '../../protocol/types.js';
import { recordFigures } from './figures.js';
import { addChatFor, openPage, TINY_ID, tinyAltRecord, tinyRecord, waitReady } from './helpers.js';
import { readManifest } from './store-helpers.js';

const ALT_ID = 'tiny-alt-model';

/** Stores `record` through its own element, as another chat on the page would. */
async function store(page: Page, record: ModelRecord): Promise<void> {
  await addChatFor(page, record, { autoload: '' });
  await waitReady(page);
  await page.evaluate(() => window.chat.remove());
}

/** A record that needs `shortBy` bytes more than the free space, of its own (its file is the tiny model's). */
async function modelShortBy(page: Page, shortBy: (altBytes: number, usage: number) => number): Promise<ModelRecord> {
  const { usage, quota } = await page.evaluate(async () => {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    return { usage, quota };
  });
  const altBytes = (await readManifest(page, ALT_ID))!.size;
  const sizeBytes = Math.floor(quota - usage + shortBy(altBytes, usage));
  expect(sizeBytes).toBeLessThan(quota); // not larger than all the site may store (that is bad-input)
  return { ...tinyRecord(new URL(page.url()).origin), id: 'big-model', label: 'Big model', sizeBytes };
}

async function openWithTwoChatsStored(page: Page): Promise<void> {
  await openPage(page);
  const origin = new URL(page.url()).origin;
  await store(page, tinyRecord(origin)); // another chat's model: not in this chat's list
  await store(page, tinyAltRecord(origin)); // one of this chat's own models
}

/** This chat: its own models are the alt model and `big`; loading `big` runs out of room. */
async function quotaExceeded(page: Page, big: ModelRecord): Promise<void> {
  const origin = new URL(page.url()).origin;
  await addChatFor(page, big);
  await page.evaluate((models) => (window.chat.models = models), [tinyAltRecord(origin), big]);
  const outcome = await page.evaluate(() => window.chat.load().then(() => 'loaded', (e: { code: string }) => e.code)); // prettier-ignore
  expect(outcome).toBe('quota-exceeded');
}

test("Free space lists what is stored, chooses only this chat's own models, and deletes only what the person confirms", async ({
  page,
}, testInfo) => {
  await openWithTwoChatsStored(page);
  await quotaExceeded(page, await modelShortBy(page, (altBytes) => altBytes / 2));
  const chat = page.locator('llama-chat');

  await chat.getByRole('button', { name: 'Free space…' }).click();
  const step = chat.getByRole('group', { name: 'Delete stored models to make room' });
  await expect(step).toBeVisible();
  const own = step.getByRole('checkbox', { name: /^Tiny test model/ });
  const other = step.getByRole('checkbox', { name: /^tiny-test-model .* — stored by another chat on this site$/ });
  await expect(own).toBeChecked();
  await expect(other).not.toBeChecked();
  await expect(own).toBeFocused(); // the keyboard lands in the step

  // Cancel deletes nothing.
  await step.getByRole('button', { name: 'Cancel' }).click();
  await expect(step).toBeHidden();
  expect(await readManifest(page, ALT_ID)).toBeDefined();
  expect(await readManifest(page, TINY_ID)).toBeDefined();

  // Confirmed: only the chosen model goes; the other chat's stays; the load is tried again.
  await chat.getByRole('button', { name: 'Free space…' }).click();
  await page.evaluate(() => (window.recorded = []));
  await step.getByRole('button', { name: 'Delete chosen and retry' }).click();
  await expect.poll(() => readManifest(page, ALT_ID)).toBeUndefined();
  expect(await readManifest(page, TINY_ID)).toBeDefined();
  await expect
    .poll(() => page.evaluate(() => window.recorded.some((e) => e.type === 'llama-chat-progress' || e.type === 'llama-chat-error')))
    .toBe(true);
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test('when deleting every stored model could not make room, the step says so and offers no deletion', async ({ page }) => {
  await openWithTwoChatsStored(page);
  // All but one byte of the quota: the models stored are less than everything the site uses.
  await quotaExceeded(page, await modelShortBy(page, (_, usage) => usage - 1));
  const chat = page.locator('llama-chat');
  await chat.getByRole('button', { name: 'Free space…' }).click();
  const step = chat.getByRole('group', { name: 'Free space' });
  await expect(step).toContainText('Deleting every other model stored here would free only');
  await expect(step.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await step.getByRole('button', { name: 'Close' }).click();
  expect(await readManifest(page, ALT_ID)).toBeDefined();
  expect(await readManifest(page, TINY_ID)).toBeDefined();
});
