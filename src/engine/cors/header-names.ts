/**
 * Header-name helpers for the hot paths (every record of a 100 000-record log): the same few dozen
 * names repeat, so lower-casing is memoised, and a lookup skips names of the wrong length before
 * lower-casing them. Both give exactly what `name.toLowerCase()` comparisons give.
 */
import type { HeaderList } from '../model.ts';
import { isMemoKey } from '../bounds.ts';

/**
 * Bound on the memo: a hostile log must not grow it without end. Past it names are lower-cased each
 * time (same results).
 */
const MEMO_LIMIT = 4096;
const LOWER_NAMES = new Map<string, string>();

/** `name.toLowerCase()`, memoised. */
export function lowerCaseName(name: string): string {
  let lower = LOWER_NAMES.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (LOWER_NAMES.size < MEMO_LIMIT && isMemoKey(name)) LOWER_NAMES.set(name, lower);
  }
  return lower;
}

/**
 * Does `name` lower-case to `lowerName` (an ASCII lower-case header name)? Lower-casing changes a
 * string's length only for U+0130 (to "i" + U+0307, not ASCII), so a name of another length never
 * matches and is not lower-cased at all.
 */
export function isHeaderNamed(name: string, lowerName: string): boolean {
  return name === lowerName || (name.length === lowerName.length && lowerCaseName(name) === lowerName);
}

/** The first value of a header, or null: headers.ts headerValue, without lower-casing every other name. */
export function firstHeaderValue(headers: HeaderList | null | undefined, lowerName: string): string | null {
  if (!headers) return null;
  for (const [name, value] of headers) if (isHeaderNamed(name, lowerName)) return value;
  return null;
}
