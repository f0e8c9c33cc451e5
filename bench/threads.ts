// Figure 3, threads: tokens/s of the large model with llama.cpp on one thread (a tab that is
// not cross-origin isolated) and on every core (a tab that is), in alternating rounds.
import type { BrowserContext } from 'playwright-core';
import { openBenchPage } from './bench-page.js';
import { roundInTurn } from './rotation.js';
import type { ModelRecord } from '../protocol/types.js';
import type { ThreadsRun } from './page/protocol.js';

export interface ThreadsRuns {
  cores: number;
  rounds: { single: ThreadsRun; multi: ThreadsRun }[];
}

export async function measureThreads(
  context: BrowserContext,
  record: ModelRecord,
  /** `prompt`: one for every run, or each run's own (a fresh prompt is read in full, not from llama.cpp's cache); `warmup`: one answer in each tab first (default true). */
  options: { rounds: number; prompt: string | ((run: number) => string); maxTokens: number; warmup?: boolean },
): Promise<ThreadsRuns> {
  const single = await openBenchPage(context);
  const multi = await openBenchPage(context, { isolated: true });
  try {
    const isolated = await Promise.all([single, multi].map((page) => page.evaluate((r) => window.bench.prepareThreads(r), record)));
    if (isolated[0] || !isolated[1]) throw new Error(`threads: expected one tab not isolated and one isolated, got ${isolated.join(', ')}`);
    const cores = await multi.evaluate(() => navigator.hardwareConcurrency);
    let runs = 0;
    const promptOf = typeof options.prompt === 'string' ? () => options.prompt as string : options.prompt;
    const run = (page: typeof single) =>
      page.evaluate(({ prompt, maxTokens }) => window.bench.runThreads(prompt, maxTokens), {
        prompt: promptOf(++runs),
        maxTokens: options.maxTokens,
      });
    if (options.warmup ?? true) {
      await run(single); // warm-up, each
      await run(multi);
    }
    const rounds: ThreadsRuns['rounds'] = [];
    const tabs = { single, multi };
    for (let i = 0; i < options.rounds; i++) rounds.push(await roundInTurn(['single', 'multi'] as const, i, (tab) => run(tabs[tab])));
    return { cores, rounds };
  } finally {
    await single.close();
    await multi.close();
  }
}
