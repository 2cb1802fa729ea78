/**
 * The linear-time equivalents vendors.ts compiles in place of signature patterns that backtrack
 * quadratically: each still names a pattern of signatures.json (a new reference must be looked at
 * again), and each matches exactly the values the original matches.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import signatureData from '../../../src/engine/cdn/signatures.json' with { type: 'json' };
import { LINEAR_EQUIVALENTS } from '../../../src/engine/cdn/vendors.ts';

interface Raw {
  identify: Array<{ regex: string; flags: string }>;
  cache_status: Array<{ values: Record<string, string>; flags: string }>;
  pop: Array<{ regex: string | null }>;
}

/** Every pattern of signatures.json with its flags. */
const PATTERNS: Array<{ source: string; flags: string }> = (signatureData as Raw[]).flatMap((vendor) => [
  ...vendor.identify.map((entry) => ({ source: entry.regex, flags: entry.flags })),
  ...vendor.cache_status.flatMap((entry) => Object.values(entry.values).map((source) => ({ source, flags: entry.flags }))),
  ...vendor.pop.flatMap((entry) => (entry.regex === null ? [] : [{ source: entry.regex, flags: '' }])),
]);

/**
 * Pieces the values are made of: the pattern's literal runs (split at its regex syntax, so
 * `"Netlify Edge";` and `fwd=` stay whole), in other cases too, and separators.
 */
function piecesOf(source: string): string[] {
  const literals = source.split(/[[\]()|*+?^$]+/).filter((piece) => piece !== '');
  return [...new Set([...literals, ...literals.map((piece) => piece.toUpperCase()), ...literals.map((piece) => piece.toLowerCase()), ',', ', ', ';', ' ', '"', '=', 'x'])];
}

/** Values as CDNs send them (and near misses), per replaced pattern. */
const FIELD_SAMPLES: ReadonlyMap<string, readonly string[]> = new Map([
  [
    '"Netlify Edge";[^,]*fwd=(miss|uri-miss|vary-miss|request|method|partial)',
    [
      '"Netlify Edge"; fwd=miss',
      '"Netlify Edge"; hit',
      '"Netlify Durable"; fwd=uri-miss; stored, "Netlify Edge"; fwd=miss',
      '"Netlify Edge"; fwd=stale, "Netlify Durable"; hit',
      'Other; fwd=miss, "Netlify Edge"; fwd=vary-miss',
      '"netlify edge"; FWD=MISS',
      '"Netlify Edge"; "Netlify Edge"; fwd=request',
      '"Netlify Edge", fwd=miss',
      'fwd=miss; "Netlify Edge";',
      '',
    ],
  ],
]);

describe('linear equivalents of signature patterns', () => {
  test('there is one, and each replaces a pattern signatures.json has', () => {
    expect(LINEAR_EQUIVALENTS.size).toBeGreaterThan(0);
    const sources = new Set(PATTERNS.map((pattern) => pattern.source));
    for (const original of LINEAR_EQUIVALENTS.keys()) expect(sources, original).toContain(original);
  });

  for (const [original, equivalent] of LINEAR_EQUIVALENTS) {
    const { flags } = PATTERNS.find((pattern) => pattern.source === original)!;
    const before = new RegExp(original, flags);
    const after = new RegExp(equivalent, flags);

    test(`${original} matches the same values as before`, () => {
      const pieces = piecesOf(original);
      let matched = 0;
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 10 }), (parts) => {
          const value = parts.join('');
          const expected = before.test(value);
          if (expected) matched++;
          expect(after.test(value)).toBe(expected);
        }),
        { numRuns: 5_000 },
      );
      // Not vacuous: many of the values match (and many do not).
      expect(matched).toBeGreaterThan(100);
      expect(matched).toBeLessThan(4_900);
      // 5 000 runs take ~1 s; a loaded 2-core machine can make that many times longer.
    }, 60_000);

    test(`${original}: values from the field match as before`, () => {
      const samples = FIELD_SAMPLES.get(original);
      expect(samples, 'each equivalent needs samples from the field').toBeDefined();
      for (const sample of samples!) expect(after.test(sample), sample).toBe(before.test(sample));
      expect(samples!.filter((sample) => after.test(sample)).length).toBeGreaterThan(2);
    });
  }
});
