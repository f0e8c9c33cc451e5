// How many threads llama.cpp gets. Threads share the wasm memory, which needs a cross-origin
// isolated page (COOP + COEP: SharedArrayBuffer); elsewhere it runs on one. More threads than
// cores collapse throughput (they spin waiting for each other), so it gets at most the cores
// the browser reports, one left for the page where there are many, and at most 8 (the bench
// measures the gain: `npm run bench`, figure 3).
const MAX_THREADS = 8;

export function threadCount(isolated = self.crossOriginIsolated, cores = navigator.hardwareConcurrency || 1): number {
  if (!isolated) return 1;
  return Math.max(1, Math.min(cores > 4 ? cores - 1 : cores, MAX_THREADS));
}
