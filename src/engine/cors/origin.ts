/** Origin serialization for the CORS engine, with a fast path for the common URL shape. */

/** Plain lower-case http(s) authority with no user info: the shape almost every media URL has. */
const SIMPLE_HTTP_URL = /^(https?):\/\/([a-z0-9.-]+)(?::(\d{1,5}))?(?=[/?#]|$)/;

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
    const simple = SIMPLE_HTTP_URL.exec(url);
    if (simple !== null) {
      const scheme = simple[1] as string;
      const port = simple[3];
      // A URL spelling out its default port serializes without it; let the full parser handle odd ports.
      if (port === undefined) return { origin: simple[0], scheme, hasCredentials: false, href: url };
      if (port !== (scheme === 'http' ? '80' : '443') && port[0] !== '0' && Number(port) <= 65535) return { origin: simple[0], scheme, hasCredentials: false, href: url };
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
    if (NORMALISED_ORIGINS.size < MEMO_LIMIT) NORMALISED_ORIGINS.set(pageOrigin, normalised);
  }
  return normalised;
}

/** A log has a handful of page origins, normalised twice per record: memoised (bounded). */
const MEMO_LIMIT = 1024;
const NORMALISED_ORIGINS = new Map<string, string>();

export function isHttpScheme(scheme: string): boolean {
  return scheme === 'http' || scheme === 'https';
}
