// Runtime faults: a worker that dies mid-answer, one that gets stuck while it loads, and many
// rapid send/stop cycles.
import { expect, test } from '@playwright/test';
import { recordFigures } from './figures.js';
import { addChat, events, openPage, waitReady } from './helpers.js';
import { crashEngineWorker, engineWorkers, liveCounts, loseGpuDevice } from './runtime-helpers.js';

test('a worker that crashes mid-answer: worker-crashed, partial answer kept and marked, next send works', async ({ page }, testInfo) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '400' });
  await waitReady(page);
  expect(await engineWorkers(page)).toHaveLength(1);

  // Crash the worker once the answer is under way.
  await page.evaluate(() => {
    let tokens = 0;
    window.chat.addEventListener('llama-chat-token', () => {
      tokens += 1;
      if (tokens === 5) window.dispatchEvent(new Event('crash-now'));
    });
  });
  const crashNow = page.evaluate(
    () => new Promise<void>((resolve) => window.addEventListener('crash-now', () => resolve(), { once: true })),
  );
  const answer = page.evaluate(() =>
    window.chat.send('Tell me a long story').then(
      () => 'resolved',
      (e: { code?: string }) => e.code,
    ),
  );
  await crashNow;
  await crashEngineWorker(page);
  expect(await answer).toBe('worker-crashed');

  const errors = (await events(page, 'llama-chat-error')).map((e) => (e.detail as { code: string }).code);
  expect(errors).toEqual(['worker-crashed']);
  const messages = await page.evaluate(() => window.chat.messages);
  expect(messages).toHaveLength(2);
  expect(messages[1]!.content.length).toBeGreaterThan(0); // the partial answer is kept…
  const note = page.locator('llama-chat .message.assistant .note');
  await expect(note).toHaveText('Cut off by an error'); // …and marked
  await expect(note).toHaveAttribute('data-code', 'worker-crashed');
  await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'worker-crashed');
  expect(await engineWorkers(page)).toHaveLength(0); // the dead worker is gone

  const next = await page.evaluate(() => {
    window.chat.setAttribute('max-tokens', '8');
    return window.chat.send('Are you back?');
  });
  expect(next.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.chat.status)).toBe('ready');
  expect(await engineWorkers(page)).toHaveLength(1); // restarted, exactly once
  await expect(page.locator('llama-chat [part=error]')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test('a worker whose thread gets stuck while it loads is ended, and a fresh one loads the model with no error shown', async ({ page }) => {
  test.setTimeout(150_000); // the stuck worker is given 45 s (src/client/heartbeat.ts)
  let served = 0;
  await page.route('**/llama-chat-worker.js', async (route) => {
    served += 1;
    const response = await route.fetch();
    // The first worker's thread blocks for good where it starts a worker of its own, as
    // Firefox's engine worker did under load (starting llama.cpp's worker).
    const stuck = served === 1 ? 'self.Worker = class extends Worker { constructor() { for (;;); } };\n' : '';
    await route.fulfill({ response, body: stuck + (await response.text()) });
  });
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '8' });
  await waitReady(page);
  expect(served).toBe(2);
  expect(await events(page, 'llama-chat-error')).toEqual([]);
  expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
  expect(await engineWorkers(page)).toHaveLength(1); // the stuck one is gone
});

test('50 rapid send/stop cycles: no hang, no leaked workers, ports or listeners', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '32' });
  await waitReady(page);

  const cycles = (from: number, to: number) =>
    page.evaluate(
      async ({ from, to }) => {
        const statuses: string[] = [];
        for (let i = from; i < to; i++) {
          if (i % 4 === 0) window.chat.clear(); // keep the conversation inside the 512-token window
          const reply = window.chat.send(`cycle ${i}`);
          // Stop at once, after a few milliseconds, or mid-stream: every moment of an answer.
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 23));
          await window.chat.stop();
          const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`cycle ${i} hung`)), 15_000));
          await Promise.race([reply, hung]);
          await window.chat.updateComplete;
          const notes = window.chat.shadowRoot!.querySelectorAll('.message.assistant:last-child .note');
          statuses.push(`${window.chat.status}${notes.length ? ' stopped' : ''}`);
        }
        return statuses;
      },
      { from, to },
    );

  const first = await cycles(0, 1);
  const before = await liveCounts(page);
  const workersBefore = page.workers().length;
  const statuses = [...first, ...(await cycles(1, 50))];
  expect(statuses.every((s) => s.startsWith('ready'))).toBe(true);
  // Most answers really were cut short (the rest had finished their 32 tokens already).
  expect(statuses.filter((s) => s.endsWith('stopped')).length).toBeGreaterThanOrEqual(40);
  const after = await liveCounts(page);

  expect(after.workers).toBe(1);
  expect(after).toEqual(before);
  expect(page.workers()).toHaveLength(workersBefore);
  expect(await events(page, 'llama-chat-error')).toEqual([]);
  const last = await page.evaluate(() => window.chat.send('Still answering?'));
  expect(last.length).toBeGreaterThan(0);
  recordFigures(testInfo, { sendStopCycles: 50 });
});

test('a GPU device lost mid-answer: device-lost, a reload action, and the engine comes back', async ({ page }, testInfo) => {
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '400' });
  await waitReady(page);
  const crashNow = page.evaluate(
    () => new Promise<void>((resolve) => window.chat.addEventListener('llama-chat-token', () => resolve(), { once: true })),
  );
  const answer = page.evaluate(() =>
    window.chat.send('Tell me a long story').then(
      () => 'answered',
      (e: { code?: string }) => e.code,
    ),
  );
  await crashNow;
  await loseGpuDevice(page);
  expect(await answer).toBe('device-lost');

  const panel = page.locator('llama-chat [part=error]');
  await expect(panel).toHaveAttribute('data-code', 'device-lost');
  await expect(panel).toContainText('Reload the model to continue');
  await expect(page.locator('llama-chat .message.assistant .note')).toHaveAttribute('data-code', 'device-lost');
  expect(await engineWorkers(page)).toHaveLength(0); // its device is gone for good: so is the worker

  await panel.getByRole('button', { name: 'Reload the model' }).click();
  await page.waitForFunction(() => window.chat.status === 'ready');
  expect(await engineWorkers(page)).toHaveLength(1);
  await page.evaluate(() => window.chat.setAttribute('max-tokens', '8'));
  expect((await page.evaluate(() => window.chat.send('Back again?'))).length).toBeGreaterThan(0);
  recordFigures(testInfo, { faultsSurvived: 1 });
});
