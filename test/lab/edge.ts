/**
 * A CDN edge in front of the lab bucket that behaves like CloudFront, as docs/cdn-behaviour.md (sections 1–2)
 * records it. Comments name the part of that page they follow; what it does not cover is said so.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LabClock } from './clock.ts';
import type { BehaviorConfig, DistributionConfig } from './config.ts';
import { DEFAULT_POPS } from './config.ts';
import { labFetch, serveLoopback, type LabRequest, type LabResponse, type LoopbackServer } from './http.ts';
import {
  PREFLIGHT_ALLOW_METHODS,
  SECURITY_HEADERS,
  cachePolicyNamed,
  originRequestPolicyNamed,
  responseHeadersPolicyNamed,
  type CachePolicy,
  type OriginRequestPolicy,
  type ResponseHeadersPolicy,
} from './policies.ts';

export type CacheResult = 'Hit' | 'Miss' | 'RefreshHit' | 'Error';

/** One stored copy. It remembers the key it was stored under (see `keyMatches`). */
interface CacheEntry {
  path: string;
  /** GET and HEAD share copies; OPTIONS is cached apart, with the method in its key (docs/cdn-behaviour.md#options). */
  methodClass: 'GET' | 'OPTIONS';
  key: ReadonlyMap<string, string | null>;
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
  storedAt: number;
  /** Seconds. */
  ttl: number;
}

/** What the edge did with one viewer request: for tests and for waiting on a browser's requests. */
export interface EdgeLogEntry {
  pop: string;
  method: string;
  path: string;
  origin: string | null;
  result: CacheResult;
  status: number;
  /** True for requests the lab sent itself from Node (pre-warming), false for a browser's. */
  fromLabClient: boolean;
}

/** Header the lab's own Node client sets, so the log can tell pre-warm requests from a browser's. */
export const LAB_CLIENT_HEADER = 'x-lab-client';

interface ResolvedBehavior {
  config: BehaviorConfig;
  cachePolicy: CachePolicy;
  originRequestPolicy: OriginRequestPolicy | null;
  responseHeadersPolicy: ResponseHeadersPolicy | null;
}

/**
 * The default (`*`) behavior when the config names none. config.json lists only two patterns; a real
 * distribution always has a default behavior. CachingOptimized without policies is the console's
 * default (not in docs/cdn-behaviour.md).
 */
const DEFAULT_BEHAVIOR: BehaviorConfig = { pathPattern: '*', cachePolicy: 'CachingOptimized', originRequestPolicy: null, responseHeadersPolicy: null };

/** Path patterns: `*` any characters including `/`, `?` one character, case-sensitive (CloudFront docs; not in docs/cdn-behaviour.md). */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source.startsWith('/') || source.startsWith('.*') ? '' : '/'}${source}$`).test(path);
}

/** Statuses cached whatever the origin says, and those cached only with max-age (docs/cdn-behaviour.md#error-caching). */
const ALWAYS_CACHED_ERRORS = new Set([404, 414, 500, 501, 502, 503, 504]);
const CACHED_WITH_MAX_AGE_ERRORS = new Set([400, 403, 405, 412, 415]);
/** Error Caching Minimum TTL (docs/cdn-behaviour.md#error-caching). */
export const ERROR_CACHING_MIN_TTL = 10;

function maxAgeOf(headers: ReadonlyArray<[string, string]>): number | null {
  const cacheControl = headers.filter(([name]) => name === 'cache-control').map(([, value]) => value).join(',');
  const match = /(?:^|,)\s*s-maxage=(\d+)/i.exec(cacheControl) ?? /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl);
  return match ? Number(match[1]) : null;
}

function forbidsCaching(headers: ReadonlyArray<[string, string]>): boolean {
  return headers.some(([name, value]) => name === 'cache-control' && /\b(no-cache|no-store|private)\b/i.test(value));
}

/**
 * Seconds to keep a response, 0 for not at all. 2xx/3xx: docs/cdn-behaviour.md#ttl (Default TTL without
 * max-age; the lesser of max-age and Maximum TTL, at least Minimum TTL; no-cache/no-store/private
 * respected when Minimum TTL is 0). Errors: #error-caching (416 never).
 */
export function ttlOf(status: number, headers: ReadonlyArray<[string, string]>, policy: CachePolicy): number {
  const maxAge = maxAgeOf(headers);
  if (status >= 400) {
    if (ALWAYS_CACHED_ERRORS.has(status)) return Math.max(ERROR_CACHING_MIN_TTL, maxAge ?? 0);
    if (CACHED_WITH_MAX_AGE_ERRORS.has(status) && maxAge !== null) return Math.max(ERROR_CACHING_MIN_TTL, maxAge);
    return 0;
  }
  if (policy.maxTtl === 0) return 0; // CachingDisabled
  if (forbidsCaching(headers) && policy.minTtl === 0) return 0;
  if (maxAge === null) return forbidsCaching(headers) ? policy.minTtl : policy.defaultTtl;
  return Math.max(policy.minTtl, Math.min(maxAge, policy.maxTtl));
}

function queryOf(url: string): URLSearchParams {
  return new URL(url, 'http://edge').searchParams;
}

function selectQuery(query: URLSearchParams, selection: CachePolicy['queryStrings'] | OriginRequestPolicy['queryStrings']): Array<[string, string]> {
  if (selection === 'none') return [];
  const entries = [...query.entries()];
  const picked = selection === 'all' ? entries : entries.filter(([name]) => selection.includes(name));
  return picked.sort(([a], [b]) => a.localeCompare(b));
}

/** Normalized Accept-Encoding, as a compression-enabled policy keys on it (docs/cdn-behaviour.md#cache-policies, column "compression"). */
function normalizedEncoding(value: string | undefined, compression: CachePolicy['compression']): string {
  const tokens = (value ?? '').toLowerCase();
  if (compression === 'gzip-br' && tokens.includes('br')) return 'br,gzip';
  return tokens.includes('gzip') ? 'gzip' : '';
}

/**
 * The cache key of a request under a cache policy (docs/cdn-behaviour.md#cache-policies): the path, the policy's query strings,
 * headers and cookies, plus normalized Accept-Encoding when compression is on. Each component's name
 * says how it is computed, so a copy can be matched against a request under a later policy.
 * `Vary` from the origin plays no part (docs/cdn-behaviour.md#vary).
 */
export function cacheKeyOf(request: LabRequest, policy: CachePolicy): Map<string, string | null> {
  const names = [
    `query:${typeof policy.queryStrings === 'string' ? policy.queryStrings : policy.queryStrings.join(',')}`,
    ...policy.headers.map((header) => `header:${header}`),
    ...(policy.cookies === 'all' ? ['cookies'] : []),
    ...(policy.compression === 'none' ? [] : [`accept-encoding:${policy.compression}`]),
  ];
  return new Map(names.map((name) => [name, componentValue(name, request)]));
}

function componentValue(name: string, request: LabRequest): string | null {
  const [kind, detail = ''] = name.split(/:(.*)/s);
  switch (kind) {
    case 'query': {
      const selection: CachePolicy['queryStrings'] = detail === 'none' || detail === 'all' ? detail : detail.split(',');
      return new URLSearchParams(selectQuery(queryOf(request.url), selection)).toString();
    }
    case 'header':
      return request.headers[detail] ?? null;
    case 'cookies':
      return request.headers.cookie ?? null;
    case 'accept-encoding':
      return normalizedEncoding(request.headers['accept-encoding'], detail as CachePolicy['compression']);
    default:
      throw new Error(`unknown cache key component ${name}`);
  }
}

/**
 * A stored copy serves a request when every component of the key the copy was stored under has the
 * request's value. A copy stored before Origin entered the cache key has no Origin component, so it
 * keeps answering every Origin until it expires or is invalidated: docs/cdn-behaviour.md#r5 ("copies cached
 * before … `Origin` entered the cache key … keep their old headers until they expire or are invalidated"; a
 * policy change does not purge). How CloudFront looks up old copies after a key change is not
 * documented; this is the lab's reading of R5.
 */
function keyMatches(stored: ReadonlyMap<string, string | null>, request: LabRequest): boolean {
  for (const [name, value] of stored) if (componentValue(name, request) !== value) return false;
  return true;
}

/** The headers CloudFront sends the origin (docs/cdn-behaviour.md#origin-forwarding): defaults + cache-key values + the origin request policy's. */
function originRequestHeaders(viewer: LabRequest, behavior: ResolvedBehavior, originHost: string, cfId: string): Record<string, string> {
  const forwarded: Record<string, string> = { host: originHost, 'user-agent': 'Amazon CloudFront', 'x-amz-cf-id': cfId, via: '1.1 lab.cloudfront.net (CloudFront)' };
  const names = new Set<string>(behavior.cachePolicy.headers); // key values are forwarded (#cache-policies)
  if (behavior.cachePolicy.cookies === 'all') names.add('cookie');
  const orp = behavior.originRequestPolicy;
  if (orp) {
    if (orp.headers === 'all-viewer' || orp.headers === 'all-except-host') {
      for (const name of Object.keys(viewer.headers)) if (name !== 'host') names.add(name); // #origin-request-policies
    } else {
      for (const name of orp.headers) names.add(name);
    }
    if (orp.cookies === 'all') names.add('cookie');
  }
  names.delete(LAB_CLIENT_HEADER);
  for (const name of names) {
    const value = viewer.headers[name];
    if (value !== undefined && name !== 'host') forwarded[name] = value;
  }
  return forwarded;
}

function originRequestPath(viewer: LabRequest, behavior: ResolvedBehavior): string {
  const url = new URL(viewer.url, 'http://edge');
  const query = new Map(selectQuery(url.searchParams, behavior.cachePolicy.queryStrings));
  if (behavior.originRequestPolicy) for (const [name, value] of selectQuery(url.searchParams, behavior.originRequestPolicy.queryStrings)) query.set(name, value);
  const search = new URLSearchParams([...query.entries()]).toString();
  return search === '' ? url.pathname : `${url.pathname}?${search}`;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function withoutHeader(headers: Array<[string, string]>, name: string): Array<[string, string]> {
  return headers.filter(([key]) => key !== name);
}

function hasHeader(headers: ReadonlyArray<[string, string]>, name: string): boolean {
  return headers.some(([key]) => key === name);
}

/**
 * Response headers policy, applied per request after the cache, to copies from the cache and from the
 * origin alike (docs/cdn-behaviour.md#response-headers-policy-cors).
 */
function applyResponseHeadersPolicy(policy: ResponseHeadersPolicy, viewer: LabRequest, headers: Array<[string, string]>): Array<[string, string]> {
  let out = headers;
  if (policy.cors) {
    const origin = viewer.headers.origin;
    if (origin !== undefined) {
      // Only CORS requests (an Origin header) get the CORS headers (#response-headers-policy-cors, an inference there).
      // Origin override is No for the managed policies: the origin's header wins, a missing one is added (#managed-cors-values).
      if (!hasHeader(out, 'access-control-allow-origin')) out = [...out, ['access-control-allow-origin', '*']]; // #managed-cors-values
      const preflight = viewer.method.toUpperCase() === 'OPTIONS' && viewer.headers['access-control-request-method'] !== undefined;
      if (preflight && policy.cors.preflight) {
        // On a preflight, "all three" headers (#response-headers-policies): Allow-Origin, Allow-Methods and Expose-Headers (#managed-cors-values, [S]).
        if (!hasHeader(out, 'access-control-allow-methods')) out = [...out, ['access-control-allow-methods', PREFLIGHT_ALLOW_METHODS]];
        if (!hasHeader(out, 'access-control-expose-headers')) out = [...out, ['access-control-expose-headers', '*']];
      }
      // "drops Vary altogether on a cross-origin one" ([S] ttoss PR #1205, unconfirmed; docs/cdn-behaviour.md#cloudfront-added-vary).
      out = withoutHeader(out, 'vary');
    } else {
      // "sends Vary: Origin on a plain request" ([S], unconfirmed; #cloudfront-added-vary): the incident's failing capture.
      out = [...withoutHeader(out, 'vary'), ['vary', 'Origin']];
    }
  }
  if (policy.securityHeaders) {
    for (const { name, value, override } of SECURITY_HEADERS) {
      if (override) out = [...withoutHeader(out, name), [name, value]];
      else if (!hasHeader(out, name)) out = [...out, [name, value]];
    }
  }
  return out;
}

function cloudFrontErrorPage(status: number, message: string): Buffer {
  return Buffer.from(
    `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">\n<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">\n<TITLE>ERROR: The request could not be satisfied</TITLE>\n</HEAD><BODY>\n<H1>${status} ERROR</H1>\n<H2>The request could not be satisfied.</H2>\n<HR noshade size="1px">\n${message}\n<BR clear="all">\n<HR noshade size="1px">\n<PRE>\nGenerated by cloudfront (CloudFront)\n</PRE>\n<ADDRESS>\n</ADDRESS>\n</BODY></HTML>`,
  );
}

export interface EdgeOptions {
  clock: LabClock;
  distribution: DistributionConfig;
  /** Port of the storage origin on 127.0.0.1. */
  originPort: number;
}

/** The edge: one cache per POP, behaviors matched by path pattern, policies by name. */
export class CloudFrontEdge {
  readonly #clock: LabClock;
  readonly #originPort: number;
  #distribution: DistributionConfig;
  #behaviors: ResolvedBehavior[] = [];
  readonly #caches = new Map<string, CacheEntry[]>();
  #route: ((viewerRequestIndex: number) => string) | null = null;
  #viewerRequests = 0;
  readonly log: EdgeLogEntry[] = [];

  constructor(options: EdgeOptions) {
    this.#clock = options.clock;
    this.#originPort = options.originPort;
    this.#distribution = options.distribution;
    this.setDistribution(options.distribution);
  }

  get pops(): string[] {
    return this.#distribution.pops ?? DEFAULT_POPS;
  }

  /** Changes behaviors and policies. Like a CloudFront deployment, it purges nothing (docs/cdn-behaviour.md#r5). */
  setDistribution(distribution: DistributionConfig): void {
    const resolved = [...distribution.behaviors, DEFAULT_BEHAVIOR].map((config) => ({
      config,
      cachePolicy: cachePolicyNamed(config.cachePolicy),
      originRequestPolicy: config.originRequestPolicy ? originRequestPolicyNamed(config.originRequestPolicy) : null,
      responseHeadersPolicy: config.responseHeadersPolicy ? responseHeadersPolicyNamed(config.responseHeadersPolicy) : null,
    }));
    this.#distribution = distribution;
    this.#behaviors = resolved;
    for (const pop of this.pops) if (!this.#caches.has(pop)) this.#caches.set(pop, []);
  }

  /**
   * Which POP a browser's request lands on (DNS/anycast decides that outside the distribution's config).
   * By default the first POP; a scenario can steer by the viewer's request number, e.g. a resolver
   * that re-resolves mid-session. A request to `<pop>.localhost` always lands on that POP.
   */
  routeViewers(route: ((viewerRequestIndex: number) => string) | null): void {
    this.#route = route;
    this.#viewerRequests = 0;
  }

  /** Removes every copy of the matching paths from every POP, all header variants (docs/cdn-behaviour.md#invalidation). */
  invalidate(paths: readonly string[]): number {
    let removed = 0;
    const matches = (path: string) => paths.some((pattern) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern));
    for (const [pop, entries] of this.#caches) {
      const kept = entries.filter((entry) => !matches(entry.path));
      removed += entries.length - kept.length;
      this.#caches.set(pop, kept);
    }
    return removed;
  }

  /** The copies a POP holds, for tests. */
  cached(pop: string): ReadonlyArray<Readonly<CacheEntry>> {
    return this.#caches.get(pop) ?? [];
  }

  behaviorFor(path: string): BehaviorConfig {
    return this.#behaviorFor(path).config;
  }

  #behaviorFor(path: string): ResolvedBehavior {
    return this.#behaviors.find((behavior) => pathPatternMatches(behavior.config.pathPattern, path))!;
  }

  #popFor(request: LabRequest): string {
    const label = (request.headers.host ?? '').split(':')[0]!.split('.')[0]!.toUpperCase();
    const named = this.pops.find((pop) => pop.toUpperCase() === label);
    if (named) return named;
    if (request.headers[LAB_CLIENT_HEADER] === undefined && this.#route) return this.#route(this.#viewerRequests++);
    return this.pops[0]!;
  }

  #decorate(pop: string, result: CacheResult, headers: Array<[string, string]>, age: number | null): Array<[string, string]> {
    const hash = createHash('md5').update(pop).digest('hex');
    const out = headers.filter(([name]) => !HOP_BY_HOP.has(name));
    // docs/cdn-behaviour.md#cloudfront-headers: X-Cache, Via, X-Amz-Cf-Pop and X-Amz-Cf-Id, Age.
    out.push(['x-cache', `${result} from cloudfront`], ['via', `1.1 ${hash}.cloudfront.net (CloudFront)`], ['x-amz-cf-pop', pop], ['x-amz-cf-id', randomBytes(42).toString('base64')]);
    if (age !== null) out.push(['age', String(age)]);
    return out;
  }

  async handle(request: LabRequest): Promise<LabResponse> {
    const url = new URL(request.url, 'http://edge');
    if (url.pathname === '/__lab/invalidate' && request.method === 'POST') {
      const paths = url.searchParams.getAll('path');
      const removed = this.invalidate(paths.length > 0 ? paths : ['/*']);
      const body = Buffer.from(JSON.stringify({ removed, paths }));
      return { status: 200, headers: [['content-type', 'application/json'], ['content-length', String(body.length)]], body };
    }
    const pop = this.#popFor(request);
    const method = request.method.toUpperCase();
    const behavior = this.#behaviorFor(url.pathname);
    const fromLabClient = request.headers[LAB_CLIENT_HEADER] !== undefined;
    const finish = (result: CacheResult, response: LabResponse): LabResponse => {
      this.log.push({ pop, method, path: url.pathname, origin: request.headers.origin ?? null, result, status: response.status, fromLabClient });
      return response;
    };

    const allowed = behavior.config.allowedMethods ?? ['GET', 'HEAD'];
    if (!allowed.includes(method as never)) {
      // OPTIONS (or another method) on a behavior that does not allow it: 403 "Error from cloudfront" is
      // commonly reported, unconfirmed (docs/cdn-behaviour.md#options). No response headers policy on this
      // CloudFront-generated error (whether one applies is unconfirmed, #response-headers-policy-cors).
      const body = cloudFrontErrorPage(403, 'This distribution is not configured to allow the HTTP request method that was used for this request.');
      const headers = this.#decorate(pop, 'Error', [['server', 'CloudFront'], ['date', this.#clock.httpDate()], ['content-type', 'text/html'], ['content-length', String(body.length)]], null);
      return finish('Error', { status: 403, headers, body });
    }

    const methodClass = method === 'OPTIONS' ? 'OPTIONS' : 'GET';
    const cachedMethods = behavior.config.cachedMethods ?? ['GET', 'HEAD'];
    // GET/HEAD always cached; OPTIONS only when listed (docs/cdn-behaviour.md#options).
    const cacheable = methodClass === 'GET' || cachedMethods.includes('OPTIONS');
    const key = cacheKeyOf(request, behavior.cachePolicy);
    const entries = this.#caches.get(pop)!;
    const now = this.#clock.now();
    const stored = cacheable
      ? [...entries].reverse().find((entry) => entry.path === url.pathname && entry.methodClass === methodClass && keyMatches(entry.key, request))
      : undefined;

    let result: CacheResult;
    let status: number;
    let headers: Array<[string, string]>;
    let body: Buffer;
    let age: number | null = null;
    const fresh = stored && now - stored.storedAt < stored.ttl * 1000;
    const cfId = randomBytes(42).toString('base64');
    if (stored && fresh) {
      ({ status, body } = stored);
      headers = [...stored.headers];
      age = Math.floor((now - stored.storedAt) / 1000);
      result = status >= 400 ? 'Error' : 'Hit';
    } else {
      const etag = stored && stored.status < 400 ? stored.headers.find(([name]) => name === 'etag')?.[1] : undefined;
      const forwarded = originRequestHeaders(request, behavior, `lab-bucket.s3.amazonaws.com`, cfId);
      if (etag) forwarded['if-none-match'] = etag; // revalidate an expired copy
      // The edge fetches whole objects (a viewer's Range is served from the whole copy below; not in docs/cdn-behaviour.md).
      const origin = await labFetch(this.#originPort, { method: method === 'HEAD' ? 'GET' : method, path: originRequestPath(request, behavior), headers: forwarded, host: 'lab-bucket.s3.amazonaws.com' });
      if (stored && origin.status === 304) {
        // Revalidated: RefreshHit, a log result type whose X-Cache form is unconfirmed (docs/cdn-behaviour.md#cloudfront-headers).
        // The 304's header fields replace the stored ones (RFC 9111 §4.3.4; CloudFront specifics not in docs/cdn-behaviour.md).
        const updated = new Set(origin.headers.map(([name]) => name));
        stored.headers = [...stored.headers.filter(([name]) => !updated.has(name)), ...origin.headers.filter(([name]) => !HOP_BY_HOP.has(name))];
        stored.storedAt = now;
        ({ status, body } = stored);
        headers = [...stored.headers];
        age = 0;
        result = 'RefreshHit';
      } else if (stored && origin.status >= 500) {
        // Expired copy + origin 5xx: the stale copy is served for the error-caching TTL (docs/cdn-behaviour.md#error-caching).
        stored.storedAt = now - stored.ttl * 1000 + ERROR_CACHING_MIN_TTL * 1000;
        ({ status, body } = stored);
        headers = [...stored.headers];
        age = Math.floor((now - stored.storedAt) / 1000);
        result = 'Hit';
      } else {
        ({ status, body } = origin);
        headers = origin.headers.filter(([name]) => !HOP_BY_HOP.has(name));
        // Errors from the origin show as "Error from cloudfront" (docs/cdn-behaviour.md#cloudfront-headers: documented for CloudFront-generated errors).
        result = status >= 400 ? 'Error' : 'Miss';
        const ttl = cacheable ? ttlOf(status, headers, behavior.cachePolicy) : 0;
        if (stored) entries.splice(entries.indexOf(stored), 1);
        if (ttl > 0) entries.push({ path: url.pathname, methodClass, key, status, headers, body, storedAt: now, ttl });
      }
    }

    if (behavior.responseHeadersPolicy) headers = applyResponseHeadersPolicy(behavior.responseHeadersPolicy, request, headers);
    if (behavior.config.edgeFunction) headers = [...headers, ...behavior.config.edgeFunction.appendResponseHeaders];

    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (status === 200 && range && Number(range[1]) < body.length) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
      const whole = body.length;
      body = body.subarray(start, end + 1);
      status = 206;
      headers = [...headers, ['content-range', `bytes ${start}-${end}/${whole}`]];
    }
    const viewerEtag = request.headers['if-none-match'];
    if (status === 200 && viewerEtag !== undefined && headers.some(([name, value]) => name === 'etag' && value === viewerEtag)) {
      status = 304;
      body = Buffer.alloc(0);
    }
    const out = this.#decorate(pop, result, headers, age);
    out.push(['content-length', String(body.length)]);
    return finish(result, { status, headers: out, body });
  }
}

export async function startEdge(edge: CloudFrontEdge): Promise<LoopbackServer> {
  return serveLoopback((request) => edge.handle(request));
}
