// Figure 10, load settings: llama.cpp's batch sizes and flash attention, chosen by measurement
// (issue 31). wllama alone, one thread, at 4 of the 8B's layers (every matrix its real shape):
// each setting answers the same kind of question in turn, round after round, in one tab.
import type { BrowserContext } from 'playwright-core';
import { openBenchPage } from './bench-page.js';
import { roundInTurn } from './rotation.js';
import type { LoadSettings } from './page/direct-wllama.js';
import type { ModelRecord } from '../protocol/types.js';
import type { SettingsRun } from './page/protocol.js';

/** The library loads with wllama's defaults (llama.cpp's: n_batch 2048, n_ubatch 512, flash attention auto). */
export const LOAD_SETTINGS = {
  default: {},
  'no flash attention': { flash_attn: false },
  'n_ubatch 128': { n_batch: 128, n_ubatch: 128 },
} as const satisfies Record<string, LoadSettings>;

export type SettingsName = keyof typeof LOAD_SETTINGS;

export interface LoadSettingsRuns {
  rounds: Record<SettingsName, SettingsRun>[];
}

export async function measureLoadSettings(
  context: BrowserContext,
  record: ModelRecord,
  wasmUrl: string,
  { rounds, question }: { rounds: number; question: string },
): Promise<LoadSettingsRuns> {
  const page = await openBenchPage(context);
  const names = Object.keys(LOAD_SETTINGS) as SettingsName[];
  let asked = 0;
  try {
    const runs: LoadSettingsRuns['rounds'] = [];
    for (let i = 0; i < rounds; i++)
      runs.push(
        await roundInTurn(names, i, (name) =>
          page.evaluate(({ r, wasm, s, prompt }) => window.bench.wllamaWithSettings(r, wasm, s, prompt, 8), {
            r: record,
            wasm: wasmUrl,
            s: LOAD_SETTINGS[name],
            prompt: `${++asked}: ${question}`, // each its own: nothing of it is cached
          }),
        ),
      );
    return { rounds: runs };
  } finally {
    await page.close();
  }
}
