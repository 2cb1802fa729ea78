import type { CorsExchange, CorsMode, CorsVerdict, CredentialsMode, HeaderList, RequestRecord } from '../model.ts';
import type { PreparedExchange } from './evaluate.ts';
import { chromiumOutcomesByCredentials, evaluatePrepared, prepareExchange } from './evaluate.ts';
import { headerValue } from '../headers.ts';
import { recordPageOrigin } from '../page-origin.ts';
import type { SentHeaders } from './sent-headers.ts';
import { sentHeadersOf } from './sent-headers.ts';
import { accessFieldsOfLines } from './access.ts';
import { LOCAL_NETWORK_ACCESS_ERROR } from './blocked-before-sending.ts';
import type { RecordHeaderReading } from '../record-headers.ts';

/**
 * From a passively captured record to the exchange the CORS check judges. Capture sees what went
 * over the wire, not the fetch() call: mode and credentials are read from the headers the browser
 * sent, and left 'unknown' where those headers prove nothing (docs/capture.md#extraheaders).
 */

/** The browsers' errors for a response withheld from the page for a resource policy (CORP, under the page's COEP). */
const RESPONSE_POLICY_ERRORS: ReadonlySet<string> = new Set(['net::ERR_BLOCKED_BY_RESPONSE', 'NS_ERROR_DOM_CORP_FAILED', 'NS_ERROR_DOM_COEP_FAILED']);

const FETCH_MODES: ReadonlySet<string> = new Set(['cors', 'no-cors', 'navigate', 'same-origin']);

/**
 * The request mode, from what the browser sent. `Sec-Fetch-Mode` is authoritative; without it an
 * `Origin` on a GET/HEAD means CORS mode (no-cors GETs carry no Origin; a no-cors POST does, so
 * Origin proves nothing there). When the recorder could not see every header, absence proves nothing.
 */
export function requestModeOf(record: RequestRecord): CorsMode {
  return modeFrom(record, sentHeadersOf(record.requestHeaders));
}

function modeFrom(record: RequestRecord, sent: SentHeaders): CorsMode {
  const secFetchMode = sent.secFetchMode?.trim().toLowerCase();
  if (secFetchMode) {
    if (secFetchMode === 'websocket') return 'unknown';
    return FETCH_MODES.has(secFetchMode) ? (secFetchMode as CorsMode) : 'unknown';
  }
  if (record.resourceType === 'main_frame' || record.resourceType === 'sub_frame') return 'navigate';
  const method = record.method.toUpperCase();
  if (sent.origin !== null) return method === 'GET' || method === 'HEAD' ? 'cors' : 'unknown';
  if (!record.requestHeaders || !record.requestHeadersComplete) return 'unknown';
  // A complete list without Origin: a GET/HEAD that is either no-cors or same-origin; both need no CORS.
  return method === 'GET' || method === 'HEAD' ? 'no-cors' : 'unknown';
}

/**
 * A Cookie on a cross-origin request proves credentials mode 'include' (cookies go cross-origin only
 * then). Nothing on the wire proves 'omit' or 'same-origin': a host may simply have no cookies, and
 * a script sets Authorization whatever the credentials mode. So absence stays 'unknown', and the
 * engine answers 'unknown' only where the outcome depends on it.
 */
export function credentialsModeOf(record: RequestRecord): CredentialsMode {
  return credentialsFrom(record, sentHeadersOf(record.requestHeaders));
}

/**
 * A capture made outside a browser (curl, a proxy's or an API client's HAR: browser 'unknown') sent
 * exactly what it lists, so no Cookie there means no credentials; the browser's own captures prove
 * nothing by an absent Cookie (see above).
 */
function credentialsFrom(record: RequestRecord, sent: SentHeaders): CredentialsMode {
  if (sent.cookie !== null) return 'include';
  return record.browser === 'unknown' && record.requestHeaders !== null && record.requestHeadersComplete ? 'omit' : 'unknown';
}

/** What an OPTIONS record asks as a CORS preflight: the Origin, the method and the header names it asks to send. */
export interface PreflightAsk {
  readonly origin: string;
  readonly method: string;
  /** Access-Control-Request-Headers, lower-cased, sorted, as the browser sends it. */
  readonly unsafeHeaderNames: readonly string[];
}

/** The preflight question an OPTIONS record asks; null when it is no preflight (no Origin or no Access-Control-Request-Method). */
export function preflightAskOf(record: RequestRecord): PreflightAsk | null {
  if (record.method.toUpperCase() !== 'OPTIONS') return null;
  const origin = headerValue(record.requestHeaders, 'origin');
  const method = headerValue(record.requestHeaders, 'access-control-request-method')?.trim();
  if (origin === null || !method) return null;
  const requested = headerValue(record.requestHeaders, 'access-control-request-headers') ?? '';
  const names = new Set<string>();
  for (const name of requested.split(',')) {
    const lowerName = name.trim().toLowerCase();
    if (lowerName !== '') names.add(lowerName);
  }
  return { origin, method, unsafeHeaderNames: [...names].sort() };
}

/** A redirect hop's headers with its Location, which the recorder keeps apart as redirectUrl. */
function hopHeaders(headers: HeaderList, redirectUrl: string): HeaderList {
  if (headerValue(headers, 'location') !== null || redirectUrl === '') return headers;
  return [...headers, ['location', redirectUrl]];
}

/**
 * Finds the OPTIONS request the browser sent for `record` (same tab, URL and requested method): the
 * latest one that started before `record` ended. Chromium starts the real request first (its
 * onBeforeRequest, DevTools' startedDateTime) and the preflight after, so "started before the real
 * request" misses every preflight Chromium reports. For callers holding the whole log.
 */
export function findPreflightRecord(record: RequestRecord, records: readonly RequestRecord[]): RequestRecord | null {
  if (record.method.toUpperCase() === 'OPTIONS') return null;
  const firstUrl = record.redirects[0]?.url ?? record.url;
  let best: RequestRecord | null = null;
  for (const candidate of records) {
    if (candidate === record || candidate.method !== 'OPTIONS' || candidate.tabId !== record.tabId || candidate.url !== firstUrl) continue;
    const requestedMethod = headerValue(candidate.requestHeaders, 'access-control-request-method');
    if (requestedMethod !== null && requestedMethod.trim() !== record.method) continue;
    if (candidate.timings.start > (record.timings.end ?? record.timings.start)) continue;
    if (best === null || candidate.timings.start > best.timings.start) best = candidate;
  }
  return best;
}

/**
 * The exchange as captured, credentials mode as the headers prove it. `fallbackPageOrigin` stands in
 * when neither the recorder nor the request's Origin says which page sent it (e.g. a HAR's page).
 */
function capturedExchange(record: RequestRecord, sent: SentHeaders, preflightRecord: RequestRecord | null | undefined, fallbackPageOrigin: string | null | undefined): CorsExchange {
  // Only a CORS request is preflighted: its OPTIONS proves the mode and the Origin when the real
  // request's own headers were not seen (a request the preflight stopped shows provisional headers).
  const ask = preflightRecord ? preflightAskOf(preflightRecord) : null;
  let mode = modeFrom(record, sent);
  if (mode === 'unknown' && ask !== null && !isComplete(record)) mode = 'cors';
  const exchange: CorsExchange = {
    pageOrigin: recordPageOrigin(record, sent.origin) ?? (ask !== null && mode === 'cors' ? recordPageOrigin(preflightRecord!, ask.origin) : null) ?? (fallbackPageOrigin ? fallbackPageOrigin : null),
    request: {
      // RedirectHop.url is the URL that answered with the redirect, so the first hop holds the original URL.
      url: record.redirects[0]?.url ?? record.url,
      method: record.method,
      mode,
      credentials: credentialsFrom(record, sent),
      headers: record.requestHeaders ?? [],
    },
    redirects: record.redirects.map((hop) => ({ status: hop.status, headers: hopHeaders(hop.headers, hop.redirectUrl) })),
    response:
      record.status === null || record.responseHeaders === null ? null : { status: record.status, headers: record.responseHeaders },
  };
  if (record.browser === 'chromium' && record.state === 'error' && record.error === 'net::ERR_ABORTED') exchange.ending = 'cancelled';
  if (exchange.response !== null && record.error !== null && RESPONSE_POLICY_ERRORS.has(record.error)) exchange.ending = 'blocked-by-response-policy';
  if (record.browser === 'chromium' && record.error === LOCAL_NETWORK_ACCESS_ERROR && exchange.response === null) {
    exchange.ending = 'local-network-blocked';
    exchange.fromTopFrame = record.frameId === 0;
  }
  if (preflightRecord && preflightRecord.status !== null && preflightRecord.responseHeaders !== null) {
    exchange.preflight = { status: preflightRecord.status, headers: preflightRecord.responseHeaders };
  }
  // A preflight seen decides the request (its failure stops the request too), so only a bare abort counts.
  if (record.browser === 'firefox' && record.error === 'NS_BINDING_ABORTED' && exchange.response === null && !preflightRecord) exchange.ending = 'cancelled';
  return exchange;
}

function isComplete(record: RequestRecord): boolean {
  return record.requestHeaders !== null && record.requestHeadersComplete;
}

/**
 * The CORS-unsafe header names of the real request: those its headers show, or, when they were not
 * all seen, those its preflight asked for (the browser lists exactly those in Access-Control-Request-Headers).
 */
function unsafeHeaderNamesOf(record: RequestRecord, sent: SentHeaders, preflightRecord: RequestRecord | null | undefined): readonly string[] {
  if (isComplete(record) || !preflightRecord) return sent.unsafeHeaderNames;
  const ask = preflightAskOf(preflightRecord);
  if (ask === null) return sent.unsafeHeaderNames;
  return [...new Set([...sent.unsafeHeaderNames, ...ask.unsafeHeaderNames])].sort();
}

/**
 * The verdict on an OPTIONS record that is a preflight, judged on its own: Chromium's Preflight…
 * names when its answer fails the check for the request it asks about. `followed`: a real request
 * for it got a response, which proves the browser accepted the answer under the request's credentials mode.
 */
function verdictOfPreflightRecord(record: RequestRecord, ask: PreflightAsk, fallbackPageOrigin: string | null | undefined, followed: boolean): CorsVerdict {
  const exchange: CorsExchange = {
    pageOrigin: recordPageOrigin(record, ask.origin) ?? (fallbackPageOrigin ? fallbackPageOrigin : null),
    request: { url: record.url, method: ask.method, mode: 'cors', credentials: 'unknown', headers: [] },
    redirects: [],
    response: null,
  };
  if (record.status !== null && record.responseHeaders !== null) exchange.preflight = { status: record.status, headers: record.responseHeaders };
  const prepared = prepareExchange(exchange, ask.unsafeHeaderNames, undefined, true);
  if (followed) {
    const outcomes = chromiumOutcomesByCredentials(prepared);
    if (outcomes.withoutCredentials === 'pass' && outcomes.withCredentials !== 'pass') exchange.request.credentials = 'same-origin';
    else if (outcomes.withCredentials === 'pass' && outcomes.withoutCredentials !== 'pass') exchange.request.credentials = 'include';
  }
  return evaluatePrepared(prepared);
}

/** Turns a captured record (and the OPTIONS record before it, when known) into the exchange the CORS check judges. */
export function exchangeFromRecord(record: RequestRecord, preflightRecord?: RequestRecord | null, fallbackPageOrigin?: string | null): CorsExchange {
  const sent = sentHeadersOf(record.requestHeaders);
  const exchange = capturedExchange(record, sent, preflightRecord, fallbackPageOrigin);
  if (exchange.request.credentials === 'unknown') exchange.request.credentials = credentialsChromiumImplies(record, prepareExchange(exchange, unsafeHeaderNamesOf(record, sent, preflightRecord)));
  return exchange;
}

/**
 * evaluateCors(exchangeFromRecord(…)) with the exchange prepared once: the judgements that infer the
 * credentials mode are the ones the verdict then reuses. With `reading` (of this record's headers),
 * the headers are not read again.
 */
export function verdictOfRecord(record: RequestRecord, preflightRecord?: RequestRecord | null, fallbackPageOrigin?: string | null, reading?: RecordHeaderReading, followed = false): CorsVerdict {
  const ask = preflightAskOf(record);
  if (ask !== null) return verdictOfPreflightRecord(record, ask, fallbackPageOrigin, followed);
  const sent = reading?.sent ?? sentHeadersOf(record.requestHeaders);
  const exchange = capturedExchange(record, sent, preflightRecord, fallbackPageOrigin);
  const received = reading?.received;
  const responseAccess = exchange.response === null || received === undefined ? undefined : accessFieldsOfLines(received.allowOrigin, received.allowCredentials);
  const prepared = prepareExchange(exchange, unsafeHeaderNamesOf(record, sent, preflightRecord), responseAccess);
  // Settled after preparing: nothing prepared depends on the credentials mode.
  if (exchange.request.credentials === 'unknown') exchange.request.credentials = credentialsChromiumImplies(record, prepared);
  return evaluatePrepared(prepared);
}

/**
 * Chromium's own ending is evidence: a CORS-blocked response ends in net::ERR_FAILED, an allowed one
 * completes (docs/capture.md#events; Firefox completes either way, so it proves nothing there). When exactly one
 * credentials mode explains how the request ended, that is the mode it had.
 */
function credentialsChromiumImplies(record: RequestRecord, prepared: PreparedExchange): CredentialsMode {
  const exchange = prepared.exchange;
  if (record.browser !== 'chromium' || exchange.response === null || exchange.request.mode !== 'cors') return 'unknown';
  const allowed = record.state === 'complete' && record.error === null;
  const blocked = record.state === 'error' && record.error === 'net::ERR_FAILED';
  if (!allowed && !blocked) return 'unknown';
  // Chromium's outcome under each credentials mode (the evaluation reuses these judgements).
  const outcomes = chromiumOutcomesByCredentials(prepared);
  const expected = allowed ? 'pass' : 'fail';
  const withoutCredentials = outcomes.withoutCredentials === expected;
  const withCredentials = outcomes.withCredentials === expected;
  if (withoutCredentials === withCredentials) return 'unknown';
  return withoutCredentials ? 'same-origin' : 'include';
}
