/**
 * Values that go into the shell commands CORS Lens prints (curl lines, Check steps), taken from URLs
 * and headers that a page, a server or an imported file controls. Each is checked against its real
 * syntax; one that fails becomes a placeholder the user fills in by hand, never a guess. Quoting is
 * shell.ts's job (shellCommand); this keeps the values honest, so that an "origin" on the line is an
 * origin and a header name is a header name. docs/commands.md lists the rules.
 */
import { isHttpToken } from './cors/safelist.ts';

/** Sent as Origin when the page origin is unknown or not an origin: a curl line never goes out without Origin. */
export const PLACEHOLDER_ORIGIN = 'https://your-site.example';
/** Stands for a URL that is not http(s) (or does not parse): there is no server to ask. */
export const PLACEHOLDER_URL = '<url>';

/** Far above any real origin (a DNS name is at most 253 characters); longer text is not looked at. */
const MAX_ORIGIN_CHARS = 2048;

/**
 * A serialized http(s) tuple origin: lower-case scheme, a DNS name, IPv4 or bracketed IPv6 address, an
 * optional port. The URL parser lets `;`, `$`, `'` and the like through in host names; no DNS name
 * holds them. Labels are separated by single dots, so matching is linear.
 */
const HTTP_ORIGIN = /^https?:\/\/(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * The serialized origin (`scheme://host[:port]`) of an http(s) origin or URL — `https://App.Example/`
 * gives `https://app.example` — or null when the text is none (opaque, another scheme, user-info, a
 * host no DNS name can be).
 */
export function httpOriginOf(text: string | null): string | null {
  if (text === null || text.length > MAX_ORIGIN_CHARS) return null;
  const url = parsedUrl(text);
  if (url === null || url.username !== '' || url.password !== '') return null;
  return HTTP_ORIGIN.test(url.origin) ? url.origin : null;
}

function parsedUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * The Origin a curl line sends: the first candidate that is an http(s) origin, or `null` when that is
 * what the page had (an opaque origin sends `Origin: null`), otherwise the placeholder.
 */
export function requestOriginOf(...candidates: ReadonlyArray<string | null>): string {
  for (const candidate of candidates) {
    const trimmed = candidate?.trim() ?? null;
    if (trimmed === 'null') return 'null';
    const origin = httpOriginOf(trimmed);
    if (origin !== null) return origin;
  }
  return PLACEHOLDER_ORIGIN;
}

/**
 * An http(s) URL as a command takes it: parsed and serialized (so no spaces or control characters),
 * without the fragment, which never goes on the wire. Null for anything else.
 */
export function httpUrlOf(text: string): URL | null {
  const url = parsedUrl(text);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  url.hash = '';
  return url;
}

/** The href of httpUrlOf, or the placeholder. */
export function commandUrlOf(text: string): string {
  return httpUrlOf(text)?.href ?? PLACEHOLDER_URL;
}

/**
 * Characters no HTTP field value holds (RFC 9110 §5.5: tab is the only control allowed): C0 controls
 * but tab, DEL, C1 controls (U+0085 breaks lines in some editors) and the Unicode line separators.
 */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const NOT_IN_FIELD_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A field value as a command sends it: without the characters no field value may hold, trimmed. */
export function fieldValueOf(value: string): string {
  return value.replace(NOT_IN_FIELD_VALUE, '').trim();
}

/** Only a header name that is an RFC 9110 token can be sent; any other is left out (an empty list). */
export function headerArgs(name: string, value: string): string[] {
  return isHttpToken(name) ? ['-H', `${name}: ${fieldValueOf(value)}`] : [];
}

/** How every curl line CORS Lens prints starts: errors shown, response headers printed, body discarded. */
export const CURL_HEADERS_ONLY: readonly string[] = ['curl', '-sS', '-D', '-', '-o', '/dev/null'];
