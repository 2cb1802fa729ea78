/**
 * Builds RequestRecords from the few fields a case cares about (Lighthouse's
 * network-records-to-devtools-log idea): everything else gets a plain default.
 */
import type { HeaderList, RequestRecord } from '../../../../src/engine/model.ts';
import { classifyRequest } from '../../../../src/engine/media/classify.ts';

export const PAGE_ORIGIN = 'http://localhost:3010';
/** 2025-04-25T04:40:00Z, the incident's morning; each record starts one second after the previous. */
export const BASE_TIME_MS = 1_745_556_000_000;

export type HeaderInput = Record<string, string> | HeaderList;

export interface RecordSpec {
  id?: string;
  url: string;
  method?: string;
  pageOrigin?: string | null;
  resourceType?: string;
  requestHeaders?: HeaderInput | null;
  requestHeadersComplete?: boolean;
  status?: number | null;
  responseHeaders?: HeaderInput | null;
  fromCache?: boolean;
  /** Epoch ms; defaults to BASE_TIME_MS + index seconds. */
  start?: number;
}

function toHeaderList(input: HeaderInput | null | undefined): HeaderList | null {
  if (input === null || input === undefined) return null;
  if (Array.isArray(input)) return input.map(([name, value]) => [name.toLowerCase(), value]);
  return Object.entries(input).map(([name, value]) => [name.toLowerCase(), value]);
}

export function makeRecord(spec: RecordSpec, index = 0): RequestRecord {
  const method = spec.method ?? 'GET';
  const responseHeaders = spec.responseHeaders === undefined ? [] : toHeaderList(spec.responseHeaders);
  const status = spec.status === undefined ? 200 : spec.status;
  const start = spec.start ?? BASE_TIME_MS + index * 1000;
  return {
    id: spec.id ?? `r${index + 1}`,
    browser: 'chromium',
    tabId: 1,
    frameId: 0,
    method,
    url: spec.url,
    resourceType: spec.resourceType ?? 'xmlhttprequest',
    pageOrigin: spec.pageOrigin === undefined ? PAGE_ORIGIN : spec.pageOrigin,
    documentUrl: null,
    requestHeaders: spec.requestHeaders === undefined ? [] : toHeaderList(spec.requestHeaders),
    requestHeadersComplete: spec.requestHeadersComplete ?? true,
    status,
    statusLine: status === null ? null : `HTTP/2 ${status}`,
    responseHeaders,
    fromCache: spec.fromCache ?? false,
    ip: null,
    redirects: [],
    error: null,
    timings: { start, end: start + 50 },
    state: 'complete',
    media: classifyRequest(spec.url, method, responseHeaders),
  };
}

/** Records with ids r1, r2… unless a spec names its own. */
export function makeRecords(specs: readonly RecordSpec[]): RequestRecord[] {
  return specs.map((spec, index) => makeRecord(spec, index));
}

/** What a browser sends on a CORS GET from the page. */
export function corsRequest(origin = PAGE_ORIGIN): Record<string, string> {
  return { origin, 'sec-fetch-mode': 'cors' };
}

/** What a <video> without crossorigin sends: no Origin. */
export function noCorsRequest(): Record<string, string> {
  return { 'sec-fetch-mode': 'no-cors' };
}

export interface CloudFrontOptions {
  cache: 'Hit' | 'Miss' | 'RefreshHit' | 'Error';
  pop?: string;
  age?: number;
}

let cloudFrontResponses = 0;

/** CloudFront's headers; x-amz-cf-id is unique per response, as CloudFront's request id is. */
export function cloudFront({ cache, pop = 'ICN80-P3', age }: CloudFrontOptions): Record<string, string> {
  cloudFrontResponses++;
  return {
    'x-cache': `${cache} from cloudfront`,
    via: '1.1 9d6766a94eab4dd5061ac7688d0632d8.cloudfront.net (CloudFront)',
    'x-amz-cf-pop': pop,
    'x-amz-cf-id': `VQF64z30UQ04PPvxI13xBbfijJqPsqVipVxM0hBXxxDN5wk${String(cloudFrontResponses).padStart(6, '0')}==`,
    ...(age === undefined ? {} : { age: String(age) }),
  };
}

/** S3's answer to a CORS GET matching a rule with AllowedOrigins ["*"] (docs/cdn-behaviour.md#s3-recorded). */
export function s3Cors(): Record<string, string> {
  return {
    server: 'AmazonS3',
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, HEAD',
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/** S3's answer to a GET without Origin: no CORS headers and no Vary. */
export function s3Plain(): Record<string, string> {
  return { server: 'AmazonS3', 'x-amz-server-side-encryption': 'AES256' };
}

/** The managed SecurityHeadersPolicy's headers (docs/cdn-behaviour.md#security-headers). */
export function securityHeaders(): Record<string, string> {
  return {
    'x-xss-protection': '1; mode=block',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
    'strict-transport-security': 'max-age=31536000',
  };
}

export const CDN_HOST = 'https://d16ufd393m7gss.cloudfront.net';

export function segmentUrl(video: string, index: number): string {
  return `${CDN_HOST}/public/movie/${video}/wm16_9_${String(index).padStart(5, '0')}.ts`;
}

export function playlistUrl(video: string, name = 'origin.m3u8'): string {
  return `${CDN_HOST}/public/movie/${video}/${name}`;
}

/**
 * The same records as a page would send them without CORS (a <video> without crossorigin): no Origin,
 * no preflight headers, mode no-cors. Used to prove that no rule flags a request that is not CORS.
 */
export function withoutCors(records: readonly RequestRecord[]): RequestRecord[] {
  const corsOnly = new Set(['origin', 'access-control-request-method', 'access-control-request-headers', 'sec-fetch-mode']);
  return records.map((record) => ({
    ...record,
    requestHeaders: [...(record.requestHeaders ?? []).filter(([name]) => !corsOnly.has(name)), ['sec-fetch-mode', 'no-cors']],
    requestHeadersComplete: true,
  }));
}
