// Figure 10 as a Markdown table: medians over the rounds of speeds and of ratios taken round by
// round (each ratio's two sides measured in the same round).
import { GIGABIT, type RealSizeRound, type RealSizeRuns } from './real-size.js';
import type { CpuUse } from './cpu-sampler.js';
import type { ThreadsRuns } from './threads.js';
import { LOAD_SETTINGS, type LoadSettingsRuns, type SettingsName } from './load-settings.js';
import { summarize } from './stats.js';
import type { LoraSizeRuns } from './lora-size.js';

const MBps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);

export function renderRealSize(runs: RealSizeRuns): string {
  const r = runs.rounds;
  const row = rowsOf<RealSizeRound>(r);
  const gb = (r[0]!.ggufBytes / 1e9).toFixed(2);
  const mlcGb = (r[0]!.mlcBytes / 1e9).toFixed(2);
  const loadPart = (x: RealSizeRound) => x.warm.readyMs - x.warm.storeMs;
  return [
    `**10. The real size** (a GGUF with Llama 3.1 8B's shapes, ${runs.layers} of its 32 layers, ${gb} GB, 2048-token context, one thread; the 8B-sized MLC folder, 108 shards, ${mlcGb} GB; a fresh tab for each step, storage emptied before each round's cold load; ratios taken round by round)`,
    '',
    '| Figure | Median | Min | Max | Runs |',
    '|---|---|---|---|---|',
    row('Raw read of the same server: the page fetches the GGUF and drops it', (x) => MBps(x.ggufBytes, x.rawFetchMs), ' MB/s'),
    row('Cold: download and store, through `createEngine()`', (x) => MBps(x.ggufBytes, x.cold.storeMs), ' MB/s'),
    row('cold download and store ÷ raw read of the server (goal ≥ 0.8)', (x) => x.rawFetchMs / x.cold.storeMs, '', 2, true),
    row(
      'the disk alone: a worker writing as many bytes to OPFS, 16 MiB at a time, no network',
      (x) => MBps(x.ggufBytes, x.diskWriteMs),
      ' MB/s',
    ),
    row('the disk alone ÷ raw read of the server', (x) => x.rawFetchMs / x.diskWriteMs, '', 2),
    row('cold download and store ÷ the disk alone', (x) => x.diskWriteMs / x.cold.storeMs, '', 2),
    ...cpuRows(r, row),
    ...gigabitRows(row),
    row('Cold, to ready (download, store, load)', (x) => x.cold.readyMs / 1000, ' s', 1),
    row('Warm: stored → ready, through `createEngine()`', (x) => x.warm.readyMs / 1000, ' s', 1, true),
    row(
      'warm load ÷ wllama alone on the same stored file, its default warm-up (goal ≥ 0.8)',
      (x) => x.alone.readyMs / x.warm.readyMs,
      '',
      2,
      true,
    ),
    row('warm load ÷ wllama alone, without the warm-up (as the library loads)', (x) => x.aloneNoWarmup.readyMs / x.warm.readyMs, '', 2),
    row('warm load speed ÷ raw read of the server (goal ≥ 0.4)', (x) => x.rawFetchMs / x.warm.readyMs, '', 2, true),
    row('warm: the store part (open, checks, hand-over)', (x) => x.warm.storeMs, ' ms'),
    row('warm: the engine part (llama.cpp reads and sets up the model)', loadPart, ' ms'),
    ...memoryRows(row),
    row("the store's raw read of the stored file (synchronous OPFS reads in a worker)", (x) => MBps(x.ggufBytes, x.storeReadMs), ' MB/s'),
    row('wllama alone, with warm-up: to ready', (x) => x.alone.readyMs / 1000, ' s', 1),
    row('of which starting llama.cpp, the header and the vocabulary', (x) => x.alone.headerMs, ' ms'),
    row('of which the weights into llama.cpp', (x) => x.alone.weightsMs, ' ms'),
    row('of which the context, the warm-up and the rest', (x) => x.alone.afterMs, ' ms'),
    row('wllama alone, without warm-up: to ready', (x) => x.aloneNoWarmup.readyMs / 1000, ' s', 1),
    row('of which the context and the rest', (x) => x.aloneNoWarmup.afterMs, ' ms'),
    row('MLC folder, raw read of the same server (every file in turn)', (x) => MBps(x.mlcBytes, x.mlcRawFetchMs), ' MB/s'),
    row("MLC folder, download into web-llm's cache through `createEngine()`", (x) => MBps(x.mlcBytes, x.mlcDownloadMs), ' MB/s'),
    row(
      'MLC download ÷ GGUF download and store (goal ≥ 1)',
      (x) => x.cold.storeMs / x.ggufBytes / (x.mlcDownloadMs / x.mlcBytes),
      '',
      2,
      true,
    ),
    row('MLC download ÷ raw read of the server', (x) => x.mlcRawFetchMs / x.mlcDownloadMs, '', 2),
    ...threadRows(runs.threads),
    ...settingsRows(runs.settings, runs.threads.layers),
    ...loraRows(runs.lora, runs.threads.layers),
    '',
  ].join('\n');
}

/** The machine's cores while each download ran: where both sides keep every core busy, the CPU bounds their ratio. */
function cpuRows(r: readonly RealSizeRound[], row: ReturnType<typeof rowsOf<RealSizeRound>>): string[] {
  const cores = r.find((x) => x.cpu.rawFetch)?.cpu.rawFetch?.cores;
  if (!cores) return [];
  const busy = (use: CpuUse | undefined) => (use ? use.busySeconds / use.wallSeconds : NaN);
  const perGb = (use: CpuUse | undefined, bytes: number) => (use ? use.busySeconds / (bytes / 1e9) : NaN);
  return [
    row(`cores busy (of the machine's ${cores}) during the raw read of the server`, (x) => busy(x.cpu.rawFetch), '', 2),
    row('cores busy during the cold download and store', (x) => busy(x.cpu.coldStore), '', 2),
    row('cores busy during the disk alone', (x) => busy(x.cpu.diskWrite), '', 2),
    row('core-seconds per GB: the raw read', (x) => perGb(x.cpu.rawFetch, x.ggufBytes), ' s', 1),
    row('core-seconds per GB: the cold download and store', (x) => perGb(x.cpu.coldStore, x.ggufBytes), ' s', 1),
    row('core-seconds per GB: the disk alone', (x) => perGb(x.cpu.diskWrite, x.ggufBytes), ' s', 1),
    row(
      "raw read's core-seconds per GB ÷ the cold store's (the bound of cold ÷ raw read where both fill every core)",
      (x) => perGb(x.cpu.rawFetch, x.ggufBytes) / perGb(x.cpu.coldStore, x.ggufBytes),
      '',
      2,
      true,
    ),
    row('core-seconds per GB: the MLC raw read', (x) => perGb(x.cpu.mlcRawFetch, x.mlcBytes), ' s', 1),
    row("core-seconds per GB: the MLC download into web-llm's cache", (x) => perGb(x.cpu.mlcDownload, x.mlcBytes), ' s', 1),
    row(
      "GGUF cold store's core-seconds per GB ÷ the MLC download's (the bound of MLC ÷ GGUF where both fill every core)",
      (x) => perGb(x.cpu.coldStore, x.ggufBytes) / perGb(x.cpu.mlcDownload, x.mlcBytes),
      '',
      2,
      true,
    ),
  ];
}

/** The same downloads over a gigabit link (the server's shared pace): a visitor's link, slower than this loopback. */
function gigabitRows(row: ReturnType<typeof rowsOf<RealSizeRound>>): string[] {
  return [
    row(
      `Over a gigabit link (${GIGABIT / 1e6} MB/s, one pace shared by every request): raw read of the GGUF`,
      (x) => MBps(x.ggufBytes, x.gigabit.rawFetchMs),
      ' MB/s',
    ),
    row('gigabit: cold download and store', (x) => MBps(x.ggufBytes, x.gigabit.coldStoreMs), ' MB/s'),
    row('gigabit: cold download and store ÷ raw read (goal ≥ 0.8)', (x) => x.gigabit.rawFetchMs / x.gigabit.coldStoreMs, '', 2, true),
    row('gigabit: MLC folder raw read', (x) => MBps(x.mlcBytes, x.gigabit.mlcRawFetchMs), ' MB/s'),
    row("gigabit: MLC download into web-llm's cache", (x) => MBps(x.mlcBytes, x.gigabit.mlcDownloadMs), ' MB/s'),
    row(
      'gigabit: MLC download ÷ GGUF download and store (goal ≥ 1)',
      (x) => x.gigabit.coldStoreMs / x.ggufBytes / (x.gigabit.mlcDownloadMs / x.mlcBytes),
      '',
      2,
      true,
    ),
  ];
}

function threadRows(threads: RealSizeRuns['threads']): string[] {
  const t = threads.rounds;
  if (t.length === 0) return [];
  const row = rowsOf<ThreadsRuns['rounds'][number]>(t);
  const at = `${threads.layers} of the 8B's layers, every matrix its real shape, ${threads.cores} cores`;
  return [
    row(
      `Prefill, time to first token on one thread (${at}; a ${t[0]!.single.promptTokens}-token prompt, its system header cached)`,
      (x) => x.single.ttftMs / 1000,
      ' s',
      1,
    ),
    row('prefill on every core (cross-origin isolated) ÷ one thread, as speed', (x) => x.single.ttftMs / x.multi.ttftMs, '×', 2, true),
    row('Decode on one thread', (x) => x.single.decodeTokensPerS, ' tok/s', 2),
    row('decode on every core ÷ one thread', (x) => x.multi.decodeTokensPerS / x.single.decodeTokensPerS, '×', 2, true),
  ];
}

function settingsRows(settings: LoadSettingsRuns | undefined, layers: number): string[] {
  const t = settings?.rounds ?? [];
  if (t.length === 0) return [];
  const row = rowsOf<LoadSettingsRuns['rounds'][number]>(t);
  const others = (Object.keys(LOAD_SETTINGS) as SettingsName[]).filter((name) => name !== 'default');
  return [
    row(
      `Load settings (wllama alone, one thread, ${layers} of the 8B's layers): prefill with the defaults`,
      (x) => x.default.prefillMs / 1000,
      ' s',
      1,
    ),
    row('decode with the defaults', (x) => x.default.decodeTokensPerS, ' tok/s', 2),
    ...others.flatMap((name) => [
      row(`${name}: prefill ÷ the defaults, as speed`, (x) => x.default.prefillMs / x[name].prefillMs, '×', 2, true),
      row(`${name}: decode ÷ the defaults`, (x) => x[name].decodeTokensPerS / x.default.decodeTokensPerS, '×', 2, true),
    ]),
  ];
}

function loraRows(lora: LoraSizeRuns | undefined, layers: number): string[] {
  const t = lora?.rounds ?? [];
  if (!lora || t.length === 0) return [];
  const row = rowsOf<LoraSizeRuns['rounds'][number]>(t);
  const mb = (lora.adapterBytes / 1e6).toFixed(0);
  return [
    row(
      `LoRA adapter (rank 16 on every matrix, F32, ${mb} MB; ${layers} of the 8B's layers, one thread): warm load with it, through \`createEngine()\``,
      (x) => x.adapted.readyMs / 1000,
      ' s',
      1,
    ),
    row('warm load with the adapter ÷ without, as speed', (x) => x.plain.readyMs / x.adapted.readyMs, '×', 2, true),
    row(
      'decode with the adapter ÷ the model alone (each in its own load)',
      (x) => x.adapted.first.decodeTokensPerS / x.plain.first.decodeTokensPerS,
      '×',
      2,
      true,
    ),
    row('prefill with the adapter ÷ the model alone, as speed', (x) => x.plain.first.prefillMs / x.adapted.first.prefillMs, '×', 2),
    row(
      'prefill after switching to the model alone ÷ the same adapter again (its cache reused), as time',
      (x) => x.adapted.switched!.prefillMs / x.adapted.again.prefillMs,
      '×',
      1,
    ),
  ];
}

/** A table row maker over `items`: the median (bold when asked), min, max and count of `values`. */
function rowsOf<T>(items: readonly T[]) {
  return (label: string, values: (x: T) => number, unit: string, digits = 0, bold = false): string => {
    const s = summarize(items.map(values));
    const f = (v: number) => `${v.toFixed(digits)}${unit}`;
    return `| ${label} | ${bold ? `**${f(s.median)}**` : f(s.median)} | ${f(s.min)} | ${f(s.max)} | ${s.runs} |`;
  };
}

/** Renderer memory at its peak ÷ the model's bytes: the warm load beside wllama alone (goal: within +0.1). */
function memoryRows(row: ReturnType<typeof rowsOf<RealSizeRound>>): string[] {
  const peak = (m: RealSizeRound['memory']['warm'], x: RealSizeRound) => (m.rendererRss ?? NaN) / x.ggufBytes;
  return [
    row('warm load, peak renderer memory ÷ model bytes', (x) => peak(x.memory.warm, x), '', 3),
    row('wllama alone (no warm-up, as the library loads), peak ÷ model bytes', (x) => peak(x.memory.aloneNoWarmup, x), '', 3),
    row('wllama alone (its default warm-up), peak ÷ model bytes', (x) => peak(x.memory.alone, x), '', 3),
    row(
      'warm load − wllama alone without warm-up, peak ÷ model bytes (goal ≤ +0.1)',
      (x) => peak(x.memory.warm, x) - peak(x.memory.aloneNoWarmup, x),
      '',
      3,
      true,
    ),
  ];
}
