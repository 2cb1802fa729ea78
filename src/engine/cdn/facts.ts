import type { HeaderList } from '../model.ts';
import type { CacheStatus, CacheStatusPattern, PopPattern, Vendor, VaryOriginHandling } from './vendors.ts';
import { MemoTable } from './memo.ts';
import { IDENTIFY_BY_HEADER, VENDORS, isServedFromCache } from './vendors.ts';
import type { StorageFacts } from './storage.ts';
import { isGetOrHead, storageFactsOfReader } from './storage.ts';
import { evidenceOf } from './evidence.ts';
import type { HeaderReader } from './response-headers.ts';
import { ResponseHeaders } from './response-headers.ts';

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

/** Per header name: which of its identification patterns a value matches, as a bit mask (memoised). */
const IDENTIFY_MASKS = new MemoTable<string, number>((name, value) => {
  const patterns = IDENTIFY_BY_HEADER.get(name) ?? [];
  let mask = 0;
  // More than 31 patterns for one header would overflow the mask: callers test those directly.
  for (let index = 0; index < patterns.length && index < 31; index++) if (patterns[index]!.pattern.test(value)) mask |= 1 << index;
  return mask;
});

/** Per vendor (index into VENDORS): its score while one response is ranked; all zero in between. */
const SCORES = new Array<number>(VENDORS.length).fill(0);

/**
 * Ranked vendor lists by score vector (see rankedVendors): a log has a handful of vendor mixes, so
 * records share one frozen list instead of sorting a new one each. Bounded like the other memos.
 */
const RANKINGS = new Map<string, readonly number[]>();
const RANKINGS_LIMIT = 1024;

/**
 * Indices (into VENDORS) of the vendors whose identifying headers match, best first: score, then
 * file order. Only the headers some vendor is identified by are looked at. Shared and frozen.
 */
function rankedVendorIndices(headers: ResponseHeaders): readonly number[] {
  const list = headers.list;
  const positions = headers.identifyAt;
  if (list === null || positions === null) return NO_INDICES;
  let matchedAny = false;
  for (let at = 0; at < positions.length; at++) {
    const header = list[positions[at]!]!;
    const name = header[0];
    const value = header[1];
    const patterns = IDENTIFY_BY_HEADER.get(name) ?? [];
    const mask = patterns.length <= 31 ? IDENTIFY_MASKS.get(name, value) : -1;
    for (let index = 0; index < patterns.length; index++) {
      const identify = patterns[index]!;
      if (mask === -1 ? !identify.pattern.test(value) : (mask & (1 << index)) === 0) continue;
      SCORES[identify.vendorIndex]! += identify.weight;
      matchedAny = true;
    }
  }
  if (!matchedAny) return NO_INDICES;
  // The key names every matched vendor and its score as UTF-16 code units (a score that does not
  // fit one is not memoised).
  let key: string | null = '';
  for (let index = 0; index < SCORES.length && key !== null; index++) {
    const score = SCORES[index]!;
    if (score !== 0) key = score > 0xffff ? null : key + String.fromCharCode(index, score);
  }
  let ranked = key === null ? undefined : RANKINGS.get(key);
  if (ranked === undefined) {
    const scores = [...SCORES];
    const matched: number[] = [];
    for (let index = 0; index < scores.length; index++) if (scores[index] !== 0) matched.push(index);
    if (matched.length > 1) matched.sort((a, b) => scores[b]! - scores[a]! || a - b);
    ranked = Object.freeze(matched);
    if (key !== null && RANKINGS.size < RANKINGS_LIMIT) RANKINGS.set(key, ranked);
  }
  SCORES.fill(0);
  return ranked;
}

const NO_INDICES: readonly number[] = Object.freeze([]);

/** The vendors of rankedVendorIndices, shared by ranking (the records of one CDN mix get one list). */
const VENDOR_LISTS = new WeakMap<readonly number[], readonly Vendor[]>();

function rankedVendors(headers: ResponseHeaders): readonly Vendor[] {
  const indices = rankedVendorIndices(headers);
  if (indices.length === 0) return NO_VENDORS;
  let vendors = VENDOR_LISTS.get(indices);
  if (vendors === undefined) {
    vendors = Object.freeze(indices.map((index) => VENDORS[index]!));
    VENDOR_LISTS.set(indices, vendors);
  }
  return vendors;
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
const STATUS_MATCHES = new MemoTable<CacheStatusPattern, CacheStatus | null>(
  (entry, value) => entry.statuses.find(({ pattern }) => pattern.test(value))?.status ?? null,
);

function cacheStatusOf(vendors: readonly Vendor[], headers: HeaderReader, share: boolean): { status: CacheStatus; evidence: HeaderEvidence } | null {
  for (const vendor of vendors) {
    for (const entry of vendor.cacheStatus) {
      const evidence = firstHeader(headers, entry.headers, share);
      if (!evidence) continue;
      const status = STATUS_MATCHES.get(entry, evidence.value);
      if (status !== null) return { status, evidence };
    }
  }
  return null;
}

/** Per signature entry: its capture group in a value; null when the pattern does not match or the group is empty. */
const POP_MATCHES = new MemoTable<PopPattern, string | null>((entry, value) => entry.pattern.exec(value)?.[entry.group] || null);

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
  // S3 never answers a matched CORS GET without Access-Control-Allow-Methods (cdn.md §3.3 (4)), so an
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
    const matchedVendors = rankedVendors(headers);
    const vendor = matchedVendors[0] ?? null;
    // Without an identified vendor a bare `X-Cache: HIT` still says something; try every vendor's patterns.
    const statusVendors = matchedVendors.length > 0 ? matchedVendors : VENDORS;
    const status = cacheStatusOf(statusVendors, headers, share);
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
    return rankedVendorIndices(new ResponseHeaders(this.#list))
      .slice(1)
      .map((index) => VENDORS[index]!.id);
  }
}

const NO_VENDORS: readonly Vendor[] = [];

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
