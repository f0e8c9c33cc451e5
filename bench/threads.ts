// Figure 3, threads: tokens/s of the large model with llama.cpp on one thread (a tab that is
// not cross-origin isolated) and on every core (a tab that is), in alternating rounds.
import type { BrowserContext } from 'playwright-core';
import { openBenchPage } from './bench-page.js';
import type { ModelRecord } from '../protocol/types.js';
import type { ThreadsRun } from './page/protocol.js';

export interface ThreadsRuns {
  cores: number;
  rounds: { single: ThreadsRun; multi: ThreadsRun }[];
}

export async function measureThreads(
  context: BrowserContext,
  record: ModelRecord,
  options: { rounds: number; prompt: string; maxTokens: number },
): Promise<ThreadsRuns> {
  const single = await openBenchPage(context);
  const multi = await openBenchPage(context, { isolated: true });
  try {
    const isolated = await Promise.all([single, multi].map((page) => page.evaluate((r) => window.bench.prepareThreads(r), record)));
    if (isolated[0] || !isolated[1]) throw new Error(`threads: expected one tab not isolated and one isolated, got ${isolated.join(', ')}`);
    const cores = await multi.evaluate(() => navigator.hardwareConcurrency);
    const run = (page: typeof single) => page.evaluate(({ prompt, maxTokens }) => window.bench.runThreads(prompt, maxTokens), options);
    await run(single); // warm-up, each
    await run(multi);
    const rounds: ThreadsRuns['rounds'] = [];
    for (let i = 0; i < options.rounds; i++) {
      const first = i % 2 ? multi : single;
      const a = await run(first);
      const b = await run(first === single ? multi : single);
      rounds.push(first === single ? { single: a, multi: b } : { single: b, multi: a });
    }
    return { cores, rounds };
  } finally {
    await single.close();
    await multi.close();
  }
}
