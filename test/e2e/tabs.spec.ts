// One engine for every tab and element of a site: tabs are pages of one browser context (one
// origin, one storage), each with its own <llama-chat>. What is loaded is seen from outside the
// pages: llama.cpp's workers (one per loaded engine) and the model requests the server counts.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { ModelRecord } from '../../protocol/types.js';
import { addChat, addChatFor, events, openPage, tinyRecord, waitReady } from './helpers.js';
import { loseGpuDevice } from './runtime-helpers.js';

/** The medium generated model: slow enough per token that an answer is still under way when a test acts. */
function mediumRecord(page: Page): ModelRecord {
  return {
    ...tinyRecord(new URL(page.url()).origin),
    id: 'medium',
    label: 'Medium test model',
    url: `${new URL(page.url()).origin}/models/medium.gguf`,
  };
}

/** llama.cpp workers across every tab of the context: one per engine holding a model. */
async function loadedEngines(context: BrowserContext): Promise<number> {
  let count = 0;
  for (const page of context.pages()) {
    const names = await Promise.all(page.workers().map((w) => w.evaluate(() => self.name).catch(() => undefined)));
    count += names.filter((name) => name === '').length;
  }
  return count;
}

async function openTab(context: BrowserContext, record?: ModelRecord, attributes: Record<string, string> = {}): Promise<Page> {
  const page = await context.newPage();
  await openPage(page);
  if (record) await addChatFor(page, record, { autoload: '', ...attributes });
  else await addChat(page, { autoload: '', ...attributes });
  await waitReady(page);
  return page;
}

/** Sends `text`; resolves with the answer's text, or the error's code. */
function send(page: Page, text: string): Promise<string> {
  return page.evaluate(
    (text) =>
      window.chat.send(text).then(
        () => `answer:${window.chat.messages.at(-1)?.content ?? ''}`,
        (e: { code?: string }) => `error:${e.code}`,
      ),
    text,
  );
}

/** Resolves once the tab's chat has streamed `n` tokens of the answer under way. */
async function tokensArrive(page: Page, n: number): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let tokens = 0;
        window.chat.addEventListener('llama-chat-token', () => ++tokens === n && resolve());
      }),
    n,
  );
}

test('two and three tabs share one engine: one load, every tab answers, tokens stay in their tab', async ({ page, context }) => {
  await openPage(page);
  await addChat(page, { autoload: '' });
  await waitReady(page);
  expect(await loadedEngines(context)).toBe(1);

  const second = await openTab(context);
  const third = await openTab(context); // a late tab: ready without a load of its own
  expect(await loadedEngines(context)).toBe(1);
  expect((await events(third, 'llama-chat-progress')).filter((e) => (e.detail as { phase: string }).phase === 'download')).toEqual([]);

  for (const tab of [second, page, third]) expect(await send(tab, 'Hello')).toMatch(/^answer:./s);
  const tokensSeen = await Promise.all([page, second, third].map(async (tab) => (await events(tab, 'llama-chat-token')).length));
  expect(await send(second, 'Once more')).toMatch(/^answer:./s);
  // The second tab's answer streamed only there: the other tabs saw no token, message or new history.
  expect((await events(page, 'llama-chat-token')).length).toBe(tokensSeen[0]);
  expect((await events(third, 'llama-chat-token')).length).toBe(tokensSeen[2]);
  expect((await events(second, 'llama-chat-token')).length).toBeGreaterThan(tokensSeen[1]!);
  for (const tab of [page, third]) expect(await tab.evaluate(() => window.chat.messages.length)).toBe(2);
  expect(await second.evaluate(() => window.chat.messages.length)).toBe(4);
});

test('a tab that opens while another downloads the model waits for that download, with progress', async ({ page, context }) => {
  await openPage(page);
  const slow = tinyRecord(new URL(page.url()).origin, '?stall=2500');
  await addChatFor(page, slow, { autoload: '' });
  await page.waitForFunction(() => window.recorded.some((e) => e.type === 'llama-chat-progress'));
  const second = await context.newPage();
  await openPage(second);
  await addChatFor(second, slow, { autoload: '' });
  await Promise.all([waitReady(page), waitReady(second)]);
  expect(await loadedEngines(context)).toBe(1);
  const requests = Number(
    await (await page.request.get(`/control/requests?url=${encodeURIComponent('/models/tiny.gguf?stall=2500')}`)).text(),
  );
  expect(requests).toBe(1);
  expect((await events(second, 'llama-chat-progress')).length).toBeGreaterThan(0);
  expect(await send(second, 'Hello')).toMatch(/^answer:./s);
});

test('stop in one tab leaves the other tab answering', async ({ page, context }) => {
  await openPage(page);
  const medium = mediumRecord(page);
  await addChatFor(page, medium, { autoload: '', 'max-tokens': '120' });
  await waitReady(page);
  const second = await openTab(context, medium, { autoload: '', 'max-tokens': '120' });

  const first = send(page, 'Tell me a long story');
  await tokensArrive(page, 3);
  const waiting = send(second, 'And another one'); // queued behind the first tab's answer
  await second.evaluate(() => window.chat.stop());
  expect(await waiting).toMatch(/^(answer|error:aborted)/);
  const before = (await events(page, 'llama-chat-token')).length;
  expect(await first).toMatch(/^answer:./s);
  expect((await events(page, 'llama-chat-token')).length).toBeGreaterThan(before); // it went on after the other tab's stop
  expect((await events(page, 'llama-chat-message')).length).toBe(1);
});

test('the tab holding the engine closes mid-answer: the other tab is cut off recoverably, then answers', async ({ page, context }) => {
  await openPage(page);
  const medium = mediumRecord(page);
  await addChatFor(page, medium, { autoload: '', 'max-tokens': '200' });
  await waitReady(page);
  const guest = await openTab(context, medium, { autoload: '', 'max-tokens': '200' });

  const cut = send(guest, 'Tell me a long story');
  await tokensArrive(guest, 3);
  await page.close(); // the holder goes
  expect(await cut).toBe('error:worker-crashed');
  expect(await send(guest, 'Try again')).toMatch(/^answer:./s); // served by a new holder, loaded from storage
  expect(await loadedEngines(context)).toBe(1);
});

test('the tab holding the engine closes before any of the other tab’s answer arrived: it answers as if nothing happened', async ({
  page,
  context,
}) => {
  await openPage(page);
  const medium = mediumRecord(page);
  await addChatFor(page, medium, { autoload: '', 'max-tokens': '200' });
  await waitReady(page);
  const guest = await openTab(context, medium, { autoload: '', 'max-tokens': '40' });

  void send(page, 'Tell me a long story').catch(() => {}); // the holder's own answer, which the guest's waits behind
  await tokensArrive(page, 3);
  const waiting = send(guest, 'And a short one');
  await expect.poll(() => guest.evaluate(() => window.chat.status)).toBe('generating');
  expect(await events(guest, 'llama-chat-token')).toHaveLength(0); // nothing of its answer yet
  await page.close(); // the holder goes
  expect(await waiting).toMatch(/^answer:./s); // carried to the engine that took over, after its load
  expect(await events(guest, 'llama-chat-error')).toEqual([]);
  expect(await loadedEngines(context)).toBe(1);
});

test('a guest tab closed mid-answer frees the engine for the others', async ({ page, context }) => {
  await openPage(page);
  const medium = mediumRecord(page);
  await addChatFor(page, medium, { autoload: '', 'max-tokens': '200' });
  await waitReady(page);
  const guest = await openTab(context, medium, { autoload: '', 'max-tokens': '200' });
  void send(guest, 'Tell me a long story').catch(() => {}); // its page goes away mid-answer
  await tokensArrive(guest, 3);
  await guest.close();
  expect(await send(page, 'Hello')).toMatch(/^answer:./s);
});

test('two elements on one page share one engine; own-engine opts out', async ({ page, context }) => {
  await openPage(page);
  await addChat(page, { autoload: '' });
  await waitReady(page);
  const first = await page.evaluateHandle(() => window.chat);
  await addChat(page, { autoload: '' });
  await waitReady(page);
  expect(await loadedEngines(context)).toBe(1);
  expect(await send(page, 'Hello')).toMatch(/^answer:./s);
  expect(await first.evaluate((chat) => chat.send('Hi').then(() => chat.messages.length))).toBe(2);

  await addChat(page, { autoload: '', 'own-engine': '' });
  await waitReady(page);
  expect(await loadedEngines(context)).toBe(2);
  expect(await send(page, 'Hello')).toMatch(/^answer:./s);
});

test("the holder's engine loses its device mid-answer: the guest is told, reloads, and both tabs answer again", async ({
  page,
  context,
}) => {
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '400' });
  await waitReady(page);
  const guest = await openTab(context, undefined, { 'max-tokens': '400' });
  const cut = send(guest, 'Tell me a long story');
  await tokensArrive(guest, 3);
  await loseGpuDevice(page); // inside the holder's llama.cpp worker
  expect(await cut).toBe('error:device-lost');

  await guest.locator('llama-chat [part=error]').getByRole('button', { name: 'Reload the model' }).click();
  await guest.waitForFunction(() => window.chat.status === 'ready');
  for (const tab of [guest, page]) await tab.evaluate(() => window.chat.setAttribute('max-tokens', '8'));
  expect(await send(guest, 'Back again?')).toMatch(/^answer:./s);
  expect(await send(page, 'And here?')).toMatch(/^answer:./s); // its engine went for good: it joins (or hosts) the new one
  expect(await loadedEngines(context)).toBe(1);
});

test("two tabs under the README's strict policy with Trusted Types share one engine, with no refusal", async ({ page, context }) => {
  const refusals: string[] = [];
  const strictTab = async (tab: Page) => {
    tab.on('console', (message) => {
      if (/Content Security Policy|Refused to|Trusted ?Type/i.test(message.text())) refusals.push(message.text());
    });
    tab.on('pageerror', (error) => refusals.push(error.message));
    await openPage(tab, '/pages/csp.html?csp=same-origin');
    await addChat(tab, { autoload: '', 'max-tokens': '12' });
    await waitReady(tab);
  };
  await strictTab(page);
  const second = await context.newPage();
  await strictTab(second);
  expect(await loadedEngines(context)).toBe(1);
  for (const tab of [second, page]) expect(await send(tab, 'Hello under a strict policy')).toMatch(/^answer:./s);
  expect(refusals).toEqual([]);
});
