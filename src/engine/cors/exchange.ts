import type { CorsExchange, CorsMode, CredentialsMode, RequestRecord } from '../model.ts';
import { headerValue } from '../headers.ts';

const FETCH_MODES: ReadonlySet<string> = new Set(['cors', 'no-cors', 'navigate', 'same-origin']);

/**
 * The request mode, from what the browser sent. `Sec-Fetch-Mode` is authoritative; without it an
 * `Origin` on a GET/HEAD means CORS mode (no-cors GETs carry no Origin). When the recorder could not
 * see every header, absence proves nothing and the mode is 'unknown'.
 */
export function requestModeOf(record: RequestRecord): CorsMode {
  const headers = record.requestHeaders;
  const secFetchMode = headerValue(headers, 'sec-fetch-mode')?.trim().toLowerCase();
  if (secFetchMode) return FETCH_MODES.has(secFetchMode) ? (secFetchMode as CorsMode) : 'unknown';
  if (record.resourceType === 'main_frame' || record.resourceType === 'sub_frame') return 'navigate';
  const hasOrigin = headerValue(headers, 'origin') !== null;
  const method = record.method.toUpperCase();
  if (hasOrigin) return method === 'GET' || method === 'HEAD' ? 'cors' : 'unknown';
  if (!headers || !record.requestHeadersComplete) return 'unknown';
  return 'no-cors';
}

/** Cookies or Authorization on the wire prove credentials were included; their absence proves nothing. */
export function credentialsModeOf(record: RequestRecord): CredentialsMode {
  const headers = record.requestHeaders;
  if (headerValue(headers, 'cookie') !== null || headerValue(headers, 'authorization') !== null) return 'include';
  return 'unknown';
}

/** Turns a captured record into the exchange the CORS check judges. */
export function exchangeFromRecord(record: RequestRecord): CorsExchange {
  return {
    pageOrigin: record.pageOrigin,
    request: {
      url: record.url,
      method: record.method,
      mode: requestModeOf(record),
      credentials: credentialsModeOf(record),
      headers: record.requestHeaders ?? [],
    },
    redirects: record.redirects.map((hop) => ({ status: hop.status, headers: hop.headers })),
    response:
      record.status === null || record.responseHeaders === null ? null : { status: record.status, headers: record.responseHeaders },
  };
}
