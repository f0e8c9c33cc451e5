// Figure 6, the warm load taken apart in one fresh tab: IndexedDB → Blob → bytes (the store's
// part), the same bytes from a Blob in memory (the platform's Blob read), wllama alone fed a
// Blob in memory, bytes in memory and the stored Blob (the engine's part), and, as the
// yardstick, Node reading the same file from this machine's disk (page cache).
import { closeSync, openSync, readSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { openBenchPage } from './bench-page.js';
import { roundInTurn } from './rotation.js';
import type { IngestSource, StoreReadRun } from './page/protocol.js';

export interface WarmLoadParts {
  store: StoreReadRun;
  /** wllama alone, new Wllama() → loadModel() resolved. */
  ingestMs: Record<IngestSource, number>;
  rawReadMs: number;
}

const READ_BYTES = 16 * 1024 * 1024;

/** Milliseconds for Node to read the whole file, 16 MB at a time, as a plain read() loop does. */
function timeRawRead(path: string): number {
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  const fd = openSync(path, 'r');
  try {
    const startedAt = performance.now();
    for (let position = 0, read = 1; read > 0; position += read) read = readSync(fd, buffer, 0, READ_BYTES, position);
    return performance.now() - startedAt;
  } finally {
    closeSync(fd);
  }
}

const SOURCES: readonly IngestSource[] = ['memory', 'bytes', 'stored'];

export async function measureWarmLoadParts(
  context: BrowserContext,
  model: { record: ModelRecord; path: string; wasmUrl: string },
  round: number,
): Promise<WarmLoadParts> {
  timeRawRead(model.path); // into the page cache, as the browser's own files are after a first load
  const rawReadMs = timeRawRead(model.path);
  const page = await openBenchPage(context);
  try {
    const store = await page.evaluate((id) => window.bench.readStore(id), model.record.id);
    const ingestMs = await roundInTurn(SOURCES, round, (source) =>
      page.evaluate(({ r, wasm, source }) => window.bench.wllamaIngest(r, wasm, source), { r: model.record, wasm: model.wasmUrl, source }),
    );
    return { store, ingestMs, rawReadMs };
  } finally {
    await page.close();
  }
}
