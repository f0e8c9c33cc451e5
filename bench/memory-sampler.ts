// Figure 7: memory while a model loads, sampled from outside the page every few milliseconds.
//  - the page's JS heap (main thread only) from CDP Performance.getMetrics;
//  - resident memory (RSS) of this browser's processes from /proc (Linux), split into the
//    renderer (page, our worker, wllama's worker and its wasm memory) and the rest (browser
//    process with Blob and IndexedDB storage, network service, GPU process).
import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';

export interface MemoryPeaks {
  /** Peak minus the value just before the load, bytes. */
  mainThreadJsHeap: number;
  rendererRss: number | undefined;
  allProcessesRss: number | undefined;
  /** Renderer RSS growth a second after the work ended (what stays: the loaded model), bytes. */
  rendererRssSettled: number | undefined;
  samples: number;
}

interface ProcessInfo {
  pid: number;
  parent: number;
  isRenderer: boolean;
}

const SAMPLE_INTERVAL_MS = 25;
/** After the work, transient buffers have had time to be collected. */
const SETTLE_MS = 1000;

function processTable(): ProcessInfo[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined; // not Linux: no process memory
  }
  const table: ProcessInfo[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      table.push({ pid: Number(pid), parent, isRenderer: cmdline.includes('--type=renderer') });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

/** The browser launched with `userDataDir` and every process under it. */
function browserProcesses(userDataDir: string): ProcessInfo[] | undefined {
  const table = processTable();
  if (!table) return undefined;
  const root = table.find((p) => {
    try {
      const cmdline = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
      return cmdline.includes(userDataDir) && !cmdline.includes('--type=');
    } catch {
      return false;
    }
  });
  if (!root) return undefined;
  const family = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table) {
      if (!family.has(p.pid) && family.has(p.parent)) {
        family.add(p.pid);
        grew = true;
      }
    }
  }
  return table.filter((p) => family.has(p.pid));
}

function rssBytes(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of every process of the browser launched with `userDataDir`, bytes; undefined off Linux. */
export function browserRss(userDataDir: string): number | undefined {
  return browserProcesses(userDataDir)?.reduce((sum, p) => sum + rssBytes(p.pid), 0);
}

async function jsHeapUsed(session: CDPSession): Promise<number> {
  const { metrics } = await session.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
}

/** Samples memory until `work` settles; returns its result and the peaks above the baseline. */
export async function sampleDuring<T>(
  session: CDPSession,
  userDataDir: string,
  work: () => Promise<T>,
): Promise<{ result: T; peaks: MemoryPeaks }> {
  await session.send('Performance.enable');
  const rss = (): { renderer: number; all: number } | undefined => {
    const processes = browserProcesses(userDataDir);
    if (!processes) return undefined;
    let renderer = 0;
    let all = 0;
    for (const p of processes) {
      const bytes = rssBytes(p.pid);
      all += bytes;
      if (p.isRenderer) renderer += bytes;
    }
    return { renderer, all };
  };
  const baseHeap = await jsHeapUsed(session);
  const baseRss = rss();
  let peakHeap = baseHeap;
  let peakRenderer = baseRss?.renderer ?? 0;
  let peakAll = baseRss?.all ?? 0;
  let samples = 0;

  let done = false;
  const running = work().finally(() => {
    done = true;
  });
  while (!done) {
    const [heap] = await Promise.all([jsHeapUsed(session).catch(() => 0), new Promise((r) => setTimeout(r, SAMPLE_INTERVAL_MS))]);
    const now = rss();
    peakHeap = Math.max(peakHeap, heap);
    if (now) {
      peakRenderer = Math.max(peakRenderer, now.renderer);
      peakAll = Math.max(peakAll, now.all);
    }
    samples += 1;
  }
  const result = await running;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const settled = rss();
  await session.send('Performance.disable');
  return {
    result,
    peaks: {
      mainThreadJsHeap: peakHeap - baseHeap,
      rendererRss: baseRss ? peakRenderer - baseRss.renderer : undefined,
      allProcessesRss: baseRss ? peakAll - baseRss.all : undefined,
      rendererRssSettled: baseRss && settled ? settled.renderer - baseRss.renderer : undefined,
      samples,
    },
  };
}
