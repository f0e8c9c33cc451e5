// Turns the raw runs into the seven figures: medians with min and max, ratios taken round by
// round (side by side), and a plain statement wherever something could not be measured.
import type { EntryWeight } from './entry-weight.js';
import type { ModelLoadRuns, LoadMeasurement } from './model-load.js';
import { pairedDifferences, pairedRatios, summarize, type Summary } from './stats.js';
import type { ThreadsRuns } from './threads.js';
import type { TimeToReadyRuns } from './time-to-ready.js';
import { VARIANTS, type TokenPathRuns } from './token-path.js';
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
    tokensPerAnswer: PerVariant<Summary>;
    sameTextEverywhere: boolean;
    /** createEngine() under a JSON Schema ÷ without, round by round (the grammar's cost per token). */
    constrainedOverFree: Summary;
    constrainedTokensPerS: Summary;
  };
  /** The large model through createEngine(): every core (cross-origin isolated) ÷ one thread. */
  threads: { cores: number; multiOverSingle: Summary; singleTokensPerS: Summary; multiTokensPerS: Summary };
  timeToFirstToken: { ms: PerVariant<Summary>; addedMs: Record<Ours, Summary> };
  mainThread: { longestTaskMs: PerVariant<Summary>; busyMsPerToken: PerVariant<Summary>; method: string };
  modelLoad: {
    modelBytes: number;
    coldReadyMBps: Summary;
    coldStoreMBps: Summary;
    warmReadyMBps: Summary;
    warmOverCold: Summary;
  };
  memory: {
    cold: MemoryRatios;
    warm: MemoryRatios;
    method: string;
    notMeasured: string[];
  };
}

interface MemoryRatios {
  mainThreadJsHeapPerModelByte: Summary;
  rendererRssPerModelByte: Summary | undefined;
  allProcessesRssPerModelByte: Summary | undefined;
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
  };
}

export function computeFigures(input: {
  entryWeight: EntryWeight;
  timeToReady: TimeToReadyRuns;
  tokenPath: TokenPathRuns;
  modelLoad: ModelLoadRuns;
  threads: ThreadsRuns;
  modelBytes: number;
}): Figures {
  const { timeToReady, tokenPath, modelLoad, threads, modelBytes } = input;
  const singleSpeeds = threads.rounds.map((r) => r.single.decodeTokensPerS);
  const multiSpeeds = threads.rounds.map((r) => r.multi.decodeTokensPerS);
  const speeds = perVariant((v) => tokenPath.rounds.map((r) => r[v].decodeTokensPerS));
  const ttft = perVariant((v) => tokenPath.rounds.map((r) => r[v].ttftMs));
  const megabytes = modelBytes / 1e6;
  const coldReady = modelLoad.cold.map((l) => megabytes / (l.readyMs / 1000));
  const warmReady = modelLoad.warm.map((l) => megabytes / (l.readyMs / 1000));
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
      tokensPerAnswer: perVariant((v) => summarize(tokenPath.rounds.map((r) => r[v].tokens))),
      sameTextEverywhere: tokenPath.sameText,
      constrainedOverFree: summarize(
        pairedRatios(
          tokenPath.constrained.map((p) => p.constrained.decodeTokensPerS),
          tokenPath.constrained.map((p) => p.free.decodeTokensPerS),
        ),
      ),
      constrainedTokensPerS: summarize(tokenPath.constrained.map((p) => p.constrained.decodeTokensPerS)),
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
    },
    memory: {
      cold: memoryRatios(modelLoad.cold, modelBytes),
      warm: memoryRatios(modelLoad.warm, modelBytes),
      method:
        'Sampled every 25 ms from outside the page during createEngine(): main-thread JS heap from CDP Performance.getMetrics ' +
        "(JSHeapUsedSize); resident memory (VmRSS in /proc) of the renderer process and of all this browser's processes. " +
        'Each figure is the peak minus the value just before the load.',
      notMeasured: [
        "JS heap of the workers (ours and wllama's): Performance.getMetrics covers only the page's main thread, and " +
          'measureUserAgentSpecificMemory() needs cross-origin isolation, which changes what is measured. Their memory is inside the renderer RSS.',
        ...(hasProcessMemory ? [] : ['Process memory: /proc is not available on this system.']),
      ],
    },
  };
}
