// Figure 10, the real size: a GGUF with Llama 3.1 8B's shapes (16 of its 32 layers, 2.56 GB)
// loaded cold (download and store, then load) and warm (from the store), and the 8B-sized MLC
// folder (108 shards, 4.52 GB) downloaded into web-llm's cache; each beside its yardsticks
// measured in the same round: a raw read of the same server from the page, the disk alone
// writing as many bytes, the machine's cores busy during each download (on 2 cores a loopback
// read alone keeps them nearly full), the same downloads over a gigabit link (a shared pace the
// server keeps, /control/link), the store's raw read
// of the stored file, and wllama alone loading the same stored file (with its default warm-up,
// as a page would call it, and without, as the library does), its steps timed from its log.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { ModelRecord } from '../protocol/types.js';
import { ensureRealSizeMlcModel, ensureRealSizeModel, REAL_SIZE_MLC_DIR } from '../test/fixtures/real-size.js';
import { fakeModelLibrary } from '../test/fixtures/mlc-model.js';
import { CDN_ORIGIN } from '../test/server.js';
import { openBenchPage } from './bench-page.js';
import { sampleDuring, type MemoryPeaks } from './memory-sampler.js';
import { sampleCpu, type CpuUse } from './cpu-sampler.js';
import type { LoadRun, WllamaPhasesRun } from './page/protocol.js';
import { measureThreads, type ThreadsRuns } from './threads.js';
import { measureLoadSettings, type LoadSettingsRuns } from './load-settings.js';
import { measureLoraAtRealSize, type LoraSizeRuns } from './lora-size.js';

/** Half the 8B's layers: past 2 GiB, as long to load as the 2.5 GB, and twice as quick to soak. */
export const REAL_SIZE_LAYERS = 16;
/** Threads are measured on 4 of the 8B's layers: every matrix of its real shape, a prefill in tens of seconds, not minutes. */
export const THREADS_LAYERS = 4;
/** A gigabit link, in bytes a second: what the visitor has, and slower than this machine's loopback. */
export const GIGABIT = 125_000_000;
/** A question of about 60 tokens; each run's begins with its own number, so only the system header is cached. */
const QUESTION =
  'describe in a few sentences how a river shapes the valley it runs through over thousands of years, from the mountains where it starts to the sea where it ends, and what lives along it.';

export interface RealSizeRound {
  ggufBytes: number;
  /** The page fetching every byte of the GGUF from the same server. */
  rawFetchMs: number;
  cold: LoadRun;
  warm: LoadRun;
  /** The store's raw read of the stored file (synchronous OPFS reads in a worker). */
  storeReadMs: number;
  /** The disk alone: a worker writing as many bytes to OPFS, 16 MiB at a time, no network (a cold store's bound). */
  diskWriteMs: number;
  /** Memory while the warm load and wllama alone (with and without its warm-up) ran, each in its fresh tab. */
  memory: { warm: MemoryPeaks; alone: MemoryPeaks; aloneNoWarmup: MemoryPeaks };
  /** wllama alone on the same stored file: with llama.cpp's warm-up (its default) and without (the library's setting). */
  alone: WllamaPhasesRun;
  aloneNoWarmup: WllamaPhasesRun;
  mlcBytes: number;
  mlcRawFetchMs: number;
  mlcDownloadMs: number;
  /** The machine's cores while each download ran (the cold load: its download and store only). */
  cpu: { rawFetch?: CpuUse; coldStore?: CpuUse; diskWrite?: CpuUse; mlcRawFetch?: CpuUse; mlcDownload?: CpuUse };
  /** The same downloads over a gigabit link (GIGABIT, shared by every request of the step). */
  gigabit: { rawFetchMs: number; coldStoreMs: number; mlcRawFetchMs: number; mlcDownloadMs: number };
}

export interface RealSizeRuns {
  layers: number;
  rounds: RealSizeRound[];
  /** Threads at the 8B's shapes (THREADS_LAYERS of its layers: the same matrices, quicker rounds). */
  threads: ThreadsRuns & { layers: number };
  /** Batch sizes and flash attention, at THREADS_LAYERS of the 8B's layers, one thread. */
  settings?: LoadSettingsRuns;
  /** A rank-16 LoRA adapter of the 8B's shapes on the THREADS_LAYERS model, through createEngine(). */
  lora?: LoraSizeRuns;
}

interface Shard {
  dataPath: string;
  nbytes: number;
}

/** The MLC folder's record, and every URL (with its size) its download fetches. */
function mlcModel(origin: string): { record: ModelRecord; urls: string[]; bytes: number } {
  const url = `${origin}/mlc/real-size-8b`;
  const main = join(REAL_SIZE_MLC_DIR, 'resolve/main');
  const shards = (JSON.parse(readFileSync(join(main, 'tensor-cache.json'), 'utf8')) as { records: Shard[] }).records;
  const files = ['mlc-chat-config.json', 'tensor-cache.json', 'tokenizer.json', ...shards.map((s) => s.dataPath)];
  const bytes = files.reduce((sum, name) => sum + readFileSync(join(main, name)).length, 0);
  return {
    // The library from the other loopback name: web-llm fetches one on localhost itself.
    record: {
      id: 'bench-real-size-mlc',
      engine: 'web-llm',
      url,
      modelLib: `${CDN_ORIGIN}/mlc/real-size-8b/model-lib.wasm`,
      label: 'bench-real-size-mlc',
    },
    urls: files.map((name) => `${url}/resolve/main/${name}`),
    bytes,
  };
}

export async function measureRealSize(
  context: BrowserContext,
  userDataDir: string,
  origin: string,
  wasmUrl: string,
  rounds: number,
  log: (step: string) => void = () => {},
  /** Only the loads and downloads (the per-token steps take most of the figure's time). */
  loadsOnly = false,
): Promise<RealSizeRuns> {
  await ensureRealSizeMlcModel();
  const library = join(REAL_SIZE_MLC_DIR, 'model-lib.wasm'); // no real one: the load after the download fails
  if (!existsSync(library)) writeFileSync(library, fakeModelLibrary());
  const gguf = await realSizeRecord(origin, REAL_SIZE_LAYERS, 'bench-real-size');
  const ggufBytes = gguf.sizeBytes!;
  const mlc = mlcModel(origin);

  // Each step in a fresh tab, as a visit would be.
  const inTab = async <T>(step: (page: Awaited<ReturnType<typeof openBenchPage>>) => Promise<T>): Promise<T> => {
    const page = await openBenchPage(context);
    try {
      return await step(page);
    } finally {
      await page.close();
    }
  };
  const clearStorage = () =>
    inTab(async (page) => {
      const session = await context.newCDPSession(page);
      await session.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb,file_systems,cache_storage' });
      await session.detach();
    });
  // A step's memory, sampled from outside the browser while it runs (figure 7's way).
  const sampled = <T>(page: Awaited<ReturnType<typeof openBenchPage>>, work: () => Promise<T>) =>
    context.newCDPSession(page).then(async (session) => {
      try {
        return await sampleDuring(session, userDataDir, work);
      } finally {
        await session.detach();
      }
    });
  /** A load through createEngine() in a fresh tab; the warm one's memory is sampled (sampling costs a cold store CPU). */
  const load = (record: ModelRecord, sampleMemory = false) =>
    inTab(async (page) => {
      const run = () => sampleCpu(() => page.evaluate((r) => window.bench.loadWithEngine(r), record));
      const { result: cpu, peaks } = sampleMemory ? await sampled(page, run) : { result: await run(), peaks: undefined };
      await page.evaluate(() => window.bench.unloadEngine());
      return { run: cpu.result, memory: peaks, storeCpu: cpu.use(0, cpu.result.storeMs) };
    });
  const withCpu = async <T>(work: () => Promise<T>): Promise<[T, CpuUse | undefined]> => {
    const { result, use } = await sampleCpu(work);
    return [result, use(0)];
  };
  const rawFetch = (urls: string[]) => inTab((page) => page.evaluate((u) => window.bench.rawFetch(u), urls));
  const mlcDownload = () => inTab((page) => page.evaluate((r) => window.bench.mlcDownload(r), mlc.record));
  const link = async (rate: number) => void (await fetch(`${origin}/control/link?rate=${rate}`));

  const runs: RealSizeRuns = { layers: REAL_SIZE_LAYERS, rounds: [], threads: { layers: THREADS_LAYERS, cores: 0, rounds: [] } };
  for (let round = 0; round < rounds; round++) {
    log(`10 the real size, round ${round + 1} of ${rounds}: raw read, cold, warm, wllama alone, the MLC folder; then over a gigabit link`);
    await clearStorage();
    settleDisk();
    const [rawFetchMs, rawFetchCpu] = await withCpu(() => rawFetch([gguf.url]));
    const { run: cold, storeCpu: coldStoreCpu } = await load(gguf);
    if (!cold.downloaded) throw new Error('a real-size cold load did not download: storage was not emptied');
    const { run: warm, memory: warmMemory } = await load(gguf, true);
    if (!warmMemory) throw new Error('the warm load was not sampled');
    if (warm.downloaded) throw new Error('a real-size warm load downloaded again');
    const storeReadMs = await inTab((page) => page.evaluate((id) => window.bench.storeRawRead(id), gguf.id));
    const phases = (warmup: boolean) =>
      inTab((page) =>
        sampled(page, () =>
          page.evaluate(({ r, wasm, warmup }) => window.bench.wllamaPhases(r, wasm, warmup), { r: gguf, wasm: wasmUrl, warmup }),
        ),
      );
    const { result: alone, peaks: aloneMemory } = await phases(true);
    const { result: aloneNoWarmup, peaks: aloneNoWarmupMemory } = await phases(false);
    await clearStorage(); // the disk alone writes as much, with the stored model out of the way
    settleDisk();
    const [diskWriteMs, diskWriteCpu] = await withCpu(() =>
      inTab((page) => page.evaluate((bytes) => window.bench.diskWrite(bytes), ggufBytes)),
    );
    const [mlcRawFetchMs, mlcRawFetchCpu] = await withCpu(() => rawFetch(mlc.urls));
    const [mlcDownloadMs, mlcDownloadCpu] = await withCpu(mlcDownload);

    // Over a gigabit link: the same steps, the server keeping one shared pace.
    await clearStorage();
    settleDisk();
    await link(GIGABIT);
    let gigabit: RealSizeRound['gigabit'];
    try {
      const rawFetchMs = await rawFetch([gguf.url]);
      const cold = (await load(gguf)).run;
      await clearStorage();
      settleDisk();
      const mlcRawFetchMs = await rawFetch(mlc.urls);
      gigabit = { rawFetchMs, coldStoreMs: cold.storeMs, mlcRawFetchMs, mlcDownloadMs: await mlcDownload() };
    } finally {
      await link(0);
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    log(
      `   GGUF: raw ${s(rawFetchMs)}, cold store ${s(cold.storeMs)}, warm ${s(warm.readyMs)}, disk alone ${s(diskWriteMs)}, alone ${s(alone.readyMs)} (no warm-up ${s(aloneNoWarmup.readyMs)}); MLC: raw ${s(mlcRawFetchMs)}, download ${s(mlcDownloadMs)}; gigabit: raw ${s(gigabit.rawFetchMs)}, cold store ${s(gigabit.coldStoreMs)}, MLC raw ${s(gigabit.mlcRawFetchMs)}, MLC download ${s(gigabit.mlcDownloadMs)}`,
    );
    runs.rounds.push({
      ggufBytes,
      rawFetchMs,
      cold,
      warm,
      storeReadMs,
      diskWriteMs,
      memory: { warm: warmMemory, alone: aloneMemory, aloneNoWarmup: aloneNoWarmupMemory },
      alone,
      aloneNoWarmup,
      mlcBytes: mlc.bytes,
      mlcRawFetchMs,
      mlcDownloadMs,
      cpu: {
        rawFetch: rawFetchCpu,
        coldStore: coldStoreCpu,
        diskWrite: diskWriteCpu,
        mlcRawFetch: mlcRawFetchCpu,
        mlcDownload: mlcDownloadCpu,
      },
      gigabit,
    });
  }
  await clearStorage();
  if (loadsOnly) return runs;

  log(`10 the real size, threads: ${THREADS_LAYERS} of the 8B's layers, one thread and every core, ${rounds} rounds`);
  runs.threads = await measureThreadsAtRealSize(context, origin, rounds);
  log(`10 the real size, load settings: batch sizes and flash attention, ${THREADS_LAYERS} of the 8B's layers, ${rounds} rounds`);
  const threadsRecord = await realSizeRecord(origin, THREADS_LAYERS, 'bench-real-size-settings');
  // About 400 tokens: several of n_ubatch 128's micro-batches, one of the default 512.
  runs.settings = await measureLoadSettings(context, threadsRecord, wasmUrl, { rounds, question: Array(6).fill(QUESTION).join(' ') });
  // Each answer's prompt is read in full at least twice here (about 25 s apiece at these shapes, one thread).
  log(`10 the real size, a LoRA adapter: rank 16 on every matrix of ${THREADS_LAYERS} of the 8B's layers, ${rounds} rounds`);
  runs.lora = await measureLoraAtRealSize(context, threadsRecord, THREADS_LAYERS, {
    rounds,
    question: 'how does a river shape its valley?',
  });
  await clearStorage();
  return runs;
}

/** The GGUF with the 8B's shapes and `layers` layers (generated if missing), as a record served from `origin`. */
async function realSizeRecord(origin: string, layers: number, id: string): Promise<ModelRecord> {
  await ensureRealSizeModel(layers);
  const url = `${origin}/models/real-size/llama3-8b-${layers}l.gguf`;
  const sizeBytes = Number((await fetch(url, { method: 'HEAD' })).headers.get('content-length'));
  return { id, engine: 'wllama', url, label: id, sizeBytes, contextLength: 2048 };
}

async function measureThreadsAtRealSize(context: BrowserContext, origin: string, rounds: number): Promise<RealSizeRuns['threads']> {
  const record = await realSizeRecord(origin, THREADS_LAYERS, 'bench-real-size-threads');
  // Each run its own question (only the system header is cached); no warm-up: a prefill here takes half a minute.
  const runs = await measureThreads(context, record, { rounds, prompt: (run) => `${run}: ${QUESTION}`, maxTokens: 8, warmup: false });
  return { layers: THREADS_LAYERS, ...runs };
}

/**
 * Writes out what the steps before left for the disk to write, so that the cold store and the disk
 * alone each begin with none: the kernel holds a writer back to the disk's speed once enough is
 * waiting, and without this each measured what the step before it had written too.
 */
function settleDisk(): void {
  try {
    execFileSync('sync');
  } catch {
    // no sync here: the figures carry that noise
  }
}
