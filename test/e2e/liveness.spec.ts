// Workers that end without a word (no `error` event): ours and llama.cpp's, mid-answer and
// mid-load; and an engine that never acknowledges a stop. No state needs a page reload.
import { expect, test, type Page, type Worker } from '@playwright/test';
import { recordFigures } from './figures.js';
import { addChat, addChatFor, events, openPage, tinyRecord, waitReady } from './helpers.js';
import { engineWorkers, llamaCppWorker } from './runtime-helpers.js';

/** The medium generated model: slower per token than the tiny one, so an answer is still under way when a test acts. */
function mediumRecord(page: Page) {
  const origin = new URL(page.url()).origin;
  return { ...tinyRecord(origin), id: 'medium', label: 'Medium test model', url: `${origin}/models/medium.gguf` };
}

/** A worker ends itself, as a runtime does when it gives up: close(), no error event. */
async function closeSilently(worker: Worker): Promise<void> {
  await worker.evaluate(() => self.close()).catch(() => {}); // the evaluation itself may not return
}

/** Starts a long answer and waits for its fifth token; resolves the answer's outcome later. */
async function answerUnderWay(page: Page): Promise<{ outcome: Promise<string | undefined> }> {
  const fifthToken = page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        let tokens = 0;
        window.chat.addEventListener('llama-chat-token', () => {
          if (++tokens === 5) resolve();
        });
      }),
  );
  const outcome = page.evaluate(() =>
    window.chat.send('Tell me a long story').then(
      () => 'resolved',
      (e: { code?: string }) => e.code,
    ),
  );
  await fifthToken;
  return { outcome }; // wrapped: an async function returning the bare promise would wait for it
}

async function expectRecovers(page: Page): Promise<void> {
  const next = await page.evaluate(() => {
    window.chat.setAttribute('max-tokens', '8');
    return window.chat.send('Are you back?');
  });
  expect(next.length).toBeGreaterThan(0);
  // The ended worker is gone (a thread stuck in a loop is reported gone once it is stopped).
  await expect.poll(async () => (await engineWorkers(page)).length, { timeout: 30_000 }).toBe(1);
}

for (const which of ['engine', 'llama.cpp'] as const) {
  test(`the ${which} worker ends silently mid-answer: worker-crashed, the answer kept and marked, the next send works`, async ({
    page,
  }, testInfo) => {
    await openPage(page);
    await addChatFor(page, mediumRecord(page), { autoload: '', 'max-tokens': '400' });
    await waitReady(page);
    const { outcome } = await answerUnderWay(page);
    await closeSilently(which === 'engine' ? (await engineWorkers(page))[0]! : await llamaCppWorker(page));
    expect(await outcome).toBe('worker-crashed');
    const last = (await page.evaluate(() => window.chat.messages)).at(-1)!;
    expect(last.content.length).toBeGreaterThan(0);
    await expect(page.locator('llama-chat .message.assistant .note')).toHaveAttribute('data-code', 'worker-crashed');
    await expect(page.locator('llama-chat [part=error]')).toContainText('stopped without a word');
    await expectRecovers(page);
    recordFigures(testInfo, { faultsSurvived: 1 });
  });
}

test('the engine worker ends silently mid-load (a stalled download): worker-crashed, and Try again loads', async ({ page }, testInfo) => {
  await openPage(page);
  await addChat(page, { autoload: '' }, '?stall=4000');
  await expect.poll(async () => (await engineWorkers(page)).length).toBe(1);
  // The download has begun inside the worker (its first progress report), and stalls there.
  await page.waitForFunction(() => window.recorded.some((e) => e.type === 'llama-chat-progress'));
  await closeSilently((await engineWorkers(page))[0]!);
  await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'worker-crashed');
  expect((await events(page, 'llama-chat-error')).map((e) => (e.detail as { code: string }).code)).toEqual(['worker-crashed']);
  await page.evaluate(() => (window.recorded = []));
  await page.getByRole('button', { name: 'Try again' }).click();
  await waitReady(page);
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test("llama.cpp's worker ends silently mid-load: worker-crashed, and Try again loads", async ({ page }, testInfo) => {
  await openPage(page);
  const record = mediumRecord(page);
  // Every worker starts from a blob: URL: first ours, then the engine's CSP check (started and
  // ended at once), then llama.cpp's; the store's writers (named) come and go during the download.
  let blobWorkers = 0;
  const started = new Promise<Worker>((resolve) => {
    page.on('worker', async (w) => {
      if (!w.url().startsWith('blob:')) return;
      if ((await w.evaluate(() => self.name).catch(() => undefined)) === 'llama-chat-writer') return;
      if (++blobWorkers === 3) resolve(w);
    });
  });
  await addChatFor(page, record, { autoload: '' });
  await closeSilently(await started); // as soon as wllama starts it, before the model is in
  // Closed before it took its life lock, it is known gone after 10 s (llama-cpp-liveness.ts).
  await expect(page.locator('llama-chat [part=error]')).toHaveAttribute('data-code', 'worker-crashed', { timeout: 15_000 });
  await page.evaluate(() => (window.recorded = []));
  await page.getByRole('button', { name: 'Try again' }).click();
  await waitReady(page);
  recordFigures(testInfo, { faultsSurvived: 1 });
});

test('stop() on an engine that never acknowledges: the answer is kept as stopped and the chat works again', async ({ page }) => {
  test.setTimeout(120_000);
  await openPage(page);
  await addChatFor(page, mediumRecord(page), { autoload: '', 'max-tokens': '400' });
  await waitReady(page);
  const { outcome } = await answerUnderWay(page);
  // llama.cpp's thread stops listening (busy for 20 s): the interrupt cannot arrive in time.
  const llamaCpp = await llamaCppWorker(page);
  void llamaCpp
    .evaluate(() => {
      const until = Date.now() + 20_000;
      while (Date.now() < until);
    })
    .catch(() => {}); // never returns: the worker is ended
  await page.evaluate(() => window.chat.stop());
  expect(await outcome).toBe('resolved');
  expect(await page.evaluate(() => window.chat.status)).not.toBe('generating');
  await expect(page.locator('llama-chat .message.assistant .note').last()).toHaveText('Stopped');
  expect(await events(page, 'llama-chat-error')).toEqual([]);
  await page.waitForFunction(() => window.chat.status === 'ready'); // a fresh worker loaded the model again
  await expectRecovers(page);
});
