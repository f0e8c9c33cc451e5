// The one summary every timed figure gets: median of the runs, with min and max beside it.

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median, min and max of `values` (the median of an even count is the mean of the middle two). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`summarize: not a finite number in ${values.join(', ')}`);
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** Element-wise a[i] / b[i]: ratios of runs taken side by side, so noise in one round hits both. */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
  if (numerators.length !== denominators.length) throw new Error('pairedRatios: runs differ in number');
  return numerators.map((n, i) => n / denominators[i]!);
}

/** Element-wise a[i] - b[i]. */
export function pairedDifferences(minuends: readonly number[], subtrahends: readonly number[]): number[] {
  if (minuends.length !== subtrahends.length) throw new Error('pairedDifferences: runs differ in number');
  return minuends.map((m, i) => m - subtrahends[i]!);
}

/** The nearest-rank percentile `p` (0–1) of `values`: the smallest value with at least p of the runs at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile: no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
