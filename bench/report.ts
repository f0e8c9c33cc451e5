// bench/results/latest.md: one Markdown table per run, with the date and the machine.
import type { Figures } from './figures.js';
import type { Summary } from './stats.js';

/** The entry's budget (issue 25): what a phone fetches before the element can render. */
const ENTRY_GOAL_BYTES = 20_000;

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  chromium: string;
}

export interface BenchSettings {
  rounds: number;
  warmupRounds: number;
  /** Answers per contestant in each token-path round, taken in turn; the round's speed is over all of them. */
  answersPerRound: number;
  tracedRounds: number;
  readyRounds: number;
  loadRounds: number;
  sharingRounds: number;
  prompt: string;
  maxTokens: number;
  tinyModelBytes: number;
  largeModelBytes: number;
}

export interface BenchReport {
  date: string;
  commit: string;
  durationS: number;
  machine: Machine;
  settings: BenchSettings;
  figures: Figures;
}

/** Issue 7: our layers may cost at most 2% of the engine's token rate. */
const TOKEN_RATE_GOAL = 0.98;
/** Issue 15: and the slow rounds too. */
const TOKEN_RATE_P10_GOAL = 0.9;

const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;

function fixed(digits: number, unit = ''): (value: number) => string {
  return (value) => `${value.toFixed(digits)}${unit}`;
}

function row(label: string, summary: Summary | undefined, format: (value: number) => string): string {
  if (!summary) return `| ${label} | not measured | | | |`;
  return `| ${label} | **${format(summary.median)}** | ${format(summary.min)} | ${format(summary.max)} | ${summary.runs} |`;
}

export function renderMarkdown(report: BenchReport): string {
  const { figures: f, machine: m, settings: s } = report;
  const w = f.entryWeight;
  const ms = fixed(1, ' ms');
  const ratio = fixed(3);
  const mbps = fixed(1, ' MB/s');
  const lines = [
    `Measured ${report.date} at commit ${report.commit} in ${report.durationS.toFixed(0)} s on ${m.cpu} (${m.cores} cores, ${m.memoryGB} GB), ` +
      `${m.os}, ${m.chromium} headless, Node ${m.node}. Median of ${s.rounds} interleaved rounds for the token path ` +
      `(${s.answersPerRound} answers per path in each, in turn; after ${s.warmupRounds} warm-up rounds), ${s.tracedRounds} traced rounds for the main thread, ${s.readyRounds} for time to ready, ` +
      `${s.loadRounds} for loading; ` +
      `min and max beside each median. Ratios and differences are taken round by round, then summarized.`,
    '',
    '| # | Figure | Median | Min | Max | Runs |',
    '|---|---|---|---|---|---|',
  ];
  const add = (n: string, label: string, summary: Summary | undefined, format: (value: number) => string): void => {
    lines.push(row(`${n} | ${label}`, summary, format));
  };
  const weight = (label: string, files: { files: string[]; gzipBytes: number; brotliBytes: number }): string =>
    `| 1 | ${label} (${files.files.join(', ')}), gzip -9 / brotli 11 | **${kB(files.gzipBytes)} / ${kB(files.brotliBytes)}** | – | – | exact |`;
  const entryGoal = w.mainThread.gzipBytes <= ENTRY_GOAL_BYTES ? 'met' : 'not met';
  lines.push(
    weight('Main-thread code before the element renders', w.mainThread),
    `| 1 | the same in bytes, gzip -9 (goal ≤ ${ENTRY_GOAL_BYTES.toLocaleString('en-US')}: ${entryGoal}) | **${w.mainThread.gzipBytes.toLocaleString('en-US')} bytes** | – | – | exact |`,
    ...w.lazyParts.map((part) => weight('loaded by the page when first needed', part)),
    weight('Worker script, loaded by the worker only', w.workerScript),
    weight("Worker's wasm (wllama), loaded by the worker only", w.wasm),
    weight("wllama's compat build, loaded by the worker instead where JSPI or Memory64 is missing (Safari)", w.compatBuild),
  );
  add('2', 'Time to ready, connectedCallback → `llama-chat-ready`, tiny model stored', f.timeToReady.readyMs, ms);
  add('2', 'of which worker start-up (new Worker → first comlink answer)', f.timeToReady.workerStartupMs, ms);
  add('2', 'worker start-up / time to ready', f.timeToReady.workerStartupShare, ratio);
  add('2', 'connectedCallback → model file handed over by the store (worker start-up included)', f.timeToReady.fileReadyMs, ms);
  add('2', 'then → ready: GPU probe, wllama wasm fetch + compile, model load', f.timeToReady.engineStartMs, ms);
  add('2', 'wllama alone on the page to ready (same wasm, model Blob in hand)', f.timeToReady.directReadyMs, ms);
  add('2', 'time to ready added by our layers (element − wllama alone)', f.timeToReady.addedMs, ms);
  add('2', 'GPU probe (requestAdapter, SwiftShader here)', f.timeToReady.gpuProbeMs, ms);
  const goal = (summary: Summary): string => (summary.median >= TOKEN_RATE_GOAL ? 'met' : 'not met');
  const { element: elementRatio, engine: engineRatio } = f.tokenPath.ratioToDirect;
  add('3', `\`<llama-chat>\` tok/s ÷ direct wllama tok/s (goal ≥ ${TOKEN_RATE_GOAL}: ${goal(elementRatio)})`, elementRatio, ratio);
  add('3', `\`createEngine()\` tok/s ÷ direct wllama tok/s (goal ≥ ${TOKEN_RATE_GOAL}: ${goal(engineRatio)})`, engineRatio, ratio);
  const p10 = f.tokenPath.ratioToDirectP10.element;
  lines.push(
    `| 3 | \`<llama-chat>\` ÷ direct, 10th percentile of the rounds (goal ≥ ${TOKEN_RATE_P10_GOAL}: ${p10 >= TOKEN_RATE_P10_GOAL ? 'met' : 'not met'}) | **${ratio(p10)}** | – | – | ${elementRatio.runs} |`,
  );
  add('3', "the machine's noise: direct wllama ÷ itself, run again in the same round", f.tokenPath.directOverItself, ratio);
  lines.push(
    `| 3 | the machine's noise, 10th percentile of the rounds (the same code, so any gap from 1 is noise) | **${ratio(f.tokenPath.directOverItselfP10)}** | – | – | ${f.tokenPath.directOverItself.runs} |`,
  );
  add('3', 'tok/s through `<llama-chat>`', f.tokenPath.tokensPerS.element, fixed(0));
  add('3', 'tok/s through `createEngine()`', f.tokenPath.tokensPerS.engine, fixed(0));
  add('3', 'tok/s of wllama driven directly in the page', f.tokenPath.tokensPerS.direct, fixed(0));
  add('3', '`createEngine()` tok/s under a JSON Schema ÷ without (constrained decoding)', f.tokenPath.constrainedOverFree, ratio);
  add('3', 'tok/s under a JSON Schema, `createEngine()`', f.tokenPath.constrainedTokensPerS, fixed(0));
  add(
    '3',
    `Large model tok/s, every core (cross-origin isolated, ${f.threads.cores} cores) ÷ one thread`,
    f.threads.multiOverSingle,
    fixed(2, '×'),
  );
  add('3', 'large model tok/s on one thread', f.threads.singleTokensPerS, fixed(1));
  add('3', 'large model tok/s on every core', f.threads.multiTokensPerS, fixed(1));
  add(
    '3',
    "Large model tok/s on wllama's compat build (Safari's) ÷ its default build, one thread",
    f.compatBuild.tokensPerSOverDefault,
    ratio,
  );
  add('3', 'large model tok/s, default build', f.compatBuild.tokensPerS.default, fixed(1));
  add('3', 'large model tok/s, compat build', f.compatBuild.tokensPerS.compat, fixed(1));
  add('3', 'time to ready (stored) on the compat build ÷ the default build', f.compatBuild.readyMsOverDefault, ratio);
  add('3', 'time to ready (stored), default build', f.compatBuild.readyMs.default, ms);
  add('3', 'time to ready (stored), compat build', f.compatBuild.readyMs.compat, ms);
  add('4', 'Time to first token added by `<llama-chat>` (element − direct)', f.timeToFirstToken.addedMs.element, ms);
  add('4', 'Time to first token added by `createEngine()` (engine − direct)', f.timeToFirstToken.addedMs.engine, ms);
  add('4', 'time to first token, direct wllama', f.timeToFirstToken.ms.direct, ms);
  add('5', 'Longest main-thread task while `<llama-chat>` streams', f.mainThread.longestTaskMs.element, ms);
  add('5', 'longest task, `createEngine()`', f.mainThread.longestTaskMs.engine, ms);
  add('5', 'longest task, direct wllama', f.mainThread.longestTaskMs.direct, ms);
  add('5', 'Main-thread ms per token, `<llama-chat>`', f.mainThread.busyMsPerToken.element, fixed(3, ' ms'));
  add('5', 'Main-thread ms per token, `createEngine()`', f.mainThread.busyMsPerToken.engine, fixed(3, ' ms'));
  add(
    '5',
    'Main-thread ms per token, direct wllama (runs its loop on the main thread)',
    f.mainThread.busyMsPerToken.direct,
    fixed(3, ' ms'),
  );
  add(
    '6',
    `Cold load (download + store + load) of ${(f.modelLoad.modelBytes / 1e6).toFixed(0)} MB, to ready`,
    f.modelLoad.coldReadyMBps,
    mbps,
  );
  add('6', 'of which download and store only', f.modelLoad.coldStoreMBps, mbps);
  add('6', 'Warm load (stored file → wllama), to ready', f.modelLoad.warmReadyMBps, mbps);
  add('6', 'warm / cold speed', f.modelLoad.warmOverCold, fixed(2, '×'));
  const parts = f.modelLoad.parts;
  add(
    '6',
    parts.storedIn === 'file'
      ? "Warm load, store part: every byte of the OPFS file as llama.cpp's worker reads it (read-only synchronous reads of 16 MB, buffer reused)"
      : 'Warm load, store part: IndexedDB chunks → Blob → every byte, one 16 MB read at a time',
    parts.storeReadMBps,
    mbps,
  );
  add('6', 'the same into a new buffer each read (what page faults cost here)', parts.freshBuffersReadMBps, mbps);
  add('6', 'the same file read as a plain Blob, one 16 MB read at a time', parts.plainBlobReadMBps, mbps);
  add('6', 'the same, four reads in flight', parts.storeReadParallelMBps, mbps);
  add('6', 'the same bytes from a Blob made in memory (the Blob read alone)', parts.inMemoryBlobReadMBps, mbps);
  add('6', 'raw read of the same file by Node, page cache, 16 MB reads into one buffer (yardstick)', parts.rawReadMBps, mbps);
  add('6', `store part ÷ raw read (goal ≥ 0.5: ${parts.storeOverRaw.median >= 0.5 ? 'met' : 'not met'})`, parts.storeOverRaw, ratio);
  add('6', 'Engine part: wllama alone loading the bytes from a Blob in memory', parts.ingestMBps.memory, mbps);
  add('6', 'wllama alone loading the bytes from memory without a Blob (reads are plain copies)', parts.ingestMBps.bytes, mbps);
  add('6', 'wllama alone loading the stored file as a plain Blob', parts.ingestMBps.stored, mbps);
  add(
    '6',
    `whole warm load ÷ wllama alone from memory (goal ≥ 0.9: ${parts.warmOverInMemoryIngest.median >= 0.9 ? 'met' : 'not met'})`,
    parts.warmOverInMemoryIngest,
    ratio,
  );
  for (const [kind, memory] of [
    ['cold', f.memory.cold],
    ['warm', f.memory.warm],
  ] as const) {
    add('7', `Peak main-thread JS heap ÷ model bytes, ${kind} load`, memory.mainThreadJsHeapPerModelByte, ratio);
    add('7', `Peak renderer RSS growth ÷ model bytes, ${kind} load`, memory.rendererRssPerModelByte, ratio);
    add('7', `Peak RSS growth of all browser processes ÷ model bytes, ${kind} load`, memory.allProcessesRssPerModelByte, ratio);
    add(
      '7',
      `Renderer RSS growth ÷ model bytes a second after the ${kind} load (model in place)`,
      memory.rendererRssSettledPerModelByte,
      ratio,
    );
  }
  const metIf = (met: boolean): string => (met ? 'met' : 'not met');
  for (const [where, warm, alone] of [
    ['OPFS', f.memory.warm, f.memory.wllamaAlone],
    ['IndexedDB', f.memory.indexedDb.warm, f.memory.indexedDb.wllamaAlone],
  ] as const) {
    if (where === 'IndexedDB') {
      add('7', 'Peak renderer RSS growth ÷ model bytes, warm load from IndexedDB (OPFS refused)', warm.rendererRssPerModelByte, ratio);
      add('7', 'the same a second after the load from IndexedDB', warm.rendererRssSettledPerModelByte, ratio);
    }
    if (!alone) continue;
    add('7', `wllama alone loading the stored file (${where}) in a fresh tab: peak ÷ model bytes`, alone.peak, ratio);
    add('7', `wllama alone (${where}), a second after the load`, alone.settled, ratio);
    add('7', `library over wllama alone (${where}), peak (goal ≤ 0.1: ${metIf(alone.peakOver.median <= 0.1)})`, alone.peakOver, ratio);
    add(
      '7',
      `library over wllama alone (${where}), settled (goal ≤ 0.05: ${metIf(alone.settledOver.median <= 0.05)})`,
      alone.settledOver,
      ratio,
    );
  }
  add(
    '7',
    `What any load costs: peak renderer RSS growth loading the ${(s.tinyModelBytes / 1e6).toFixed(2)} MB model (code, workers, buffers)`,
    f.memory.fixedRendererRssMB,
    fixed(0, ' MB'),
  );
  add(
    '7',
    "What the model's own bytes cost: (warm peak − that) ÷ (model bytes − its bytes)",
    f.memory.warmPeakPerModelByteBeyondFixed,
    ratio,
  );
  add('7', 'the same a second after the load, model in place', f.memory.warmSettledPerModelByteBeyondFixed, ratio);
  lines.push(
    '',
    'Entry weight: `dist/llama-chat.js` and every module it imports statically, which is all a page loads before ' +
      '`<llama-chat>` can render; the worker script and the wasm are fetched by the worker once a model loads. ' +
      "Bytes from Node's zlib on the files in dist/: a count, not a timing, so it has no spread.",
    'Time to ready: a fresh tab per run; worker start-up is timed in its own fresh tab in the same round, ' +
      "from `new Worker()` of the library's worker script to its answer to a first comlink call. " +
      'The test server sends `Cache-Control: no-store`, so every run fetches and compiles the wasm again: ' +
      'a worst case for a repeat visit, where a CDN would let the browser cache it.',
    `Token path: prompt "${s.prompt}", max_tokens ${s.maxTokens}, temperature 0, n_threads 1, n_gpu_layers 0, n_ctx 512, ` +
      `tiny model of ${(s.tinyModelBytes / 1e6).toFixed(2)} MB; ${f.tokenPath.tokensPerAnswer.direct.median} tokens per answer; ` +
      `the three paths ${f.tokenPath.sameTextEverywhere ? 'wrote the same text in every round' : 'did NOT always write the same text'}. ` +
      'tok/s counts the tokens after the first over the time from the first to the last, as the page received them, ' +
      `summed over a round's ${s.answersPerRound} answers per path.`,
    `Main thread: ${f.mainThread.method}`,
    `Memory: ${f.memory.method}`,
    ...f.memory.notMeasured.map((note) => `Not measured: ${note}`),
  );
  return lines.join('\n') + '\n';
}
