/** Origin serialization for the CORS engine, with a fast path for the common URL shape. */
import { isMemoKey } from '../bounds.ts';

/**
 * Where the origin of a plain http(s) URL ends: lower-case scheme, an authority of [a-z0-9.-] only
 * (no user info), an optional port of 1-5 digits, then `/`, `?`, `#` or the end. -1 for any other
 * shape, which the URL parser handles. Hand-parsed: it runs for every record of a log.
 */
function simpleOriginEnd(url: string): number {
  const hostStart = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (hostStart === -1) return -1;
  let at = hostStart;
  while (at < url.length && isHostChar(url.charCodeAt(at))) at++;
  if (at === hostStart) return -1;
  if (at < url.length && url.charCodeAt(at) === 0x3a) {
    const portStart = at + 1;
    at = portStart;
    while (at < url.length && at - portStart <= 5 && isDigit(url.charCodeAt(at))) at++;
    if (at === portStart || at - portStart > 5) return -1;
  }
  if (at < url.length) {
    const next = url.charCodeAt(at);
    if (next !== 0x2f && next !== 0x3f && next !== 0x23) return -1; // / ? #
  }
  return at;
}

function isHostChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || isDigit(code) || code === 0x2e || code === 0x2d; // a-z 0-9 . -
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export interface UrlFacts {
  /** Serialized origin, 'null' for opaque origins. */
  origin: string;
  /** Scheme without the colon, lower-case. */
  scheme: string;
  hasCredentials: boolean;
  href: string;
}

/** Origin, scheme and user-info of a URL (relative URLs resolve against `base`); null if unparsable. */
export function urlFacts(url: string, base?: string): UrlFacts | null {
  if (base === undefined) {
    const end = simpleOriginEnd(url);
    if (end !== -1) {
      const scheme = url.charCodeAt(4) === 0x73 ? 'https' : 'http';
      // The scheme's colon is before index 6: a colon after it, inside the origin, starts the port.
      const colon = url.indexOf(':', 6);
      if (colon === -1 || colon > end) return { origin: url.slice(0, end), scheme, hasCredentials: false, href: url };
      const port = url.slice(colon + 1, end);
      // A URL spelling out its default port serializes without it; let the full parser handle odd ports.
      if (port !== (scheme === 'http' ? '80' : '443') && port[0] !== '0' && Number(port) <= 65535) return { origin: url.slice(0, end), scheme, hasCredentials: false, href: url };
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return null;
  }
  return {
    origin: parsed.origin,
    scheme: parsed.protocol.slice(0, -1),
    hasCredentials: parsed.username !== '' || parsed.password !== '',
    href: parsed.href,
  };
}

/**
 * A page origin as given (a HAR may carry `https://App.Example/` or a full URL) in its serialized
 * form; 'null' stays 'null', null (unknown) stays null.
 */
export function normalisePageOrigin(pageOrigin: string | null): string | null {
  if (pageOrigin === null || pageOrigin === 'null') return pageOrigin;
  let normalised = NORMALISED_ORIGINS.get(pageOrigin);
  if (normalised === undefined) {
    const facts = urlFacts(pageOrigin);
    normalised = facts === null ? pageOrigin : facts.origin;
    if (NORMALISED_ORIGINS.size < MEMO_LIMIT && isMemoKey(pageOrigin)) NORMALISED_ORIGINS.set(pageOrigin, normalised);
  }
  return normalised;
}

/** A log has a handful of page origins, normalised twice per record: memoised (bounded). */
const MEMO_LIMIT = 1024;
const NORMALISED_ORIGINS = new Map<string, string>();

export function isHttpScheme(scheme: string): boolean {
  return scheme === 'http' || scheme === 'https';
}
