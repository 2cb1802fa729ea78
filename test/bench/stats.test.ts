/**
 * The bench's interval of a median (scripts/bench/stats.ts): the order statistics a table of the
 * binomial distribution gives, and, drawn from known distributions, a coverage near what it claims.
 */
import { describe, expect, test } from 'vitest';
import { median, medianInterval, summarise } from '../../scripts/bench/stats.ts';

const ranks = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

describe('medianInterval', () => {
  test('the ranks of the binomial table: 6th and 15th of 20, 40th and 61st of 100; none below 6 values', () => {
    expect(medianInterval(ranks(20))).toEqual({ low: 6, high: 15 });
    expect(medianInterval(ranks(100))).toEqual({ low: 40, high: 61 });
    expect(medianInterval(ranks(6))).toEqual({ low: 1, high: 6 });
    expect(medianInterval(ranks(5))).toBeNull();
    expect(medianInterval([])).toBeNull();
  });

  test('it does not depend on the order of the values, and holds the median', () => {
    const values = [1.3, 0.9, 1.1, 1.05, 1.2, 0.95, 1.0, 1.4, 1.02, 1.08, 0.99, 1.15];
    const interval = medianInterval(values)!;
    expect(medianInterval([...values].reverse())).toEqual(interval);
    expect(interval.low).toBeLessThanOrEqual(median(values));
    expect(interval.high).toBeGreaterThanOrEqual(median(values));
  });

  test('over many samples of a skewed distribution, it holds the true median as often as it claims (95.9 % for 20 values)', () => {
    // A seeded generator (xorshift) keeps the test deterministic; log-normal values, true median 1.
    let state = 0x2545f491;
    const uniform = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return ((state >>> 0) + 0.5) / 2 ** 32;
    };
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    let covered = 0;
    const samples = 2000;
    for (let sample = 0; sample < samples; sample++) {
      const interval = medianInterval(Array.from({ length: 20 }, () => Math.exp(0.3 * normal())))!;
      if (interval.low <= 1 && 1 <= interval.high) covered++;
    }
    // The exact coverage for 20 values is 95.9 %; 2000 samples put the count within about ±1 % of it.
    expect(covered / samples).toBeGreaterThan(0.94);
    expect(covered / samples).toBeLessThan(0.98);
  });

  test('summarise carries it when there are enough runs', () => {
    expect(summarise(ranks(20)).interval).toEqual({ low: 6, high: 15 });
    expect(summarise(ranks(3)).interval).toBeUndefined();
  });
});
