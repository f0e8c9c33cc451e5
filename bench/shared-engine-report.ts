// Figure 8 as a Markdown table: medians over the rounds, shared beside per-tab engines.
import type { SharedEngineRuns, Sharing, TabsRun } from './shared-engine.js';
import { summarize } from './stats.js';

const median = (values: number[]): number => summarize(values).median;

export function renderSharedEngine(runs: SharedEngineRuns): string {
  const model = runs.modelBytes;
  const rounds = runs.turns.length / 2;
  const lines = [
    `**8. One engine for the site** (${(model / 1e6).toFixed(0)} MB model, stored; medians of ${rounds} rounds, shared and per-tab engines (\`own-engine\`) alternating). ` +
      'Memory: resident memory of every browser process once every tab is ready and has answered once, over the memory before the first tab opened.',
    '',
    '| Tabs on one model | memory growth, shared | per-tab engines | shared ÷ per-tab | growth ÷ model size, shared | per-tab | last tab ready, shared | per-tab |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const pick = (layout: TabsRun['layout'], count: number, sharing: Sharing) =>
    runs.tabs.filter((r) => r.layout === layout && r.count === count && r.sharing === sharing);
  for (const [layout, count, label] of [
    ['tabs', 1, '1 tab'],
    ['tabs', 2, '2 tabs'],
    ['tabs', 3, '3 tabs'],
    ['elements', 2, '2 elements on one page'],
  ] as const) {
    const shared = pick(layout, count, 'shared');
    const own = pick(layout, count, 'own');
    if (shared.length === 0 || own.length === 0) continue;
    const grow = (rs: TabsRun[]) => median(rs.map((r) => r.rssGrowthBytes));
    const ready = (rs: TabsRun[]) => median(rs.map((r) => r.lastReadyMs));
    lines.push(
      `| ${label} | ${mb(grow(shared))} | ${mb(grow(own))} | **${(grow(shared) / grow(own)).toFixed(2)}** | ${(grow(shared) / model).toFixed(2)}× | ${(grow(own) / model).toFixed(2)}× | ${ready(shared).toFixed(0)} ms | ${ready(own).toFixed(0)} ms |`,
    );
  }
  lines.push('', '| Time to first token of the 10th turn | one tab alone | tab A, taking turns with B | tab B |', '|---|---|---|---|');
  for (const sharing of ['shared', 'own'] as const) {
    const rs = runs.turns.filter((r) => r.sharing === sharing);
    if (rs.length === 0) continue;
    lines.push(
      `| ${sharing === 'shared' ? 'one shared engine' : 'per-tab engines'} | ${median(rs.map((r) => r.aloneMs)).toFixed(0)} ms | ${median(rs.map((r) => r.takingTurnsMs[0])).toFixed(0)} ms | ${median(rs.map((r) => r.takingTurnsMs[1])).toFixed(0)} ms |`,
    );
  }
  return lines.join('\n') + '\n';
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}
