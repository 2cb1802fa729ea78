/**
 * Header lookup, the one home: every part of the engine, the exports and the views reads a
 * HeaderList through these functions. Names are given lower-case; a list's names are matched in any
 * letter case (the recorder lower-cases them, an imported file may not). Values come back as on the
 * wire.
 */
import type { HeaderList } from './model.ts';
import { Memo } from './memo.ts';

const LOWER_CASE_NAMES = new Memo<string>((name) => name.toLowerCase());

/** `name.toLowerCase()`, memoised: the same few dozen names come back on every record of a log. */
export function lowerCaseName(name: string): string {
  return LOWER_CASE_NAMES.get(name);
}

/**
 * Does `name` lower-case to `lowerName` (an ASCII lower-case header name)? Lower-casing changes a
 * string's length only for U+0130 (to "i" + U+0307, not ASCII), so a name of another length never
 * matches and is not lower-cased at all.
 */
export function isHeaderNamed(name: string, lowerName: string): boolean {
  return name === lowerName || (name.length === lowerName.length && lowerCaseName(name) === lowerName);
}

/** The first value of a header, or null. */
export function headerValue(headers: HeaderList | null | undefined, lowerName: string): string | null {
  if (!headers) return null;
  for (const [name, value] of headers) if (isHeaderNamed(name, lowerName)) return value;
  return null;
}

/** Every value of a header, in wire order. */
export function headerValues(headers: HeaderList | null | undefined, lowerName: string): string[] {
  if (!headers) return [];
  const values: string[] = [];
  for (const [name, value] of headers) if (isHeaderNamed(name, lowerName)) values.push(value);
  return values;
}

/** All values of a header joined the way an HTTP stack combines repeated lines (", "), or null. */
export function combinedHeaderValue(headers: HeaderList | null | undefined, lowerName: string): string | null {
  const values = headerValues(headers, lowerName);
  return values.length === 0 ? null : values.join(', ');
}

/**
 * Normalises a webRequest-style header array ({name, value?, binaryValue?}) into a HeaderList with
 * lower-cased names. Binary values (non-UTF-8 bytes) are decoded as Latin-1 so nothing is dropped.
 * Names come from the memo above, so the records of a log share one string per name: less heap per
 * record, and the engine's name lookups meet the same few strings again and again.
 */
export function normaliseHeaders(
  raw: ReadonlyArray<{ name: string; value?: string; binaryValue?: ArrayLike<number> }> | undefined,
): HeaderList | null {
  if (!raw) return null;
  const list: HeaderList = [];
  for (const header of raw) {
    let value = header.value;
    if (value === undefined && header.binaryValue) value = String.fromCharCode(...Array.from(header.binaryValue));
    list.push([lowerCaseName(header.name), value ?? '']);
  }
  return list;
}

/** The serialized origin of a URL ('scheme://host[:port]'), 'null' for opaque origins, null if unparsable. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.origin;
  } catch {
    return null;
  }
}
