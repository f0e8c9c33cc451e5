// Figures 6 and 7: the large model loaded cold (storage emptied: download and store, then
// load) and warm (from the store's OPFS file), alternating, each in a fresh tab, with memory
// sampled, and wllama alone loading the same stored file in a fresh tab of its own: the
// yardstick. The same warm load and yardstick again where OPFS is refused and the store keeps
// the model in IndexedDB. Each round then takes the warm load apart (warm-load-parts.ts).
import type { BrowserContext, Page } from 'playwright-core';
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
  /** wllama alone, on the page, loading the stored file (OPFS) in a fresh tab, kept loaded. */
  alone: MemoryPeaks[];
  /** Where OPFS is refused: the warm load from IndexedDB, and wllama alone fed the same stored Blob. */
  indexedDb: { warm: LoadMeasurement[]; alone: MemoryPeaks[] };
}

/** Said in the worker script before its own code: OPFS refused, as in Firefox's private windows. */
const NO_OPFS =
  "StorageManager.prototype.getDirectory = () => Promise.reject(new DOMException('The operation is insecure.', 'SecurityError'));\n";

async function refuseOpfs(page: Page): Promise<void> {
  await page.route('**/llama-chat-worker.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: NO_OPFS + (await response.text()) });
  });
}

export async function measureModelLoad(
  context: BrowserContext,
  userDataDir: string,
  origin: string,
  model: { record: ModelRecord; path: string; wasmUrl: string },
  tiny: ModelRecord,
  rounds: number,
): Promise<ModelLoadRuns> {
  const runs: ModelLoadRuns = { cold: [], warm: [], parts: [], fixed: [], alone: [], indexedDb: { warm: [], alone: [] } };
  const loadOnce = async (record = model.record, noOpfs = false): Promise<LoadMeasurement> => {
    const page = await openBenchPage(context, { beforeGoto: noOpfs ? refuseOpfs : undefined });
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
  const aloneOnce = async (record: ModelRecord): Promise<MemoryPeaks> => {
    const page = await openBenchPage(context);
    const session = await context.newCDPSession(page);
    try {
      const { peaks } = await sampleDuring(session, userDataDir, () =>
        page.evaluate(({ r, wasm }) => window.bench.loadAlone(r, wasm), { r: record, wasm: model.wasmUrl }),
      );
      await page.evaluate(() => window.bench.unloadAlone());
      return peaks;
    } finally {
      await session.detach();
      await page.close();
    }
  };
  // The same file under another id, kept where OPFS is refused: in IndexedDB.
  const inIndexedDb: ModelRecord = { ...model.record, id: `${model.record.id}-indexeddb` };
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
    runs.alone.push(await aloneOnce(model.record));
    await loadOnce(inIndexedDb, true); // stores it again (the round began by emptying storage), in IndexedDB
    const fromIndexedDb = await loadOnce(inIndexedDb, true);
    if (fromIndexedDb.downloaded) throw new Error('a warm load from IndexedDB downloaded again');
    runs.indexedDb.warm.push(fromIndexedDb);
    runs.indexedDb.alone.push(await aloneOnce(inIndexedDb));
    runs.fixed.push(await loadOnce(tiny));
    runs.parts.push(await measureWarmLoadParts(context, model, i));
  }
  return runs;
}
