/** Number helpers for rules that summarise whole groups. */

/** Math.max(...values) without spreading (a spread of 100 000 arguments overflows the stack). */
export function maxOf(values: readonly number[]): number {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  return max;
}

export function minOf(values: readonly number[]): number {
  let min = Infinity;
  for (const value of values) min = Math.min(min, value);
  return min;
}
