// Figures 6 and 7: the large model loaded cold (IndexedDB emptied: download and store, then
// load) and warm (from IndexedDB), alternating, each in a fresh tab, with memory sampled.
import type { BrowserContext } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { openBenchPage } from './bench-page.js';
import { sampleDuring, type MemoryPeaks } from './memory-sampler.js';
import type { LoadRun } from './page/protocol.js';

export interface LoadMeasurement extends LoadRun {
  memory: MemoryPeaks;
}

export interface ModelLoadRuns {
  cold: LoadMeasurement[];
  warm: LoadMeasurement[];
}

export async function measureModelLoad(
  context: BrowserContext,
  userDataDir: string,
  origin: string,
  record: ModelRecord,
  rounds: number,
): Promise<ModelLoadRuns> {
  const runs: ModelLoadRuns = { cold: [], warm: [] };
  const loadOnce = async (): Promise<LoadMeasurement> => {
    const page = await openBenchPage(context);
    const session = await context.newCDPSession(page);
    try {
      const { result, peaks } = await sampleDuring(session, userDataDir, () =>
        page.evaluate((r) => window.bench.loadWithEngine(r), record),
      );
      return { ...result, memory: peaks };
    } finally {
      await session.detach();
      await page.close();
    }
  };
  const clearStorage = async (): Promise<void> => {
    const page = await context.newPage();
    const session = await context.newCDPSession(page);
    await session.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb' });
    await session.detach();
    await page.close();
  };

  for (let i = 0; i < rounds; i++) {
    await clearStorage();
    const cold = await loadOnce();
    if (!cold.downloaded) throw new Error('a cold load did not download: IndexedDB was not emptied');
    runs.cold.push(cold);
    const warm = await loadOnce();
    if (warm.downloaded) throw new Error('a warm load downloaded again: the model was not kept');
    runs.warm.push(warm);
  }
  return runs;
}
