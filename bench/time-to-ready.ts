// Figure 2: each round opens a fresh tab for the element and another for the bare worker, so
// neither inherits the other's warm state within a page.
import type { BrowserContext } from 'playwright-core';
import type { ModelRecord } from '../src/types.js';
import { openBenchPage } from './bench-page.js';

export interface TimeToReadyRuns {
  readyMs: number[];
  /** Up to the moment the model store had handed the worker the file. */
  fileReadyMs: number[];
  workerStartupMs: number[];
}

export async function measureTimeToReady(context: BrowserContext, record: ModelRecord, workerUrl: string, rounds: number): Promise<TimeToReadyRuns> {
  const result: TimeToReadyRuns = { readyMs: [], fileReadyMs: [], workerStartupMs: [] };
  for (let i = 0; i < rounds; i++) {
    const elementPage = await openBenchPage(context);
    const ready = await elementPage.evaluate((r) => window.bench.elementTimeToReady(r), record);
    result.readyMs.push(ready.readyMs);
    result.fileReadyMs.push(ready.fileReadyMs);
    await elementPage.close();
    const workerPage = await openBenchPage(context);
    result.workerStartupMs.push(await workerPage.evaluate((url) => window.bench.workerStartup(url), workerUrl));
    await workerPage.close();
  }
  return result;
}
