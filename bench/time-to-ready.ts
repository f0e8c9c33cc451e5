// Figure 2: each round opens a fresh tab for the element, one for the bare worker and one for
// wllama alone, so none inherits another's warm state within a page.
import type { BrowserContext } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { openBenchPage } from './bench-page.js';

export interface TimeToReadyRuns {
  readyMs: number[];
  /** Up to the moment the model store had handed the worker the file. */
  fileReadyMs: number[];
  workerStartupMs: number[];
  /** wllama alone on the page, same wasm and model. */
  directReadyMs: number[];
  gpuProbeMs: number[];
}

export async function measureTimeToReady(
  context: BrowserContext,
  record: ModelRecord,
  urls: { worker: string; wasm: string },
  rounds: number,
): Promise<TimeToReadyRuns> {
  const result: TimeToReadyRuns = { readyMs: [], fileReadyMs: [], workerStartupMs: [], directReadyMs: [], gpuProbeMs: [] };
  for (let i = 0; i < rounds; i++) {
    const elementPage = await openBenchPage(context);
    const ready = await elementPage.evaluate((r) => window.bench.elementTimeToReady(r), record);
    result.readyMs.push(ready.readyMs);
    result.fileReadyMs.push(ready.fileReadyMs);
    await elementPage.close();
    const workerPage = await openBenchPage(context);
    result.workerStartupMs.push(await workerPage.evaluate((url) => window.bench.workerStartup(url), urls.worker));
    await workerPage.close();
    const directPage = await openBenchPage(context);
    const direct = await directPage.evaluate(({ r, wasm }) => window.bench.directTimeToReady(r, wasm), { r: record, wasm: urls.wasm });
    result.directReadyMs.push(direct.readyMs);
    result.gpuProbeMs.push(direct.gpuProbeMs);
    await directPage.close();
  }
  return result;
}
