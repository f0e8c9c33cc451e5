// `npm run bench` (after the build): runs every figure in one headless Chromium and writes
// bench/results/latest.json and latest.md. BENCH_ROUNDS sets the token path's rounds (5 or more to keep).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.js';
import { measureCompatBuild } from './compat-build.js';
import { measureEntryWeight } from './entry-weight.js';
import { computeFigures } from './figures.js';
import { measureModelLoad } from './model-load.js';
import { ensureModel, LARGE, modelPath, modelRecord, TINY } from './models.js';
import { updateReadme } from './readme.js';
import { renderMarkdown, type BenchReport, type BenchSettings } from './report.js';
import { measureTimeToReady } from './time-to-ready.js';
import { measureThreads } from './threads.js';
import { measureTokenPath } from './token-path.js';
import { measureSharedEngine } from './shared-engine.js';
import { renderSharedEngine } from './shared-engine-report.js';
import { measureEngineVersions } from './engine-versions.js';
import { renderEngineVersions } from './engine-versions-report.js';
import { measureRealSize } from './real-size.js';
import { renderRealSize } from './real-size-report.js';
import { PAGE_ORIGIN, startServer } from '../test/server.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

// The token path is quick and the noisiest, so it gets the most rounds.
const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('BENCH_ROUNDS must be a positive integer');
if (rounds < 5) console.warn(`BENCH_ROUNDS=${rounds}: fewer than 5 rounds, for trying the suite out only`);

const settings: Omit<BenchSettings, 'tinyModelBytes' | 'largeModelBytes'> = {
  rounds,
  // V8 goes on compiling llama.cpp's hot wasm functions in the background for many answers
  // after a load (traced: up to 0.8 s of compile threads within one answer's window after two
  // warm-up rounds), which lands in some rounds and not others: rounds begin once it is done.
  warmupRounds: 8,
  answersPerRound: 3,
  // Traced runs, fresh tabs and 235 MB loads are slow: fewer rounds, never under five.
  tracedRounds: Math.min(rounds, 7),
  readyRounds: Math.min(rounds, 7),
  loadRounds: Math.min(rounds, 5),
  sharingRounds: Math.min(rounds, 2),
  prompt: 'Tell me a long story about the world.',
  maxTokens: 384,
};

/** HEAD, flagged when the code measured differs from it (results and README are ours to change). */
function describeCommit(): string {
  const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8' }).trim();
  const changed = git('status', '--porcelain', '--', '.', ':!bench/results', ':!README.md');
  return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' with uncommitted changes' : ''}`;
}

function log(step: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${step}`);
}

const startedAt = Date.now();
const tinyModelBytes = await ensureModel(TINY);
const largeModelBytes = await ensureModel(LARGE);
const workerFile = readdirSync(DIST).find((f) => f === 'llama-chat-worker.js');
const wasmFile = readdirSync(DIST).find((f) => f.endsWith('.wasm') && !f.startsWith('wllama-compat-')); // the default build
if (!workerFile || !wasmFile) throw new Error('dist/ lacks the worker or the wasm: run `npm run build` first');

log('1 entry weight');
const entryWeight = measureEntryWeight(DIST);

const stopServer = await startServer();
const browser = await launchBrowser();
try {
  const tiny = modelRecord(TINY, PAGE_ORIGIN, tinyModelBytes);
  log(
    `3–5 token path: ${settings.warmupRounds} warm-up + ${rounds} rounds of ${settings.answersPerRound} answers each, then ${settings.tracedRounds} traced rounds`,
  );
  const tokenPath = await measureTokenPath(
    browser.context,
    { record: tiny, wasmUrl: `/dist/${wasmFile}`, prompt: settings.prompt, maxTokens: settings.maxTokens },
    { warmupRounds: settings.warmupRounds, rounds, answersPerRound: settings.answersPerRound, tracedRounds: settings.tracedRounds },
  );
  log(`2 time to ready: ${settings.readyRounds} rounds`);
  const timeToReady = await measureTimeToReady(
    browser.context,
    tiny,
    { worker: `/dist/${workerFile}`, wasm: `/dist/${wasmFile}` },
    settings.readyRounds,
  );
  log(`6–7 cold and warm load of ${(largeModelBytes / 1e6).toFixed(0)} MB, and the warm load's parts: ${settings.loadRounds} rounds`);
  const modelLoad = await measureModelLoad(
    browser.context,
    browser.userDataDir,
    PAGE_ORIGIN,
    { record: modelRecord(LARGE, PAGE_ORIGIN, largeModelBytes), path: modelPath(LARGE), wasmUrl: `/dist/${wasmFile}` },
    tiny,
    settings.loadRounds,
  );

  log(`3 threads: the ${(largeModelBytes / 1e6).toFixed(0)} MB model on one thread and on every core, ${settings.loadRounds} rounds`);
  const threads = await measureThreads(browser.context, modelRecord(LARGE, PAGE_ORIGIN, largeModelBytes), {
    rounds: settings.loadRounds,
    prompt: settings.prompt,
    maxTokens: 48,
  });

  log(
    `3 Safari's build: wllama's compat build beside its default one, the ${(largeModelBytes / 1e6).toFixed(0)} MB model, ${settings.loadRounds} rounds`,
  );
  const compatBuild = await measureCompatBuild(browser.context, modelRecord(LARGE, PAGE_ORIGIN, largeModelBytes), {
    rounds: settings.loadRounds,
    prompt: settings.prompt,
    maxTokens: 48,
  });

  log(
    `8 one engine for the site: 1, 2 and 3 tabs, two elements, two tabs taking turns; shared and per-tab, ${settings.sharingRounds} rounds`,
  );
  const sharedEngine = await measureSharedEngine(browser.context, {
    userDataDir: browser.userDataDir,
    record: { ...modelRecord(LARGE, PAGE_ORIGIN, largeModelBytes), contextLength: 1024 },
    rounds: settings.sharingRounds,
    prompt: 'Tell me about the world.',
  });

  log(`9 the engine's version: the library on the shipped wllama and on the other one, ${settings.loadRounds} rounds`);
  const engineVersions = await measureEngineVersions(browser.context, {
    userDataDir: browser.userDataDir,
    tiny,
    large: modelRecord(LARGE, PAGE_ORIGIN, largeModelBytes),
    largeBytes: largeModelBytes,
    rounds: settings.loadRounds,
    prompt: settings.prompt,
    maxTokens: 48,
  });

  const realSizeRounds = Number(process.env.BENCH_REAL_SIZE_ROUNDS ?? 2);
  const realSize = await measureRealSize(browser.context, browser.userDataDir, PAGE_ORIGIN, `/dist/${wasmFile}`, realSizeRounds, log);

  const report: BenchReport = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: describeCommit(),
    durationS: (Date.now() - startedAt) / 1000,
    machine: {
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      os: `${type()} ${release()}`,
      node: process.versions.node,
      chromium: browser.version,
    },
    settings: { ...settings, tinyModelBytes, largeModelBytes },
    figures: computeFigures({
      entryWeight,
      timeToReady,
      tokenPath,
      modelLoad,
      threads,
      compatBuild,
      modelBytes: largeModelBytes,
      tinyModelBytes,
    }),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}latest.json`,
    JSON.stringify(
      { ...report, runs: { timeToReady, tokenPath, modelLoad, threads, compatBuild, sharedEngine, engineVersions, realSize } },
      null,
      2,
    ) + '\n',
  );
  const markdown = `${renderMarkdown(report)}\n${renderSharedEngine(sharedEngine)}\n${renderEngineVersions(engineVersions)}\n${renderRealSize(realSize)}`;
  writeFileSync(`${RESULTS}latest.md`, markdown);
  console.log('\n' + markdown);
  const readme = fileURLToPath(new URL('../README.md', import.meta.url));
  log(`wrote bench/results/latest.json and latest.md${updateReadme(readme, markdown) ? ', and the table in README.md' : ''}`);
} finally {
  await browser.close();
  await stopServer();
}
