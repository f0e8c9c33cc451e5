// Figure 9 as a Markdown table: the shipped wllama beside the other one, medians over the
// rounds and the other ÷ shipped ratio taken round by round.
import type { Weight } from './entry-weight.js';
import type { Build, BuildSizes, EngineVersionRuns, VersionRound } from './engine-versions.js';
import { pairedRatios, summarize, type Summary } from './stats.js';

const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;

export function renderEngineVersions(runs: EngineVersionRuns): string {
  const { versions: v, sizes, rounds } = runs;
  const lines = [
    `**9. The engine's version**: the library as shipped, on wllama ${v.shipped}, beside the same code built on wllama ${v.other} ` +
      `(\`vite build --mode other-wllama\`), fresh tabs taking turns, ${rounds.length} rounds; the ${(runs.modelBytes / 1e6).toFixed(0)} MB model ` +
      'stored in OPFS, one thread. Ratios are taken round by round; sizes are exact.',
    '',
    `| Figure | wllama ${v.shipped} (shipped) | wllama ${v.other} | ${v.other} ÷ ${v.shipped} (min–max) |`,
    '|---|---|---|---|',
  ];
  const timed = (label: string, pick: (round: VersionRound) => number, format: (value: number) => string): void => {
    const values = (build: Build): number[] => rounds.map((round) => pick(round[build]));
    const ratio: Summary = summarize(pairedRatios(values('other'), values('shipped')));
    lines.push(
      `| ${label} | ${format(summarize(values('shipped')).median)} | ${format(summarize(values('other')).median)} | **${ratio.median.toFixed(3)}** (${ratio.min.toFixed(3)}–${ratio.max.toFixed(3)}) |`,
    );
  };
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  const perByte = (value: number): string => value.toFixed(3);
  timed(
    'large model tok/s, one thread',
    (r) => r.answer.decodeTokensPerS,
    (value) => value.toFixed(1),
  );
  timed('time to ready, tiny model stored (wasm fetched and compiled)', (r) => r.tinyReadyMs, ms);
  timed('warm load of the large model, to ready', (r) => r.warmLoadMs, ms);
  timed('peak renderer memory growth ÷ model bytes, warm load', (r) => (r.memory.rendererRss ?? NaN) / runs.modelBytes, perByte);
  timed('the same a second after the load', (r) => (r.memory.rendererRssSettled ?? NaN) / runs.modelBytes, perByte);
  const sized = (label: string, pick: (s: BuildSizes) => Weight, format: (bytes: number) => string = kB): void => {
    const shipped = pick(sizes.shipped).gzipBytes;
    const other = pick(sizes.other).gzipBytes;
    lines.push(`| ${label}, gzip -9 | ${format(shipped)} | ${format(other)} | **${(other / shipped).toFixed(3)}** |`);
  };
  sized(
    'entry (what the page loads before the element renders)',
    (s) => s.entry,
    (bytes) => `${bytes.toLocaleString('en-US')} bytes`,
  );
  sized('worker script', (s) => s.workerScript);
  sized("wllama's chunk of the worker", (s) => s.wllamaChunk);
  sized("wllama's wasm, default build", (s) => s.wasm);
  sized("wllama's compat build (Safari), code and wasm", (s) => s.compatBuild);
  return lines.join('\n') + '\n';
}
