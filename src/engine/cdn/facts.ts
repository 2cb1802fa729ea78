import type { HeaderList } from '../model.ts';
import type { CacheStatus, CacheStatusPattern, PopPattern, Vendor, VaryOriginHandling } from './vendors.ts';
import { Memo, OwnedMemo } from '../memo.ts';
import { IDENTIFY_BY_HEADER, VENDORS, isServedFromCache, vendorById } from './vendors.ts';
import { lowerCaseName } from '../headers.ts';
import type { StorageFacts } from './storage.ts';
import { isGetOrHead, storageFactsOfReader } from './storage.ts';
import { VALUES_PER_HEADER, evidenceOf } from './evidence.ts';
import type { HeaderReader } from './response-headers.ts';
import { ResponseHeaders } from './response-headers.ts';
import { answeringCacheStatusMember, rfc9211StatusOf } from './rfc9211.ts';

import type { HeaderEvidence } from './evidence.ts';

export type { HeaderEvidence };

/** Which layer wrote the response's Access-Control-Allow-Origin. */
export type CorsHeaderLayer = 'storage' | 'cdn-policy' | 'unknown';

/** What the response headers say about the CDN and storage layers that produced a response. */
export interface CdnFacts {
  /** The best-matching vendor of signatures.json, null when none matched. */
  vendor: Vendor | null;
  /** Identifying headers of `vendor`. */
  vendorEvidence: HeaderEvidence[];
  /** Other vendors that matched too, e.g. the CDN under a multi-CDN service such as jsDelivr. */
  alsoMatched: string[];
  cacheStatus: CacheStatus | null;
  cacheStatusEvidence: HeaderEvidence | null;
  /** true: from the CDN cache; false: fetched from the origin; null: not known. */
  servedFromCache: boolean | null;
  /** Edge location code (IATA-style for most vendors), e.g. 'ICN' for `x-amz-cf-pop: ICN80-P3`. */
  pop: string | null;
  popEvidence: HeaderEvidence | null;
  /** `Age` in seconds, null when absent or malformed. */
  age: number | null;
  /** How the vendor treats an origin's `Vary: Origin`; 'unknown' without a vendor. */
  varyOrigin: VaryOriginHandling;
  /** The response's Vary names Origin (or `*`). */
  varyHasOrigin: boolean;
  storage: StorageFacts;
  /** Who wrote ACAO; null when the response has none. */
  corsLayer: CorsHeaderLayer | null;
}

/** Per header name: which of its identification patterns a value matches, as a bit mask. */
const IDENTIFY_MASKS = new OwnedMemo<string, number>((name, value) => {
  const patterns = IDENTIFY_BY_HEADER.get(name) ?? [];
  let mask = 0;
  // More than 31 patterns for one header would overflow the mask: callers test those directly.
  for (let index = 0; index < patterns.length && index < 31; index++) if (patterns[index]!.pattern.test(value)) mask |= 1 << index;
  return mask;
}, VALUES_PER_HEADER);

/** The vendors whose identifying headers match a response, best first: score, then file order. */
interface Ranking {
  /** Indices into VENDORS. */
  readonly indices: readonly number[];
  readonly vendors: readonly Vendor[];
}

const NO_RANKING: Ranking = Object.freeze({ indices: Object.freeze([]), vendors: Object.freeze([]) });

/** The ranking a score key (see rankingOf) stands for. */
function rankingOfKey(key: string): Ranking {
  const matched: number[] = [];
  const scores = new Map<number, number>();
  for (let at = 0; at < key.length; at += 2) {
    matched.push(key.charCodeAt(at));
    scores.set(key.charCodeAt(at), key.charCodeAt(at + 1));
  }
  if (matched.length > 1) matched.sort((a, b) => scores.get(b)! - scores.get(a)! || a - b);
  return Object.freeze({ indices: Object.freeze(matched), vendors: Object.freeze(matched.map((index) => VENDORS[index]!)) });
}

/** Rankings by score key: a log has a handful of vendor mixes, so its records share a few frozen rankings. */
const RANKINGS = new Memo<Ranking>(rankingOfKey, 1024);

/** The vendors a response's identifying headers match, ranked. Only the headers some vendor is identified by are looked at. */
function rankingOf(headers: ResponseHeaders): Ranking {
  const list = headers.list;
  const positions = headers.identifyAt;
  if (list === null || positions === null) return NO_RANKING;
  // A response matches a vendor or two: their indices and scores, side by side.
  const matched: number[] = [];
  const scores: number[] = [];
  for (let at = 0; at < positions.length; at++) {
    const header = list[positions[at]!]!;
    const name = header[0];
    const value = header[1];
    const patterns = IDENTIFY_BY_HEADER.get(name) ?? [];
    const mask = patterns.length <= 31 ? IDENTIFY_MASKS.get(name, value) : -1;
    for (let index = 0; index < patterns.length; index++) {
      const identify = patterns[index]!;
      if (mask === -1 ? !identify.pattern.test(value) : (mask & (1 << index)) === 0) continue;
      const slot = matched.indexOf(identify.vendorIndex);
      if (slot === -1) {
        matched.push(identify.vendorIndex);
        scores.push(identify.weight);
      } else scores[slot]! += identify.weight;
    }
  }
  if (matched.length === 0) return NO_RANKING;
  // The key names every matched vendor (in file order) and its score as UTF-16 code units.
  const order = matched.map((_vendor, slot) => slot).sort((a, b) => matched[a]! - matched[b]!);
  let key = '';
  for (const slot of order) key += String.fromCharCode(matched[slot]!, Math.min(scores[slot]!, 0xffff));
  // A score past one code unit (never in the signatures) is ranked without the memo.
  return scores.some((score) => score > 0xffff) ? rankingOfScores(matched, scores) : RANKINGS.get(key);
}

function rankingOfScores(matched: number[], scores: number[]): Ranking {
  const order = matched.map((_vendor, slot) => slot).sort((a, b) => scores[b]! - scores[a]! || matched[a]! - matched[b]!);
  const indices = order.map((slot) => matched[slot]!);
  return Object.freeze({ indices: Object.freeze(indices), vendors: Object.freeze(indices.map((index) => VENDORS[index]!)) });
}

/** The identifying headers of one vendor, in header order (one entry per matching pattern). */
function vendorEvidenceOf(list: HeaderList | null, vendorIndex: number): HeaderEvidence[] {
  const evidence: HeaderEvidence[] = [];
  for (const [name, value] of list ?? []) {
    for (const identify of IDENTIFY_BY_HEADER.get(name) ?? []) {
      if (identify.vendorIndex === vendorIndex && identify.pattern.test(value)) evidence.push({ name, value });
    }
  }
  return evidence;
}

function firstHeader(headers: HeaderReader, names: readonly string[], share: boolean): HeaderEvidence | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) return evidenceOf(name, value.trim(), share);
  }
  return null;
}

/** Per signature entry: the first status (in precedence order) whose pattern matches a value, null when none does. */
const STATUS_MATCHES = new OwnedMemo<CacheStatusPattern, CacheStatus | null>(
  (entry, value) => entry.statuses.find(({ pattern }) => pattern.test(value))?.status ?? null,
  VALUES_PER_HEADER,
);

/** A cache status a response states, and the header that states it. */
export interface CacheStatusReading {
  status: CacheStatus;
  evidence: HeaderEvidence;
  /**
   * The vendor whose header states it (signatures.json id), null for the generic readings: RFC 9211
   * `Cache-Status` from an unidentified cache, or a bare `X-Cache: HIT` with no vendor identified.
   */
  vendorId: string | null;
}

const CACHE_STATUS_HEADER = 'cache-status';

function vendorStatus(vendor: Vendor, headers: HeaderReader, share: boolean): CacheStatusReading | null {
  for (const entry of vendor.cacheStatus) {
    const evidence = firstHeader(headers, entry.headers, share);
    if (!evidence) continue;
    const status = STATUS_MATCHES.get(entry, evidence.value);
    if (status !== null) return { status, evidence, vendorId: vendor.id };
  }
  return null;
}

/**
 * The status the cache-status headers state: the ranked vendors' own headers first (best-ranked
 * first), then RFC 9211 `Cache-Status` from any cache (the standard, generic reading). Without an
 * identified vendor a bare `X-Cache: HIT` still says something, so then every vendor's patterns are
 * tried, the status counted as generic.
 */
function statedCacheStatus(ranking: Ranking, headers: HeaderReader, share: boolean): CacheStatusReading | null {
  for (const vendor of ranking.vendors) {
    const reading = vendorStatus(vendor, headers, share);
    if (reading !== null) return reading;
  }
  const standard = headers.get(CACHE_STATUS_HEADER);
  const standardStatus = standard === null ? null : rfc9211StatusOf(standard);
  if (standard !== null && standardStatus !== null) {
    return { status: standardStatus, evidence: evidenceOf(CACHE_STATUS_HEADER, standard.trim(), share), vendorId: ranking.vendors[0]?.id ?? null };
  }
  if (ranking.vendors.length > 0) return null;
  for (const vendor of VENDORS) {
    const reading = vendorStatus(vendor, headers, share);
    if (reading !== null) return { ...reading, vendorId: null };
  }
  return null;
}

/** A vendor's name as a list column shows it: 'Varnish', not 'Varnish (generic)'. */
export function cacheVendorLabel(vendorId: string | null): string | null {
  if (vendorId === null) return null;
  const vendor = vendorById(vendorId);
  return vendor ? vendor.name.replace(/\s*\(.*\)\s*$/, '') : null;
}

/** A status word a header value may say itself ("Hit from cloudfront", "TCP_MISS", "DYNAMIC"). */
const STATUS_WORD = /hit|miss|stale|expired|bypass|dynamic|revalidated|updating|pass|error|redirect|disabled|uncacheable|none|unknown/i;

/**
 * What a request list shows of a cache reading, the same for every vendor: the header's own words when
 * they name the status (`Hit from cloudfront`, `HIT`, `TCP_HIT`), the answering member of an RFC 9211
 * list (`"Netlify Edge"; hit`; a shield's hit behind an edge that forwarded to it), and otherwise the vendor and the status (Varnish says a hit with two
 * transaction ids, `X-Varnish: 32770 5`: shown as `Varnish HIT`).
 */
export function cacheStatusLabel(reading: CacheStatusReading): string {
  const { name, value } = reading.evidence;
  if (name === CACHE_STATUS_HEADER) return answeringCacheStatusMember(value) ?? value;
  if (STATUS_WORD.test(value)) return value;
  const vendor = cacheVendorLabel(reading.vendorId);
  return vendor === null ? reading.status : `${vendor} ${reading.status}`;
}

/**
 * Per-response ids of the cache layers, in preference order: two responses with the same id are one
 * response (the browser re-served its copy); different ids are separate answers even when they are
 * hits on one cached object. Each id is per response, not per object: CloudFront's `x-amz-cf-id`
 * differs between a hit and the miss that filled it
 * (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginRequestPolicy.html); Varnish's
 * `X-Varnish` starts with the request's own transaction id and on a hit adds the id that stored the
 * object (https://github.com/varnishcache/varnish-cache bin/varnishd/cache/cache_req_fsm.c,
 * Resp_Setup_Deliver); Cloudflare's `cf-ray` names one request
 * (https://developers.cloudflare.com/fundamentals/reference/cloudflare-ray-id/); Akamai's
 * `X-Akamai-Request-ID` (https://techdocs.akamai.com/edge-diagnostics/docs/pragma-headers), Azure's
 * `X-Azure-Ref` (https://learn.microsoft.com/azure/frontdoor/front-door-http-headers-protocol),
 * Netlify's `x-nf-request-id` and Vercel's `x-vercel-id` likewise; Fastly's `X-Timer` starts with the
 * time Fastly received this very request, to the microsecond
 * (https://www.fastly.com/documentation/reference/http/http-headers/X-Timer), so it tells two hits
 * within one second apart, where Fastly's `Date` (set to the current time) and `Age` do not.
 */
export const RESPONSE_ID_HEADERS: readonly string[] = [
  'x-amz-cf-id',
  'x-varnish',
  'cf-ray',
  'x-akamai-request-id',
  'x-azure-ref',
  'x-nf-request-id',
  'x-vercel-id',
  'x-timer',
];

/** The id one cache layer gave this very response (`x-varnish 32770 5`), null when none did. */
export function responseIdOf(responseHeaders: HeaderList | null): string | null {
  if (responseHeaders === null) return null;
  let best: string | null = null;
  let bestRank = RESPONSE_ID_HEADERS.length;
  for (const [name, value] of responseHeaders) {
    const rank = RESPONSE_ID_HEADERS.indexOf(lowerCaseName(name));
    if (rank !== -1 && rank < bestRank && value.trim() !== '') {
      best = `${RESPONSE_ID_HEADERS[rank]} ${value.trim()}`;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * The CDN cache status a response's headers state (HIT, MISS, STALE…) and the header that states it
 * (e.g. `x-cache: Hit from cloudfront`), null when none does: the same reading cdnFactsOf makes, for
 * callers that want only this (a view's rows). Reads only the headers vendors are identified by and
 * the cache-status headers. cdnFactsOf also infers a hit from `Age` when no header states a status;
 * this does not.
 */
export function cacheStatusOf(responseHeaders: HeaderList | null): CacheStatusReading | null {
  if (responseHeaders === null || responseHeaders.length === 0) return null;
  const headers = new ResponseHeaders(responseHeaders);
  return statedCacheStatus(rankingOf(headers), headers, false);
}

/** Per signature entry: its capture group in a value; null when the pattern does not match or the group is empty. */
const POP_MATCHES = new OwnedMemo<PopPattern, string | null>((entry, value) => entry.pattern.exec(value)?.[entry.group] || null, VALUES_PER_HEADER);

function popOf(vendors: readonly Vendor[], headers: HeaderReader, share: boolean): { pop: string; evidence: HeaderEvidence } | null {
  for (const vendor of vendors) {
    for (const entry of vendor.pop) {
      const evidence = firstHeader(headers, entry.headers, share);
      const pop = evidence ? POP_MATCHES.get(entry, evidence.value) : null;
      if (evidence && pop) return { pop, evidence };
    }
  }
  return null;
}

const DIGITS = /^\d+$/;

function ageOf(headers: HeaderReader): number | null {
  const raw = headers.get('age')?.trim();
  return raw !== undefined && DIGITS.test(raw) ? Number(raw) : null;
}

function corsLayerOf(headers: HeaderReader, vendor: Vendor | null, storage: StorageFacts, method: string): CorsHeaderLayer | null {
  if (headers.get('access-control-allow-origin') === null) return null;
  if (storage.s3CorsFingerprint) return 'storage';
  // S3 never answers a matched CORS GET without Access-Control-Allow-Methods (docs/cdn-behaviour.md#s3-fingerprint), so an
  // ACAO without it on an S3 object behind CloudFront was added by a response headers policy.
  if (vendor?.id === 'cloudfront' && storage.service === 's3' && isGetOrHead(method) && headers.get('access-control-allow-methods') === null) {
    return 'cdn-policy';
  }
  return 'unknown';
}

/**
 * CdnFacts as the rules hold them, one per record for a whole diagnosis: the same facts, but the
 * evidence objects are shared between records with the same header value (frozen), and the two
 * lists no rule reads (vendorEvidence, alsoMatched) are worked out again from the headers when asked.
 */
class SharedCdnFacts implements CdnFacts {
  vendor: Vendor | null;
  cacheStatus: CacheStatus | null;
  cacheStatusEvidence: HeaderEvidence | null;
  servedFromCache: boolean | null;
  pop: string | null;
  popEvidence: HeaderEvidence | null;
  age: number | null;
  varyOrigin: VaryOriginHandling;
  varyHasOrigin: boolean;
  storage: StorageFacts;
  corsLayer: CorsHeaderLayer | null;
  readonly #list: HeaderList | null;

  constructor(headers: ResponseHeaders, method: string, share: boolean) {
    this.#list = headers.list;
    const ranking = rankingOf(headers);
    const matchedVendors = ranking.vendors;
    const vendor = matchedVendors[0] ?? null;
    const status = statedCacheStatus(ranking, headers, share);
    const age = ageOf(headers);
    const pop = matchedVendors.length > 0 ? popOf(matchedVendors, headers, share) : null;
    const storage = storageFactsOfReader(headers, method, share);
    const vary = headers.varyTokens;
    let servedFromCache = isServedFromCache(status?.status ?? null);
    // Age > 0 implies a cached copy (RFC 9111 §5.1); its absence proves nothing.
    if (servedFromCache === null && age !== null && age > 0) servedFromCache = true;
    this.vendor = vendor;
    this.cacheStatus = status?.status ?? (servedFromCache === true ? 'HIT' : null);
    this.cacheStatusEvidence = status?.evidence ?? (servedFromCache === true && age !== null ? evidenceOf('age', String(age), share) : null);
    this.servedFromCache = servedFromCache;
    this.pop = pop?.pop ?? null;
    this.popEvidence = pop?.evidence ?? null;
    this.age = age;
    this.varyOrigin = vendor?.varyOrigin ?? 'unknown';
    this.varyHasOrigin = vary.includes('origin') || vary.includes('*');
    this.storage = storage;
    this.corsLayer = corsLayerOf(headers, vendor, storage, method);
  }

  /** Identifying headers of `vendor` (worked out again on each read: no rule reads them). */
  get vendorEvidence(): HeaderEvidence[] {
    return this.vendor === null ? [] : vendorEvidenceOf(this.#list, VENDORS.indexOf(this.vendor));
  }

  get alsoMatched(): string[] {
    return rankingOf(new ResponseHeaders(this.#list))
      .indices.slice(1)
      .map((index) => VENDORS[index]!.id);
  }
}

/**
 * The CdnFacts the rules keep per record, from headers already gathered: evidence objects shared
 * and frozen, vendorEvidence and alsoMatched recomputed on read. Same values as cdnFactsOf.
 */
export function sharedCdnFactsOf(headers: ResponseHeaders, method: string): CdnFacts {
  return new SharedCdnFacts(headers, method, true);
}

/**
 * CDN, cache and storage facts of one response. `method` is the request method: the S3 fingerprint
 * (Allow-Methods on a GET) only means something on an actual GET/HEAD. A plain object of its own.
 */
export function cdnFactsOf(responseHeaders: HeaderList | null, method = 'GET'): CdnFacts {
  const facts = new SharedCdnFacts(new ResponseHeaders(responseHeaders), method, false);
  return {
    vendor: facts.vendor,
    vendorEvidence: facts.vendorEvidence,
    alsoMatched: facts.alsoMatched,
    cacheStatus: facts.cacheStatus,
    cacheStatusEvidence: facts.cacheStatusEvidence,
    servedFromCache: facts.servedFromCache,
    pop: facts.pop,
    popEvidence: facts.popEvidence,
    age: facts.age,
    varyOrigin: facts.varyOrigin,
    varyHasOrigin: facts.varyHasOrigin,
    storage: facts.storage,
    corsLayer: facts.corsLayer,
  };
}
