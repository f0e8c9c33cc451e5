// Turns the raw runs into the seven figures: medians with min and max, ratios taken round by
// round (side by side), and a plain statement wherever something could not be measured.
import type { EntryWeight } from './entry-weight.js';
import type { ModelLoadRuns, LoadMeasurement } from './model-load.js';
import type { MemoryPeaks } from './memory-sampler.js';
import { pairedDifferences, pairedRatios, percentile, summarize, type Summary } from './stats.js';
import type { CompatBuildRuns } from './compat-build.js';
import type { ThreadsRuns } from './threads.js';
import type { TimeToReadyRuns } from './time-to-ready.js';
import { roundSpeed, VARIANTS, type TokenPathRuns } from './token-path.js';
import type { Variant } from './page/protocol.js';

type PerVariant<T> = Record<Variant, T>;
type Ours = Exclude<Variant, 'direct'>;

export interface Figures {
  entryWeight: EntryWeight;
  timeToReady: {
    readyMs: Summary;
    workerStartupMs: Summary;
    workerStartupShare: Summary;
    fileReadyMs: Summary;
    engineStartMs: Summary;
    directReadyMs: Summary;
    /** Element minus wllama alone, round by round. */
    addedMs: Summary;
    gpuProbeMs: Summary;
  };
  tokenPath: {
    tokensPerS: PerVariant<Summary>;
    /** Ours over direct wllama, round by round. */
    ratioToDirect: Record<Ours, Summary>;
    /** The 10th percentile of the same ratios: the slow rounds, not only the typical one. */
    ratioToDirectP10: Record<Ours, number>;
    /** Direct wllama ÷ itself run again in the same round: the machine's noise, for scale. */
    directOverItself: Summary;
    directOverItselfP10: number;
    tokensPerAnswer: PerVariant<Summary>;
    sameTextEverywhere: boolean;
    /** createEngine() under a JSON Schema ÷ without, round by round (the grammar's cost per token). */
    constrainedOverFree: Summary;
    constrainedTokensPerS: Summary;
  };
  /** The large model through createEngine(): every core (cross-origin isolated) ÷ one thread. */
  threads: { cores: number; multiOverSingle: Summary; singleTokensPerS: Summary; multiTokensPerS: Summary };
  /** The large model on wllama's compat build (what Safari runs) ÷ on its default build, round by round. */
  compatBuild: {
    tokensPerSOverDefault: Summary;
    readyMsOverDefault: Summary;
    tokensPerS: Record<'default' | 'compat', Summary>;
    readyMs: Record<'default' | 'compat', Summary>;
  };
  timeToFirstToken: { ms: PerVariant<Summary>; addedMs: Record<Ours, Summary> };
  mainThread: { longestTaskMs: PerVariant<Summary>; busyMsPerToken: PerVariant<Summary>; method: string };
  modelLoad: {
    modelBytes: number;
    coldReadyMBps: Summary;
    coldStoreMBps: Summary;
    warmReadyMBps: Summary;
    warmOverCold: Summary;
    /** The warm load's parts (warm-load-parts.ts), each round beside that round's warm load. */
    parts: {
      /** Where the store kept the bytes: an OPFS file, or IndexedDB chunks. */
      storedIn: 'file' | 'chunks';
      storeReadMBps: Summary;
      freshBuffersReadMBps: Summary;
      plainBlobReadMBps: Summary;
      storeReadParallelMBps: Summary;
      inMemoryBlobReadMBps: Summary;
      rawReadMBps: Summary;
      /** Store read ÷ raw disk read (goal ≥ 0.5). */
      storeOverRaw: Summary;
      ingestMBps: { memory: Summary; bytes: Summary; stored: Summary };
      /** Whole warm load ÷ wllama alone ingesting the bytes from memory (goal ≥ 0.9). */
      warmOverInMemoryIngest: Summary;
    };
  };
  memory: {
    cold: MemoryRatios;
    warm: MemoryRatios;
    /** wllama alone loading the stored file (OPFS) in a fresh tab: the engine's own need, the yardstick. */
    wllamaAlone: BesideAlone | undefined;
    /** The same where OPFS is refused and the model is kept in IndexedDB. */
    indexedDb: { warm: MemoryRatios; wllamaAlone: BesideAlone | undefined };
    /** Peak renderer RSS growth of a load of the tiny model: what any load costs (code, workers, buffers). */
    fixedRendererRssMB: Summary | undefined;
    /** (warm peak − tiny peak) ÷ (model bytes − tiny bytes): what the model's own bytes cost, per byte. */
    warmPeakPerModelByteBeyondFixed: Summary | undefined;
    warmSettledPerModelByteBeyondFixed: Summary | undefined;
    method: string;
    notMeasured: string[];
  };
}

interface MemoryRatios {
  mainThreadJsHeapPerModelByte: Summary;
  rendererRssPerModelByte: Summary | undefined;
  allProcessesRssPerModelByte: Summary | undefined;
  /** A second after the load, the model in place. */
  rendererRssSettledPerModelByte: Summary | undefined;
}

/** wllama alone, and the library's warm load over it (paired by round), per model byte. */
interface BesideAlone {
  peak: Summary;
  settled: Summary;
  /** Library peak − wllama alone's peak (goal ≤ 0.1). */
  peakOver: Summary;
  /** Library settled − wllama alone's settled (goal ≤ 0.05). */
  settledOver: Summary;
}

function besideAlone(warm: readonly LoadMeasurement[], alone: readonly MemoryPeaks[], modelBytes: number): BesideAlone | undefined {
  const perByte = (values: (number | undefined)[]): number[] | undefined =>
    values.every((v): v is number => v !== undefined) ? values.map((v) => v / modelBytes) : undefined;
  const peak = perByte(alone.map((a) => a.rendererRss));
  const settled = perByte(alone.map((a) => a.rendererRssSettled));
  const warmPeak = perByte(warm.map((l) => l.memory.rendererRss));
  const warmSettled = perByte(warm.map((l) => l.memory.rendererRssSettled));
  if (!peak || !settled || !warmPeak || !warmSettled || peak.length === 0) return undefined;
  return {
    peak: summarize(peak),
    settled: summarize(settled),
    peakOver: summarize(pairedDifferences(warmPeak, peak)),
    settledOver: summarize(pairedDifferences(warmSettled, settled)),
  };
}

const perVariant = <T>(make: (variant: Variant) => T): PerVariant<T> =>
  Object.fromEntries(VARIANTS.map((v) => [v, make(v)])) as PerVariant<T>;

function memoryRatios(loads: readonly LoadMeasurement[], modelBytes: number): MemoryRatios {
  const ratio = (pick: (load: LoadMeasurement) => number | undefined): Summary | undefined => {
    const values = loads.map(pick);
    return values.every((v): v is number => v !== undefined) ? summarize(values.map((v) => v / modelBytes)) : undefined;
  };
  return {
    mainThreadJsHeapPerModelByte: ratio((l) => l.memory.mainThreadJsHeap)!,
    rendererRssPerModelByte: ratio((l) => l.memory.rendererRss),
    allProcessesRssPerModelByte: ratio((l) => l.memory.allProcessesRss),
    rendererRssSettledPerModelByte: ratio((l) => l.memory.rendererRssSettled),
  };
}

export function computeFigures(input: {
  entryWeight: EntryWeight;
  timeToReady: TimeToReadyRuns;
  tokenPath: TokenPathRuns;
  modelLoad: ModelLoadRuns;
  threads: ThreadsRuns;
  compatBuild: CompatBuildRuns;
  modelBytes: number;
  tinyModelBytes: number;
}): Figures {
  const { timeToReady, tokenPath, modelLoad, threads, compatBuild, modelBytes } = input;
  const compatSpeed = (build: 'default' | 'compat') => compatBuild.rounds.map((r) => r[build].run.decodeTokensPerS);
  const compatReady = (build: 'default' | 'compat') => compatBuild.rounds.map((r) => r[build].readyMs);
  const singleSpeeds = threads.rounds.map((r) => r.single.decodeTokensPerS);
  const multiSpeeds = threads.rounds.map((r) => r.multi.decodeTokensPerS);
  const speeds = perVariant((v) => tokenPath.rounds.map((r) => roundSpeed(r[v])));
  const directAgain = tokenPath.rounds.map((r) => roundSpeed(r.directAgain));
  const ttft = perVariant((v) => tokenPath.rounds.map((r) => summarize(r[v].map((a) => a.ttftMs)).median));
  const megabytes = modelBytes / 1e6;
  const coldReady = modelLoad.cold.map((l) => megabytes / (l.readyMs / 1000));
  const warmReady = modelLoad.warm.map((l) => megabytes / (l.readyMs / 1000));
  const parts = modelLoad.parts;
  const mbps = (ms: number): number => megabytes / (ms / 1000);
  const storeRead = parts.map((p) => mbps(p.store.handlesMs + p.store.storeMs));
  const rawRead = parts.map((p) => mbps(p.rawReadMs));
  const ingestMemory = parts.map((p) => mbps(p.ingestMs.memory));
  const fixedPeak = modelLoad.fixed.map((l) => l.memory.rendererRss);
  const fixedSettled = modelLoad.fixed.map((l) => l.memory.rendererRssSettled);
  const beyondFixed = (pick: (l: LoadMeasurement) => number | undefined, fixed: (number | undefined)[]): Summary | undefined => {
    const values = modelLoad.warm.map((l, i) => {
      const own = pick(l);
      const base = fixed[i];
      return own === undefined || base === undefined ? undefined : (own - base) / (modelBytes - input.tinyModelBytes);
    });
    return values.every((v): v is number => v !== undefined) ? summarize(values) : undefined;
  };
  const hasProcessMemory = modelLoad.cold.every((l) => l.memory.rendererRss !== undefined);

  return {
    entryWeight: input.entryWeight,
    timeToReady: {
      readyMs: summarize(timeToReady.readyMs),
      fileReadyMs: summarize(timeToReady.fileReadyMs),
      engineStartMs: summarize(pairedDifferences(timeToReady.readyMs, timeToReady.fileReadyMs)),
      directReadyMs: summarize(timeToReady.directReadyMs),
      addedMs: summarize(pairedDifferences(timeToReady.readyMs, timeToReady.directReadyMs)),
      gpuProbeMs: summarize(timeToReady.gpuProbeMs),
      workerStartupMs: summarize(timeToReady.workerStartupMs),
      workerStartupShare: summarize(pairedRatios(timeToReady.workerStartupMs, timeToReady.readyMs)),
    },
    tokenPath: {
      tokensPerS: perVariant((v) => summarize(speeds[v])),
      ratioToDirect: {
        element: summarize(pairedRatios(speeds.element, speeds.direct)),
        engine: summarize(pairedRatios(speeds.engine, speeds.direct)),
      },
      ratioToDirectP10: {
        element: percentile(pairedRatios(speeds.element, speeds.direct), 0.1),
        engine: percentile(pairedRatios(speeds.engine, speeds.direct), 0.1),
      },
      directOverItself: summarize(pairedRatios(directAgain, speeds.direct)),
      directOverItselfP10: percentile(pairedRatios(directAgain, speeds.direct), 0.1),
      tokensPerAnswer: perVariant((v) => summarize(tokenPath.rounds.flatMap((r) => r[v].map((a) => a.tokens)))),
      sameTextEverywhere: tokenPath.sameText,
      constrainedOverFree: summarize(
        pairedRatios(
          tokenPath.constrained.map((p) => p.constrained.decodeTokensPerS),
          tokenPath.constrained.map((p) => p.free.decodeTokensPerS),
        ),
      ),
      constrainedTokensPerS: summarize(tokenPath.constrained.map((p) => p.constrained.decodeTokensPerS)),
    },
    compatBuild: {
      tokensPerSOverDefault: summarize(pairedRatios(compatSpeed('compat'), compatSpeed('default'))),
      readyMsOverDefault: summarize(pairedRatios(compatReady('compat'), compatReady('default'))),
      tokensPerS: { default: summarize(compatSpeed('default')), compat: summarize(compatSpeed('compat')) },
      readyMs: { default: summarize(compatReady('default')), compat: summarize(compatReady('compat')) },
    },
    threads: {
      cores: threads.cores,
      multiOverSingle: summarize(pairedRatios(multiSpeeds, singleSpeeds)),
      singleTokensPerS: summarize(singleSpeeds),
      multiTokensPerS: summarize(multiSpeeds),
    },
    timeToFirstToken: {
      ms: perVariant((v) => summarize(ttft[v])),
      addedMs: {
        element: summarize(pairedDifferences(ttft.element, ttft.direct)),
        engine: summarize(pairedDifferences(ttft.engine, ttft.direct)),
      },
    },
    mainThread: {
      longestTaskMs: perVariant((v) => summarize(tokenPath.traced.map((r) => r[v].longestTaskMs))),
      busyMsPerToken: perVariant((v) => summarize(tokenPath.traced.map((r) => r[v].busyMs / r[v].tokens))),
      method:
        'Chromium trace (CDP Tracing, category "toplevel"): every RunTask on the page\'s CrRendererMain thread between ' +
        'user-timing marks placed just before the request and just after the last token, nested tasks merged. ' +
        'Separate traced rounds; their speeds are not used for figure 3.',
    },
    modelLoad: {
      modelBytes,
      coldReadyMBps: summarize(coldReady),
      coldStoreMBps: summarize(modelLoad.cold.map((l) => megabytes / (l.storeMs / 1000))),
      warmReadyMBps: summarize(warmReady),
      warmOverCold: summarize(pairedRatios(warmReady, coldReady)),
      parts: {
        storedIn: parts.every((p) => p.store.inFile) ? 'file' : 'chunks',
        storeReadMBps: summarize(storeRead),
        freshBuffersReadMBps: summarize(parts.map((p) => mbps(p.store.freshBuffersMs))),
        plainBlobReadMBps: summarize(parts.map((p) => mbps(p.store.sequentialMs))),
        storeReadParallelMBps: summarize(parts.map((p) => mbps(p.store.handlesMs + p.store.parallelMs))),
        inMemoryBlobReadMBps: summarize(parts.map((p) => mbps(p.store.inMemoryMs))),
        rawReadMBps: summarize(rawRead),
        storeOverRaw: summarize(pairedRatios(storeRead, rawRead)),
        ingestMBps: {
          memory: summarize(ingestMemory),
          bytes: summarize(parts.map((p) => mbps(p.ingestMs.bytes))),
          stored: summarize(parts.map((p) => mbps(p.ingestMs.stored))),
        },
        warmOverInMemoryIngest: summarize(pairedRatios(warmReady, ingestMemory)),
      },
    },
    memory: {
      cold: memoryRatios(modelLoad.cold, modelBytes),
      warm: memoryRatios(modelLoad.warm, modelBytes),
      wllamaAlone: besideAlone(modelLoad.warm, modelLoad.alone, modelBytes),
      indexedDb: {
        warm: memoryRatios(modelLoad.indexedDb.warm, modelBytes),
        wllamaAlone: besideAlone(modelLoad.indexedDb.warm, modelLoad.indexedDb.alone, modelBytes),
      },
      fixedRendererRssMB: fixedPeak.every((v): v is number => v !== undefined) ? summarize(fixedPeak.map((v) => v / 1e6)) : undefined,
      warmPeakPerModelByteBeyondFixed: beyondFixed((l) => l.memory.rendererRss, fixedPeak),
      warmSettledPerModelByteBeyondFixed: beyondFixed((l) => l.memory.rendererRssSettled, fixedSettled),
      method:
        'Sampled every 25 ms from outside the page during createEngine(): main-thread JS heap from CDP Performance.getMetrics ' +
        "(JSHeapUsedSize); resident memory (VmRSS in /proc) of the renderer process and of all this browser's processes. " +
        'Each figure is the peak minus the value just before the load; "settled" is the value a second after the load ' +
        'ended, the model still loaded. wllama alone is wllama on the page (its own worker, no worker of ours) loading ' +
        "the same stored file (the store's OPFS file, or where OPFS is refused its IndexedDB Blob) in a fresh tab, kept " +
        'loaded, in the same round; "over wllama alone" is the library minus that, paired by round. ' +
        'What any load costs is the tiny model loaded the same way in the same round; what ' +
        "the model's own bytes cost is the rest, per byte (1.0 is the weights held once, in llama.cpp's wasm memory).",
      notMeasured: [
        "JS heap of the workers (ours and wllama's): Performance.getMetrics covers only the page's main thread, and " +
          'measureUserAgentSpecificMemory() needs cross-origin isolation, which changes what is measured. Their memory is inside the renderer RSS.',
        ...(hasProcessMemory ? [] : ['Process memory: /proc is not available on this system.']),
      ],
    },
  };
}
