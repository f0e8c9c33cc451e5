// Figure 8: one engine for the site's tabs and elements, beside an engine per tab (the
// `own-engine` attribute), in the same run: resident memory of every browser process and time
// to ready for 1, 2 and 3 tabs and for two elements on one page; then two tabs taking turns in
// long conversations, the time to first token of each one's 10th turn beside one tab alone.
import type { BrowserContext, Page } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { browserRss } from './memory-sampler.js';

export type Sharing = 'shared' | 'own';

export interface TabsRun {
  sharing: Sharing;
  /** How many tabs (or, for `elements`, elements on one page). */
  count: number;
  layout: 'tabs' | 'elements';
  /** Every browser process's resident memory once all are ready and have answered, over the baseline. */
  rssGrowthBytes: number;
  /** connectedCallback → llama-chat-ready of the last tab (or element), ms. */
  lastReadyMs: number;
}

export interface TurnsRun {
  /** Time to first token of the 10th turn: one tab alone, and each of two tabs taking turns. */
  aloneMs: number;
  takingTurnsMs: [number, number];
  sharing: Sharing;
}

export interface SharedEngineRuns {
  modelBytes: number;
  tabs: TabsRun[];
  turns: TurnsRun[];
}

const SETTLE_MS = 1500;
const TURNS = 10;

interface Options {
  userDataDir: string;
  record: ModelRecord;
  rounds: number;
  prompt: string;
}

export async function measureSharedEngine(context: BrowserContext, options: Options): Promise<SharedEngineRuns> {
  const tabs: TabsRun[] = [];
  const turns: TurnsRun[] = [];
  await openTabs(context, options, 'own', 1, 'tabs'); // stores the model: every load measured is from storage
  for (let round = 0; round < options.rounds; round++) {
    for (const count of [1, 2, 3]) {
      for (const sharing of order(round)) tabs.push(await openTabs(context, options, sharing, count, 'tabs'));
    }
    for (const sharing of order(round)) tabs.push(await openTabs(context, options, sharing, 2, 'elements'));
    for (const sharing of order(round)) turns.push(await takeTurns(context, options, sharing));
  }
  return { modelBytes: options.record.sizeBytes ?? 0, tabs, turns };
}

/** Alternates which goes first, round by round. */
function order(round: number): Sharing[] {
  return round % 2 === 0 ? ['shared', 'own'] : ['own', 'shared'];
}

async function openTabs(
  context: BrowserContext,
  options: Options,
  sharing: Sharing,
  count: number,
  layout: TabsRun['layout'],
): Promise<TabsRun> {
  const baseline = await settledRss(options.userDataDir);
  const pages: Page[] = [];
  let lastReadyMs = 0;
  try {
    for (let i = 0; i < count; i++) {
      const page = layout === 'elements' && pages[0] ? pages[0] : await newTab(context, pages);
      lastReadyMs = await addChat(page, options.record, sharing);
    }
    for (const page of pages) {
      await page.evaluate((prompt) => Promise.all([...document.querySelectorAll('llama-chat')].map((c) => c.send(prompt))), options.prompt);
    }
    const rss = await settledRss(options.userDataDir);
    return { sharing, count, layout, rssGrowthBytes: rss - baseline, lastReadyMs };
  } finally {
    for (const page of pages) await page.close();
  }
}

async function takeTurns(context: BrowserContext, options: Options, sharing: Sharing): Promise<TurnsRun> {
  const pages: Page[] = [];
  try {
    const alone = await newTab(context, pages);
    await addChat(alone, options.record, sharing);
    let aloneMs = 0;
    for (let turn = 1; turn <= TURNS; turn++) aloneMs = await timeToFirstToken(alone, options.prompt);
    await alone.close();
    pages.length = 0;

    const [a, b] = [await newTab(context, pages), await newTab(context, pages)];
    await addChat(a, options.record, sharing);
    await addChat(b, options.record, sharing);
    const last: [number, number] = [0, 0];
    for (let turn = 1; turn <= TURNS; turn++) {
      last[0] = await timeToFirstToken(a, options.prompt);
      last[1] = await timeToFirstToken(b, options.prompt);
    }
    return { sharing, aloneMs, takingTurnsMs: last };
  } finally {
    for (const page of pages) if (!page.isClosed()) await page.close();
  }
}

async function newTab(context: BrowserContext, pages: Page[]): Promise<Page> {
  const page = await context.newPage();
  pages.push(page);
  await page.goto('/pages/element.html');
  await page.waitForFunction(() => customElements.get('llama-chat') !== undefined);
  return page;
}

/** Adds a chat for `record` and resolves with its time to ready, ms. */
function addChat(page: Page, record: ModelRecord, sharing: Sharing): Promise<number> {
  return page.evaluate(
    ({ record, own }) =>
      new Promise<number>((resolve, reject) => {
        const chat = document.createElement('llama-chat');
        chat.models = [record];
        chat.setAttribute('model', record.id);
        chat.setAttribute('max-tokens', '16');
        chat.setAttribute('autoload', '');
        if (own) chat.setAttribute('own-engine', '');
        const start = performance.now();
        chat.addEventListener('llama-chat-ready', () => resolve(performance.now() - start), { once: true });
        chat.addEventListener('llama-chat-error', (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), { once: true });
        document.body.append(chat);
      }),
    { record, own: sharing === 'own' },
  );
}

/** Sends `prompt` to the page's (last) chat; resolves with the time to its first token, ms. */
function timeToFirstToken(page: Page, prompt: string): Promise<number> {
  return page.evaluate(async (prompt) => {
    const chat = [...document.querySelectorAll('llama-chat')].at(-1)!;
    const start = performance.now();
    let first = 0;
    const listening = new AbortController(); // an anonymous listener: tsx names named functions with a helper the page lacks
    chat.addEventListener('llama-chat-token', () => (first ||= performance.now()), { signal: listening.signal });
    await chat.send(prompt);
    listening.abort();
    return first - start;
  }, prompt);
}

async function settledRss(userDataDir: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return browserRss(userDataDir) ?? 0;
}
