import type { HeaderList } from '../model.ts';
import { UnsafeHeaderNames, classOfRequestHeaderName } from './safelist.ts';

/**
 * What a record's request headers say to the CORS check and the rules, read in one pass over the
 * list: the verdict (mode, credentials, page origin, preflight need) and the rule facts (Origin,
 * Access-Control-Request-Method) share it, so a log of 100 000 records reads each list once.
 * Single values are the first line's, as headers.ts headerValue gives them.
 */
export interface SentHeaders {
  readonly secFetchMode: string | null;
  readonly origin: string | null;
  readonly cookie: string | null;
  readonly accessControlRequestMethod: string | null;
  /** corsUnsafeHeaderNames of the list (the list as sent; none when it was not seen). */
  readonly unsafeHeaderNames: readonly string[];
}

const NONE_SENT: SentHeaders = Object.freeze({ secFetchMode: null, origin: null, cookie: null, accessControlRequestMethod: null, unsafeHeaderNames: Object.freeze([]) as readonly string[] });

export function sentHeadersOf(headers: HeaderList | null): SentHeaders {
  if (headers === null || headers.length === 0) return NONE_SENT;
  let secFetchMode: string | null = null;
  let origin: string | null = null;
  let cookie: string | null = null;
  let accessControlRequestMethod: string | null = null;
  const unsafe = new UnsafeHeaderNames();
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index]!;
    const { lowerName, ignored } = classOfRequestHeaderName(header[0]);
    // The four headers read here are all browser-owned, so they never count as unsafe.
    if (!ignored) unsafe.add(lowerName, header[1]);
    else if (lowerName === 'sec-fetch-mode') secFetchMode ??= header[1];
    else if (lowerName === 'origin') origin ??= header[1];
    else if (lowerName === 'cookie') cookie ??= header[1];
    else if (lowerName === 'access-control-request-method') accessControlRequestMethod ??= header[1];
  }
  return { secFetchMode, origin, cookie, accessControlRequestMethod, unsafeHeaderNames: unsafe.names(headers) };
}
