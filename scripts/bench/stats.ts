/** Summaries of repeated measurements: every figure in BENCHMARKS.md is min / median / max of its runs, with the median's 95 % interval. */

export interface Summary {
  min: number;
  median: number;
  max: number;
  runs: number;
  /**
   * 95 % confidence interval of the median (medianInterval), when there are enough runs for one: how
   * far this run's median could be from the one many more runs would give, from this run's spread alone.
   */
  interval?: Interval;
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * A distribution-free confidence interval of the median at `level`: the order statistics x(r) and
 * x(n + 1 − r) of the n values, r the largest rank for which the median lies between them with at least
 * that probability (the count of values below the median is binomial(n, ½), whatever the values'
 * distribution). Null for fewer than 6 values (no such pair reaches 95 %). It covers this run's
 * sampling spread, not a change of the machine between runs.
 */
export function medianInterval(values: readonly number[], level = 0.95): Interval | null {
  const n = values.length;
  // ln k! for k = 0..n: the binomial probabilities in logs, so a thousand runs do not underflow.
  const logFactorial = [0];
  for (let k = 1; k <= n; k++) logFactorial.push(logFactorial[k - 1]! + Math.log(k));
  const probability = (k: number): number => Math.exp(logFactorial[n]! - logFactorial[k]! - logFactorial[n - k]! - n * Math.LN2);
  // Coverage of [x(r), x(n + 1 − r)] (1-based) is P(r ≤ K ≤ n − r) = 1 − 2·P(K ≤ r − 1).
  let below = 0;
  let rank = 0;
  for (let r = 1; 2 * r <= n; r++) {
    below += probability(r - 1);
    if (1 - 2 * below < level) break;
    rank = r;
  }
  if (rank === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { low: sorted[rank - 1]!, high: sorted[n - rank]! };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarise(values: readonly number[]): Summary {
  const interval = medianInterval(values);
  return { min: Math.min(...values), median: median(values), max: Math.max(...values), runs: values.length, ...(interval ? { interval } : {}) };
}

/** Rounds for display and for the JSON line (3 significant decimals at most). */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
