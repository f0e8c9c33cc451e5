// Safari's llama.cpp: wllama's compat build (Asyncify, wasm32), which the library ships for
// browsers without JSPI or Memory64, beside the default build it runs everywhere else. The same
// model through createEngine() in two kinds of tab, in alternating rounds: one as this Chromium
// is, one whose worker is told there is no JSPI (so wllama picks the compat build, as in Safari).
// Each round is a fresh tab with the model stored: time to ready, then decode tokens/s.
import type { BrowserContext, Page } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { openBenchPage } from './bench-page.js';
import { roundInTurn } from './rotation.js';
import type { ThreadsRun } from './page/protocol.js';

export type Build = 'default' | 'compat';

export interface CompatBuildRuns {
  rounds: Record<Build, { readyMs: number; run: ThreadsRun; wasm: string }>[];
}

/** Safari's wasm, as far as wllama can tell: no JSPI (its compat build needs neither JSPI nor Memory64). */
const AS_SAFARI = 'delete WebAssembly.Suspending; delete WebAssembly.promising;\n';

/** Serves this tab's worker script with Safari's wasm features (none of JSPI) said first. */
async function asSafari(page: Page): Promise<void> {
  await page.route('**/llama-chat-worker.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: AS_SAFARI + (await response.text()) });
  });
}

export async function measureCompatBuild(
  context: BrowserContext,
  record: ModelRecord,
  options: { rounds: number; prompt: string; maxTokens: number },
): Promise<CompatBuildRuns> {
  const once = async (build: Build) => {
    // The wasm the worker fetches shows which build ran (the tabs take turns, one at a time).
    const wasm: string[] = [];
    const seen = (request: { url(): string }) => void (/wllama.*\.wasm$/.test(request.url()) && wasm.push(request.url()));
    context.on('request', seen);
    const page = await openBenchPage(context, { beforeGoto: build === 'compat' ? asSafari : undefined });
    try {
      const started = performance.now();
      await page.evaluate((r) => window.bench.prepareThreads(r), record);
      const readyMs = performance.now() - started;
      const run = await page.evaluate(({ prompt, maxTokens }) => window.bench.runThreads(prompt, maxTokens), options);
      return { readyMs, run, wasm: wasm.map((url) => new URL(url).pathname.split('/').pop()!).join(', ') };
    } finally {
      context.off('request', seen);
      await page.close();
    }
  };
  await once('default'); // the model stored, and each build run once before the rounds
  await once('compat');
  const rounds: CompatBuildRuns['rounds'] = [];
  for (let i = 0; i < options.rounds; i++) rounds.push(await roundInTurn(['default', 'compat'] as const, i, once));
  for (const round of rounds) {
    if (!/wllama-compat-/.test(round.compat.wasm) || /wllama-compat-/.test(round.default.wasm)) {
      throw new Error(`compat build: the tabs fetched ${round.default.wasm || 'no wasm'} and ${round.compat.wasm || 'no wasm'}`);
    }
  }
  return { rounds };
}
