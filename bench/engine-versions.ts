// Figure 9, the engine's version: the library as shipped (dist/, on package.json's
// @wllama/wllama) beside the same code built on the other wllama (`wllama-other`, built by
// `vite build --mode other-wllama` into bench/.dist-other-wllama), in fresh tabs taking turns.
// Each round, for each build: a tab to ready on the tiny model (the wasm fetch and compile
// dominate), and a tab loading the large stored model with memory sampled, then answering.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { openBenchPage } from './bench-page.js';
import { measureEntryWeight, weigh, type Weight } from './entry-weight.js';
import { sampleDuring, type MemoryPeaks } from './memory-sampler.js';
import { roundInTurn } from './rotation.js';
import type { ThreadsRun } from './page/protocol.js';

export type Build = 'shipped' | 'other';

const BUILDS: readonly Build[] = ['shipped', 'other'];
const DIST: Record<Build, string> = {
  shipped: fileURLToPath(new URL('../dist/', import.meta.url)),
  other: fileURLToPath(new URL('./.dist-other-wllama/', import.meta.url)),
};
const PACKAGE: Record<Build, string> = { shipped: '@wllama/wllama', other: 'wllama-other' };
/** Where each build's files are served (test/server.ts): the wasm fetched tells which build ran. */
const SERVED_AT: Record<Build, string> = { shipped: '/dist/', other: '/dist-other-wllama/' };

export interface BuildSizes {
  /** What the page loads before the element renders. */
  entry: Weight;
  workerScript: Weight;
  /** wllama's JavaScript as the worker loads it (its engine chunk). */
  wllamaChunk: Weight;
  wasm: Weight;
  compatBuild: Weight;
}

export interface VersionRound {
  /** The tiny model stored: a fresh tab's createEngine() until ready. */
  tinyReadyMs: number;
  /** The large model stored: a fresh tab's createEngine() until ready (the warm load), memory sampled. */
  warmLoadMs: number;
  memory: MemoryPeaks;
  answer: ThreadsRun;
}

export interface EngineVersionRuns {
  versions: Record<Build, string>;
  sizes: Record<Build, BuildSizes>;
  modelBytes: number;
  rounds: Record<Build, VersionRound>[];
}

function version(build: Build): string {
  const manifest = fileURLToPath(new URL(`../node_modules/${PACKAGE[build]}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function sizes(build: Build): BuildSizes {
  const dist = DIST[build];
  const weight = measureEntryWeight(dist);
  const wllamaChunk = readdirSync(dist).filter((f) => /^wllama-backend-.*\.js$/.test(f));
  if (wllamaChunk.length !== 1) throw new Error(`${dist}: expected one wllama-backend-*.js, found ${wllamaChunk.length}`);
  return {
    entry: weight.mainThread,
    workerScript: weight.workerScript,
    wllamaChunk: weigh(dist, wllamaChunk),
    wasm: weight.wasm,
    compatBuild: weight.compatBuild,
  };
}

/** Milliseconds for createEngine() on `record` in `page` to be ready. */
async function timeToReady(page: Page, record: ModelRecord): Promise<number> {
  const startedAt = performance.now();
  await page.evaluate((r) => window.bench.prepareThreads(r), record);
  return performance.now() - startedAt;
}

export async function measureEngineVersions(
  context: BrowserContext,
  options: {
    userDataDir: string;
    tiny: ModelRecord;
    large: ModelRecord;
    largeBytes: number;
    rounds: number;
    prompt: string;
    maxTokens: number;
  },
): Promise<EngineVersionRuns> {
  /** Runs `work` in a fresh tab of `build`, checking the wasm it fetched came from that build. */
  const inTab = async <T>(build: Build, work: (page: Page) => Promise<T>): Promise<T> => {
    const wasm: string[] = [];
    const seen = (request: { url(): string }) => void (request.url().endsWith('.wasm') && wasm.push(new URL(request.url()).pathname));
    context.on('request', seen);
    const page = await openBenchPage(context, { dist: build === 'other' ? 'other-wllama' : undefined });
    try {
      const result = await work(page);
      if (wasm.length === 0 || !wasm.every((path) => path.startsWith(SERVED_AT[build]))) {
        throw new Error(`engine versions: the ${build} tab fetched ${wasm.join(', ') || 'no wasm'}`);
      }
      return result;
    } finally {
      context.off('request', seen);
      await page.close();
    }
  };
  const once = async (build: Build): Promise<VersionRound> => {
    const tinyReadyMs = await inTab(build, (page) => timeToReady(page, options.tiny));
    return inTab(build, async (page) => {
      const session = await context.newCDPSession(page);
      try {
        const { result: warmLoadMs, peaks } = await sampleDuring(session, options.userDataDir, () => timeToReady(page, options.large));
        const answer = await page.evaluate(({ prompt, maxTokens }) => window.bench.runThreads(prompt, maxTokens), options);
        return { tinyReadyMs, warmLoadMs, memory: peaks, answer };
      } finally {
        await session.detach();
      }
    });
  };
  // Both models stored, and each build run once, before the rounds.
  for (const build of BUILDS) await once(build);
  const rounds: EngineVersionRuns['rounds'] = [];
  for (let i = 0; i < options.rounds; i++) rounds.push(await roundInTurn(BUILDS, i, once));
  return {
    versions: { shipped: version('shipped'), other: version('other') },
    sizes: { shipped: sizes('shipped'), other: sizes('other') },
    modelBytes: options.largeBytes,
    rounds,
  };
}
