/**
 * A storage origin that answers like an S3 bucket with a bucket CORS configuration, as
 * docs/cdn-behaviour.md#s3 records it (S3 guide + LocalStack snapshots recorded against AWS).
 * Comments name the part of that page they follow.
 */
import { createHash } from 'node:crypto';
import type { LabClock } from './clock.ts';
import type { BucketObject, S3CorsRule } from './config.ts';
import { serveLoopback, type LabRequest, type LabResponse, type LoopbackServer } from './http.ts';

/** S3's Vary on a CORS-matched response, and only there (docs/cdn-behaviour.md#s3-recorded, #s3-vary). */
export const S3_VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

const MESSAGES = {
  // docs/cdn-behaviour.md#s3-recorded (options-no-origin).
  originNeeded: 'Insufficient information. Origin request header needed.',
  // docs/cdn-behaviour.md#s3-recorded (options-with-origin-and-method), #s3-rules.
  notEnabled: 'CORSResponse: CORS is not enabled for this bucket.',
  // docs/cdn-behaviour.md#s3-recorded (opt-wrong-origin); "evalution" is AWS's spelling.
  notAllowed:
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
} as const;

export interface BucketState {
  objects: Map<string, BucketObject>;
  cors: S3CorsRule[] | null;
}

/** `*` in an AllowedOrigin / AllowedHeader matches any run of characters (docs/cdn-behaviour.md#s3-recorded, partial origin). */
function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, caseInsensitive ? 'i' : '').test(value);
}

function requestedHeaders(request: LabRequest): string[] {
  const raw = request.headers['access-control-request-headers'];
  return raw === undefined ? [] : raw.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
}

/**
 * The first rule that matches (docs/cdn-behaviour.md#s3-rules): Origin (scheme, host and port exactly),
 * the method, or Access-Control-Request-Method when present — also on a GET (#s3-acrm-on-get)
 * — and every requested header.
 */
export function matchingRule(rules: readonly S3CorsRule[], origin: string, method: string, headers: readonly string[]): S3CorsRule | null {
  for (const rule of rules) {
    if (!rule.AllowedOrigins.some((allowed) => wildcardMatch(allowed, origin, false))) continue;
    if (!rule.AllowedMethods.map((m) => m.toUpperCase()).includes(method.toUpperCase())) continue;
    // No AllowedHeaders in the rule: any requested header fails it (docs/cdn-behaviour.md#s3-recorded, opt-get-headers).
    if (!headers.every((header) => (rule.AllowedHeaders ?? []).some((allowed) => wildcardMatch(allowed, header, true)))) continue;
    return rule;
  }
  return null;
}

/** The CORS headers of a matched response (docs/cdn-behaviour.md#s3-recorded, in that order). */
function corsHeaders(rule: S3CorsRule, origin: string, requested: readonly string[], preflight: boolean): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  if (rule.AllowedOrigins.includes('*')) {
    headers.push(['access-control-allow-origin', '*']); // not echoed, no credentials (docs/cdn-behaviour.md#s3-wildcard)
  } else {
    headers.push(['access-control-allow-origin', origin], ['access-control-allow-credentials', 'true']); // #s3-wildcard
  }
  headers.push(['access-control-allow-methods', rule.AllowedMethods.map((m) => m.toUpperCase()).join(', ')]);
  if (preflight && requested.length > 0) headers.push(['access-control-allow-headers', requested.join(', ')]); // #s3-recorded (opt-get)
  if (rule.ExposeHeaders && rule.ExposeHeaders.length > 0) headers.push(['access-control-expose-headers', rule.ExposeHeaders.join(', ')]); // #s3-recorded (expose headers)
  if (rule.MaxAgeSeconds !== undefined) headers.push(['access-control-max-age', String(rule.MaxAgeSeconds)]); // #s3-recorded; absent by default
  headers.push(['vary', S3_VARY]);
  return headers;
}

function xmlError(code: string, message: string, extra: Record<string, string>, requestId: string): Buffer {
  const fields = Object.entries(extra)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>${requestId}+lab</HostId></Error>`,
  );
}

export function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** The S3 answer to one request. Pure apart from the clock and a request counter for ids. */
export class S3Bucket {
  readonly state: BucketState;
  readonly #clock: LabClock;
  #requestCount = 0;
  /** Every request the bucket received, as CloudFront forwarded it: which viewer headers reached the origin. */
  readonly received: LabRequest[] = [];

  constructor(clock: LabClock, objects: Map<string, BucketObject>, cors: S3CorsRule[] | null) {
    this.#clock = clock;
    this.state = { objects, cors };
  }

  setCors(cors: S3CorsRule[] | null): void {
    this.state.cors = cors;
  }

  async handle(request: LabRequest): Promise<LabResponse> {
    this.received.push(request);
    const requestId = `LAB${String(++this.#requestCount).padStart(13, '0')}`;
    const base: Array<[string, string]> = [
      ['x-amz-id-2', `${requestId}/lab`],
      ['x-amz-request-id', requestId],
      ['date', this.#clock.httpDate()],
    ];
    const key = decodeURIComponent(new URL(request.url, 'http://bucket').pathname);
    const method = request.method.toUpperCase();
    const origin = request.headers.origin;
    const requested = requestedHeaders(request);
    const xml = (status: number, code: string, message: string, extra: Record<string, string> = {}): LabResponse => {
      const body = xmlError(code, message, extra, requestId);
      return { status, headers: [...base, ['content-type', 'application/xml'], ['content-length', String(body.length)], ['server', 'AmazonS3']], body };
    };

    if (method === 'OPTIONS') {
      // docs/cdn-behaviour.md#s3-preflight-answers: no Origin → 400; no CORS config → 403 not enabled; no match → 403 not allowed.
      if (origin === undefined) return xml(400, 'BadRequest', MESSAGES.originNeeded);
      const requestedMethod = request.headers['access-control-request-method'] ?? 'OPTIONS';
      if (this.state.cors === null) return xml(403, 'AccessForbidden', MESSAGES.notEnabled, { Method: requestedMethod, ResourceType: 'BUCKET' });
      const rule = matchingRule(this.state.cors, origin, requestedMethod, requested);
      if (!rule) return xml(403, 'AccessForbidden', MESSAGES.notAllowed, { Method: requestedMethod, ResourceType: 'OBJECT' });
      // Whether the key exists does not matter to a preflight ([S] moto, docs/cdn-behaviour.md#s3-error-responses).
      return { status: 200, headers: [...base, ...corsHeaders(rule, origin, requested, true), ['content-length', '0'], ['server', 'AmazonS3']], body: Buffer.alloc(0) };
    }

    if (method !== 'GET' && method !== 'HEAD') return xml(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: method, ResourceType: 'OBJECT' });

    const object = this.state.objects.get(key);
    // A missing key: 404 NoSuchKey. No CORS headers on errors: unconfirmed either way (docs/cdn-behaviour.md#s3-error-responses);
    // the lab plays the case R4 describes (#r4).
    if (!object) return xml(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key.replace(/^\//, '') });

    // ACAO only with Origin and a matching rule, for any method (docs/cdn-behaviour.md#s3-needs-origin); a GET with
    // ACRM is judged on ACRM (#s3-acrm-on-get); no Vary otherwise (#s3-vary).
    let cors: Array<[string, string]> = [];
    if (origin !== undefined && this.state.cors !== null) {
      const rule = matchingRule(this.state.cors, origin, request.headers['access-control-request-method'] ?? method, requested);
      if (rule) cors = corsHeaders(rule, origin, requested, false);
    }
    const etag = etagOf(object.body);
    const headers: Array<[string, string]> = [
      ...base,
      ...cors,
      ['last-modified', new Date(object.lastModified).toUTCString()],
      ['etag', etag],
      ['x-amz-server-side-encryption', 'AES256'],
      ...(object.cacheControl ? ([['cache-control', object.cacheControl]] as Array<[string, string]>) : []),
      ['accept-ranges', 'bytes'],
      ['content-type', object.contentType],
      ['server', 'AmazonS3'],
    ];
    if (request.headers['if-none-match'] === etag) return { status: 304, headers, body: Buffer.alloc(0) };
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), object.body.length - 1) : object.body.length - 1;
      if (start >= object.body.length) return xml(416, 'InvalidRange', 'The requested range is not satisfiable');
      const body = object.body.subarray(start, end + 1);
      headers.push(['content-range', `bytes ${start}-${end}/${object.body.length}`], ['content-length', String(body.length)]);
      return { status: 206, headers, body };
    }
    headers.push(['content-length', String(object.body.length)]);
    return { status: 200, headers, body: object.body };
  }
}

/** The bucket on a loopback port (the edge reaches it over HTTP, as CloudFront reaches S3). */
export async function startS3Origin(bucket: S3Bucket): Promise<LoopbackServer> {
  return serveLoopback((request) => bucket.handle(request));
}
