/** Summaries of repeated measurements: every figure in BENCHMARKS.md is min / median / max of its runs. */

export interface Summary {
  min: number;
  median: number;
  max: number;
  runs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarise(values: readonly number[]): Summary {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values), runs: values.length };
}

/** Rounds for display and for the JSON line (3 significant decimals at most). */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
