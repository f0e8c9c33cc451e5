// Figures 6 and 7: the large model loaded cold (IndexedDB emptied: download and store, then
// load) and warm (from IndexedDB), alternating, each in a fresh tab, with memory sampled. Each
// round then takes the warm load apart (warm-load-parts.ts), side by side with it.
import type { BrowserContext } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { openBenchPage } from './bench-page.js';
import { sampleDuring, type MemoryPeaks } from './memory-sampler.js';
import type { LoadRun } from './page/protocol.js';
import { measureWarmLoadParts, type WarmLoadParts } from './warm-load-parts.js';

export interface LoadMeasurement extends LoadRun {
  memory: MemoryPeaks;
}

export interface ModelLoadRuns {
  cold: LoadMeasurement[];
  warm: LoadMeasurement[];
  parts: WarmLoadParts[];
  /** The tiny model loaded the same way: what any load costs in memory, whatever the model's size. */
  fixed: LoadMeasurement[];
}

export async function measureModelLoad(
  context: BrowserContext,
  userDataDir: string,
  origin: string,
  model: { record: ModelRecord; path: string; wasmUrl: string },
  tiny: ModelRecord,
  rounds: number,
): Promise<ModelLoadRuns> {
  const runs: ModelLoadRuns = { cold: [], warm: [], parts: [], fixed: [] };
  const loadOnce = async (record = model.record): Promise<LoadMeasurement> => {
    const page = await openBenchPage(context);
    const session = await context.newCDPSession(page);
    try {
      const { result, peaks } = await sampleDuring(session, userDataDir, () =>
        page.evaluate((r) => window.bench.loadWithEngine(r), record),
      );
      await page.evaluate(() => window.bench.unloadEngine());
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
    runs.fixed.push(await loadOnce(tiny));
    runs.parts.push(await measureWarmLoadParts(context, userDataDir, model, i));
  }
  return runs;
}
