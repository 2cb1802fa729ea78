/**
 * HAR 1.2 export (http://www.softwareishard.com/blog/har-12-spec/). Entries use the fields Chrome
 * DevTools writes and reads back (`_initiator`, `_resourceType`, `_fromCache`, `response._error`) so
 * the file opens in DevTools' Network panel, plus `_corsLens` fields with the verdict and causes:
 * custom fields start with `_`, which the spec reserves for exactly this.
 */
import type { Conclusion, CorsVerdict, Finding, FixPlan, HeaderList, MediaClass, RedirectHop, Report, RequestRecord, RequestTimings, RuleError } from '../engine/model.ts';
import { countsWithCancelled } from './counts.ts';
import { SCHEMA_VERSION } from '../engine/model.ts';
import { headerValue } from '../engine/headers.ts';
import { redactRecord, redactReport, redactUrl } from './redact.ts';

export const HAR_CREATOR_NAME = 'CORS Lens';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  ssl: number;
  send: number;
  wait: number;
  receive: number;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  headersSize: number;
  bodySize: number;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  content: { size: number; mimeType: string };
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  /** Chrome DevTools' field for the network error ('net::ERR_FAILED'). */
  _error?: string;
  /** Chrome DevTools' bytes on the wire; here the body's only (webRequest sees no header bytes). */
  _transferSize?: number;
}

/** The verdict (docs/architecture.md), stored per entry as the engine gave it. */
export type HarVerdict = CorsVerdict;

/** A finding that names the record: its rule, cause and message (fix and evidence are in the log's `_corsLens`). */
export interface HarCause {
  ruleId: string;
  cause: string;
  severity: Finding['severity'];
  kind: Finding['kind'];
  confidence: Finding['confidence'];
  message: string;
}

/**
 * Per-entry CORS Lens data. A record with redirects becomes one entry per hop (as DevTools writes
 * them) and a final entry; all carry `recordId`, hops carry `redirectHop`. The final entry also keeps
 * the record fields HAR has no place for, so a CORS Lens HAR imports back into the same records.
 */
export interface HarEntryCorsLens {
  recordId: string;
  /** 0-based position of this entry in its record's redirect chain; absent on the final entry. */
  redirectHop?: number;
  browser?: RequestRecord['browser'];
  tabId?: number;
  frameId?: number;
  /** The webRequest resource type ('xmlhttprequest'); `_resourceType` holds DevTools' name ('xhr'). */
  resourceType?: string;
  pageOrigin?: string | null;
  documentUrl?: string | null;
  requestHeadersComplete?: boolean;
  /** False when the record never saw request headers (HAR needs an array, so `[]` would be ambiguous). */
  requestHeadersObserved?: boolean;
  responseHeadersObserved?: boolean;
  state?: RequestRecord['state'];
  statusLine?: string | null;
  ip?: string | null;
  /** Exact epoch-ms marks (startedDateTime only has millisecond precision). */
  timings?: RequestTimings;
  retest?: boolean;
  /** For a re-test: the id of the record it re-tests. */
  retestOf?: string;
  media?: MediaClass;
  verdict?: HarVerdict;
  causes?: HarCause[];
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  serverIPAddress?: string;
  /** Chrome DevTools: 'disk' | 'memory'. webRequest sees only the HTTP (disk) cache: Blink's memory cache never reaches the network layer. */
  _fromCache?: 'disk';
  /** Chrome DevTools' resource type name ('xhr', 'media', 'fetch'…). */
  _resourceType: string;
  /** Chrome DevTools' initiator; never null, which DevTools' importer rejects. */
  _initiator?: { type: 'other'; url: string };
  _corsLens: HarEntryCorsLens;
}

export interface HarPage {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: { onContentLoad: number; onLoad: number };
}

/** Top-level CORS Lens data: the report without per-record verdicts (those are on the entries). */
export interface HarLogCorsLens {
  schemaVersion: number;
  redacted: boolean;
  pageOrigin: string | null;
  /** The report's counts, cancelled requests apart (src/export/counts.ts); before that field existed, under notApplicable. */
  counts: Report['counts'] & { cancelled?: number };
  findings: Finding[];
  /** Rules that threw (their findings are missing); absent in files made before it existed. */
  ruleErrors?: RuleError[];
  /** The answer first: primary cause and merged fix plan (Report.conclusion, Report.plan); absent in files made before it existed. */
  conclusion?: Conclusion;
  plan?: FixPlan;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: HarPage[];
    entries: HarEntry[];
    _corsLens: HarLogCorsLens;
  };
}

export interface HarExportOptions {
  /** Secrets are redacted unless the user explicitly opts out (docs/exports.md#redaction). */
  redact?: boolean;
  /** The extension's version, for `creator.version` (the export layer cannot read the manifest). */
  creatorVersion?: string;
}

/** webRequest type → the name Chrome DevTools uses for `_resourceType` (Common.ResourceType names). */
const DEVTOOLS_RESOURCE_TYPE: Record<string, string> = {
  xmlhttprequest: 'xhr',
  main_frame: 'document',
  sub_frame: 'document',
  csp_report: 'cspviolationreport',
  web_manifest: 'manifest',
  imageset: 'image',
  beacon: 'ping',
  object: 'other',
  object_subrequest: 'other',
};

/**
 * HAR wants an ISO date; a broken timestamp must not throw RangeError out of an export. Records of
 * a session fall in the same second many times over, so the formatted second is reused (an export
 * of 50k records formats 50k dates; Date#toISOString dominated the profile).
 */
function isoTimeFormatter(): (epochMs: number) => string {
  let cachedSecond = Number.NaN;
  let cachedPrefix = '';
  return (epochMs) => {
    const valid = Number.isFinite(epochMs) && Math.abs(epochMs) <= 8.64e15;
    const ms = valid ? Math.floor(epochMs) : 0;
    const second = Math.floor(ms / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4); // 'YYYY-MM-DDTHH:MM:SS'
    }
    const millis = ms - second * 1000;
    return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  };
}

/** 'HTTP/1.1 200 OK' → version and reason phrase; webRequest gives the status line, HAR wants its parts. */
const NO_STATUS_LINE = { httpVersion: '', statusText: '' };

function statusLineParts(statusLine: string | null): { httpVersion: string; statusText: string } {
  if (statusLine === null) return NO_STATUS_LINE;
  const match = /^(HTTP\/[\d.]+)\s+\d{3}\s?(.*)$/i.exec(statusLine);
  return match ? { httpVersion: match[1]!, statusText: match[2]! } : { httpVersion: '', statusText: '' };
}

function harHeaders(headers: HeaderList | null): HarNameValue[] {
  if (!headers) return [];
  const list: HarNameValue[] = new Array(headers.length);
  for (let index = 0; index < headers.length; index++) {
    const [name, value] = headers[index]!;
    list[index] = { name, value };
  }
  return list;
}

function queryStringOf(url: string): HarNameValue[] {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return [];
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const parameters: HarNameValue[] = [];
  for (const [name, value] of new URLSearchParams(query)) parameters.push({ name, value });
  return parameters;
}

/** HAR's `serverIPAddress` must be a bare IPv4 or IPv6 address (the schema checks the format). */
function serverIpOf(ip: string | null): string | undefined {
  if (!ip) return undefined;
  const bare = ip.replace(/^\[(.*)\]$/, '$1');
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(bare)) return bare;
  if (/^[0-9a-f:.]+$/i.test(bare) && bare.includes(':')) return bare;
  return undefined;
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * HAR phases from webRequest marks: before onSendHeaders is `blocked`, onSendHeaders → headers
 * received is `wait`, the rest is `receive`. DNS/connect/TLS are not observable from webRequest (-1).
 */
function harTimingsOf(timings: RequestTimings): { time: number; timings: HarTimings } {
  const { start } = timings;
  const sent = timings.sendHeaders;
  const headers = timings.headersReceived ?? timings.responseStarted;
  const end = timings.end;
  const blocked = sent === undefined ? -1 : nonNegative(sent - start);
  const wait = headers === undefined ? (end === undefined ? 0 : nonNegative(end - (sent ?? start))) : nonNegative(headers - (sent ?? start));
  const receive = headers === undefined || end === undefined ? 0 : nonNegative(end - headers);
  return {
    time: Math.max(blocked, 0) + wait + receive,
    timings: { blocked, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive },
  };
}

const NO_CAUSES: HarCause[] = [];
const NO_TIMINGS: HarTimings = { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 };

function contentLengthOf(headers: HeaderList | null): number | null {
  const length = headerValue(headers, 'content-length');
  return length !== null && /^\d{1,15}$/.test(length.trim()) ? Number(length.trim()) : null;
}

function contentOf(headers: HeaderList | null): { size: number; mimeType: string } {
  return { size: contentLengthOf(headers) ?? 0, mimeType: headerValue(headers, 'content-type') ?? 'x-unknown' };
}

/**
 * Body bytes received: webRequest counts no bytes, so the declared Content-Length (-1 without one);
 * 0 for a copy from the HTTP cache or a response that has no body (HAR 1.2 `bodySize`).
 */
function bodySizeOf(record: RequestRecord): number {
  if (record.fromCache || record.status === 304 || record.status === 204 || record.method === 'HEAD') return 0;
  return contentLengthOf(record.responseHeaders) ?? -1;
}

/** Fields every entry of one record shares (its hops and its final entry). */
interface EntryCommon {
  pageref: string | undefined;
  startedDateTime: string;
  serverIPAddress: string | undefined;
  fromCache: boolean;
  resourceType: string;
  initiator: { type: 'other'; url: string } | undefined;
}

/** Builds every entry with one literal shape: spreading a shared base object was the slowest part of a 50k export. */
function entryOf(common: EntryCommon, time: number, request: HarRequest, response: HarResponse, timings: HarTimings, corsLens: HarEntryCorsLens): HarEntry {
  const entry: HarEntry = { startedDateTime: common.startedDateTime, time, request, response, cache: {}, timings, _resourceType: common.resourceType, _corsLens: corsLens };
  if (common.pageref !== undefined) entry.pageref = common.pageref;
  if (common.serverIPAddress !== undefined) entry.serverIPAddress = common.serverIPAddress;
  if (common.fromCache) entry._fromCache = 'disk';
  if (common.initiator !== undefined) entry._initiator = common.initiator;
  return entry;
}

function hopEntry(record: RequestRecord, hop: RedirectHop, hopIndex: number, common: EntryCommon): HarEntry {
  const request: HarRequest = { method: record.method, url: hop.url, httpVersion: '', cookies: [], headers: [], queryString: queryStringOf(hop.url), headersSize: -1, bodySize: 0 };
  const response: HarResponse = {
    status: hop.status,
    statusText: '',
    httpVersion: '',
    cookies: [],
    headers: harHeaders(hop.headers),
    content: contentOf(hop.headers),
    redirectURL: hop.redirectUrl,
    headersSize: -1,
    bodySize: -1,
  };
  return entryOf(common, 0, request, response, NO_TIMINGS, { recordId: record.id, redirectHop: hopIndex });
}

/** The findings that name each record, computed once so an export stays linear in records + findings. */
export function causesByRecord(findings: readonly Finding[]): Map<string, HarCause[]> {
  const byRecord = new Map<string, HarCause[]>();
  for (const finding of findings) {
    const cause: HarCause = {
      ruleId: finding.ruleId,
      cause: finding.cause,
      severity: finding.severity,
      kind: finding.kind,
      confidence: finding.confidence,
      message: finding.message,
    };
    for (const recordId of new Set(finding.recordIds)) {
      const list = byRecord.get(recordId);
      if (list) list.push(cause);
      else byRecord.set(recordId, [cause]);
    }
  }
  return byRecord;
}

/**
 * A HAR 1.2 log of the records with the report's verdicts and causes. Redacted by default: secret
 * headers and signed-URL parameters are replaced in entries, pages and the report's texts.
 */
export function toHar(records: readonly RequestRecord[], report: Report, options: HarExportOptions = {}): Har {
  const redact = options.redact ?? true;
  const isoTime = isoTimeFormatter();
  const sharedReport = redact ? redactReport(report) : report;
  const verdictById = new Map(sharedReport.verdicts.map((entry) => [entry.recordId, entry.verdict]));
  const causes = causesByRecord(sharedReport.findings);
  const pages = new Map<string, HarPage>();
  const pageStarts = new Map<HarPage, number>();
  const entries: HarEntry[] = [];

  for (const original of records) {
    const record = redact ? redactRecord(original) : original;
    const start = record.timings.start;
    const pageUrl = record.documentUrl ?? record.pageOrigin;
    let pageref: string | undefined;
    if (pageUrl !== null && pageUrl !== 'null') {
      const pageKey = `${record.tabId} ${pageUrl}`;
      let page = pages.get(pageKey);
      if (!page) {
        page = { startedDateTime: isoTime(start), id: `page_${pages.size + 1}`, title: pageUrl, pageTimings: { onContentLoad: -1, onLoad: -1 } };
        pages.set(pageKey, page);
        pageStarts.set(page, start);
      } else if (start < (pageStarts.get(page) ?? Infinity)) {
        // Records come in completion order; the page starts with its earliest request.
        page.startedDateTime = isoTime(start);
        pageStarts.set(page, start);
      }
      pageref = page.id;
    }

    const common: EntryCommon = {
      pageref,
      startedDateTime: isoTime(start),
      serverIPAddress: serverIpOf(record.ip),
      fromCache: record.fromCache,
      resourceType: (Object.hasOwn(DEVTOOLS_RESOURCE_TYPE, record.resourceType) ? DEVTOOLS_RESOURCE_TYPE[record.resourceType] : undefined) ?? record.resourceType,
      initiator: record.pageOrigin === null ? undefined : { type: 'other', url: record.documentUrl ?? record.pageOrigin },
    };
    for (let hopIndex = 0; hopIndex < record.redirects.length; hopIndex++) entries.push(hopEntry(record, record.redirects[hopIndex]!, hopIndex, common));

    const { httpVersion, statusText } = statusLineParts(record.statusLine);
    const { time, timings } = harTimingsOf(record.timings);
    const response: HarResponse = {
      status: record.status ?? 0,
      statusText,
      httpVersion,
      cookies: [],
      headers: harHeaders(record.responseHeaders),
      content: contentOf(record.responseHeaders),
      redirectURL: headerValue(record.responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: bodySizeOf(record),
    };
    // DevTools shows "transferred" from _transferSize, else headersSize + bodySize (-2 → 0 B with both unknown).
    if (response.bodySize >= 0) response._transferSize = response.bodySize;
    if (record.error !== null) response._error = record.error;

    const corsLens: HarEntryCorsLens = {
      recordId: record.id,
      browser: record.browser,
      tabId: record.tabId,
      frameId: record.frameId,
      resourceType: record.resourceType,
      pageOrigin: record.pageOrigin,
      documentUrl: record.documentUrl,
      requestHeadersComplete: record.requestHeadersComplete,
      requestHeadersObserved: record.requestHeaders !== null,
      responseHeadersObserved: record.responseHeaders !== null,
      state: record.state,
      statusLine: record.statusLine,
      ip: record.ip,
      // Shared, not copied: a HAR is a snapshot for serialising, and 50k copies cost real time.
      timings: record.timings,
      media: record.media,
    };
    if (record.retest !== undefined) corsLens.retest = record.retest;
    if (record.retestOf !== undefined) corsLens.retestOf = record.retestOf;
    const verdict = verdictById.get(original.id);
    if (verdict) corsLens.verdict = verdict;
    corsLens.causes = causes.get(original.id) ?? NO_CAUSES;

    const request: HarRequest = {
      method: record.method,
      url: record.url,
      httpVersion,
      cookies: [],
      headers: harHeaders(record.requestHeaders),
      queryString: queryStringOf(record.url),
      headersSize: -1,
      bodySize: 0,
    };
    entries.push(entryOf(common, time, request, response, timings, corsLens));
  }

  return {
    log: {
      version: '1.2',
      creator: { name: HAR_CREATOR_NAME, version: options.creatorVersion ?? String(SCHEMA_VERSION) },
      pages: [...pages.values()],
      entries,
      _corsLens: {
        schemaVersion: SCHEMA_VERSION,
        redacted: redact,
        pageOrigin: sharedReport.pageOrigin === null || !redact ? sharedReport.pageOrigin : redactUrl(sharedReport.pageOrigin),
        counts: countsWithCancelled(sharedReport),
        findings: sharedReport.findings,
        ruleErrors: sharedReport.ruleErrors ?? [],
        ...(sharedReport.conclusion && sharedReport.plan ? { conclusion: sharedReport.conclusion, plan: sharedReport.plan } : {}),
      },
    },
  };
}
