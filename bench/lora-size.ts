// Figure 10, a LoRA adapter at the real size (issue 33): a stored GGUF of the 8B's shapes loaded through
// createEngine() with a rank-16 adapter of its shapes and without, in turn, round after round,
// each in a fresh tab, and one answer's prefill and decode with the adapter, again, and after a
// switch to the model alone.
import type { BrowserContext } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { ensureRealSizeLora } from '../test/fixtures/real-size.js';
import { openBenchPage } from './bench-page.js';
import type { LoraRun } from './page/protocol.js';
import { roundInTurn } from './rotation.js';

export interface LoraSizeRuns {
  adapterBytes: number;
  rounds: { plain: LoraRun; adapted: LoraRun }[];
}

export async function measureLoraAtRealSize(
  context: BrowserContext,
  record: ModelRecord,
  layers: number,
  { rounds, question }: { rounds: number; question: string },
): Promise<LoraSizeRuns> {
  await ensureRealSizeLora(layers);
  const url = new URL(`/models/real-size/llama3-8b-${layers}l-lora-r16.gguf`, record.url).href;
  const adapterBytes = Number((await fetch(url, { method: 'HEAD' })).headers.get('content-length'));
  const records = { plain: record, adapted: { ...record, adapters: [{ id: 'bench', url, sizeBytes: adapterBytes }] } };
  const run = async (name: keyof typeof records): Promise<LoraRun> => {
    const page = await openBenchPage(context);
    try {
      return await page.evaluate(({ r, q }) => window.bench.loraRun(r, q, 8), { r: records[name], q: question });
    } finally {
      await page.close();
    }
  };
  await run('adapted'); // both files stored first: every measured load is warm
  const measured: LoraSizeRuns['rounds'] = [];
  for (let i = 0; i < rounds; i++) measured.push(await roundInTurn(['plain', 'adapted'] as const, i, run));
  return { adapterBytes, rounds: measured };
}
