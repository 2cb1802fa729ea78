import type { HeaderList } from './model.ts';
import { lowerCaseName } from './cors/header-names.ts';

/** Whether a header line's name is `name` (given lower-case); the length check spares most lower-casing. */
function isNamed(headerName: string, name: string): boolean {
  return headerName === name || (headerName.length === name.length && headerName.toLowerCase() === name);
}

/** Names must be passed lower-case; values are returned as on the wire. */
export function headerValues(headers: HeaderList | null | undefined, name: string): string[] {
  if (!headers) return [];
  const values: string[] = [];
  for (const [headerName, value] of headers) {
    if (isNamed(headerName, name)) values.push(value);
  }
  return values;
}

/** The first value of a header, or null. */
export function headerValue(headers: HeaderList | null | undefined, name: string): string | null {
  if (!headers) return null;
  for (const [headerName, value] of headers) {
    if (isNamed(headerName, name)) return value;
  }
  return null;
}

/** All values of a header joined the way an HTTP stack combines repeated lines (", "), or null. */
export function combinedHeaderValue(headers: HeaderList | null | undefined, name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 0 ? null : values.join(', ');
}

/**
 * Normalises a webRequest-style header array ({name, value?, binaryValue?}) into a HeaderList with
 * lower-cased names. Binary values (non-UTF-8 bytes) are decoded as Latin-1 so nothing is dropped.
 * Names come from a bounded memo, so the records of a log share one string per name: less heap per
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
