// How busy the machine's cores were while a step ran, from /proc/stat (Linux): the whole
// machine, since a download keeps several processes busy at once (the test server, the
// browser's network service, the page's workers, the kernel writing to disk). A step that keeps
// every core busy is bound by the CPU, whatever else it waits on.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuUse {
  cores: number;
  /** Seconds of core time spent busy (user, system, interrupts), machine-wide. */
  busySeconds: number;
  wallSeconds: number;
}

interface Counters {
  at: number;
  busy: number;
}

/** /proc/stat's first line, in seconds: user nice system idle iowait irq softirq steal … */
function counters(): Counters | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
    return { at: performance.now(), busy: (user + nice + system + irq + softirq) / 100 };
  } catch {
    return undefined; // not Linux
  }
}

const SAMPLE_INTERVAL_MS = 200;

/**
 * Runs `work` with the machine's CPU sampled every 200 ms; `use(fromMs, toMs)` is the CPU used
 * between those times after the start (the first part of a step: a cold load's download and
 * store, before llama.cpp loads), undefined where /proc/stat cannot be read.
 */
export async function sampleCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; use: (fromMs: number, toMs?: number) => CpuUse | undefined }> {
  const startedAt = performance.now();
  const samples: Counters[] = [];
  const take = () => {
    const sample = counters();
    if (sample) samples.push(sample);
  };
  take();
  const timer = setInterval(take, SAMPLE_INTERVAL_MS);
  try {
    const result = await work();
    take();
    const use = (fromMs: number, toMs = Number.POSITIVE_INFINITY): CpuUse | undefined => {
      const within = samples.filter(
        (s) => s.at - startedAt >= fromMs - SAMPLE_INTERVAL_MS / 2 && s.at - startedAt <= toMs + SAMPLE_INTERVAL_MS / 2,
      );
      const first = within[0];
      const last = within.at(-1);
      if (!first || !last || last === first) return undefined;
      return {
        cores: cpus().length,
        busySeconds: last.busy - first.busy,
        wallSeconds: (last.at - first.at) / 1000,
      };
    };
    return { result, use };
  } finally {
    clearInterval(timer);
  }
}
