/**
 * The single-range safelist as Chromium 156 and Firefox ship it (Fetch "parse a single range header
 * value", allowWhitespace false; Chromium cors.cc, Firefox nsContentUtils::ParseSingleRangeRequest):
 * bytes=N- and bytes=N-M (N ≤ M) need no preflight; a suffix, several ranges, another casing of the
 * unit, spaces or a position that does not fit a 64-bit integer do. The browser-measured rows are in
 * test/e2e/cors-differential/cases.ts (range-*).
 */
import { describe, expect, test } from 'vitest';
import { corsUnsafeHeaderNames } from '../../../src/engine/cors/safelist.ts';

const needsPreflight = (value: string) => corsUnsafeHeaderNames([['range', value]]).includes('range');

describe('Range: the single-range safelist', () => {
  test.each([
    ['bytes=0-', false],
    ['bytes=0-1023', false],
    ['bytes=0-0', false],
    ['bytes=4096-', false],
    ['bytes=007-9', false],
    ['bytes=9223372036854775806-', false],
    ['bytes=-500', true],
    ['bytes=0-99,200-299', true],
    ['Bytes=0-', true],
    ['BYTES=0-', true],
    ['bytes = 0-99', true],
    ['bytes=0- 99', true],
    ['bytes=200-100', true],
    ['bytes=', true],
    ['items=0-9', true],
    // Past a 64-bit integer the browsers' parsers fail; equal as doubles, these are not N ≤ M.
    // Chromium 156 preflights a position of exactly 2^63 − 1 (measured in test/e2e/cors-differential).
    ['bytes=9223372036854775807-', true],
    ['bytes=0-9223372036854775807', true],
    ['bytes=9223372036854775808-', true],
    ['bytes=99999999999999999999-', true],
    ['bytes=9007199254740993-9007199254740992', true],
    ['bytes=9007199254740992-9007199254740993', false],
  ])('%s → preflight %s', (value, expected) => {
    expect(needsPreflight(value)).toBe(expected);
  });
});
