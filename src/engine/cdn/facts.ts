import type { HeaderList } from '../model.ts';
import type { CacheStatus, Vendor, VaryOriginHandling } from './vendors.ts';
import { IDENTIFY_BY_HEADER, VENDORS, isServedFromCache } from './vendors.ts';
import type { HeaderIndex, StorageFacts } from './storage.ts';
import { headerIndexOf, storageFactsOf, varyTokensOf } from './storage.ts';

function headerValue(index: HeaderIndex, name: string): string | null {
  return index.get(name)?.[0] ?? null;
}

/** A response header that supports a fact. */
export interface HeaderEvidence {
  name: string;
  value: string;
}

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

interface Scored {
  score: number;
  evidence: HeaderEvidence[];
}

function scoreVendors(headers: HeaderList): Map<number, Scored> {
  const scores = new Map<number, Scored>();
  for (const [name, value] of headers) {
    const patterns = IDENTIFY_BY_HEADER.get(name);
    if (!patterns) continue;
    for (const identify of patterns) {
      if (!identify.pattern.test(value)) continue;
      const entry = scores.get(identify.vendorIndex) ?? { score: 0, evidence: [] };
      entry.score += identify.weight;
      entry.evidence.push({ name, value });
      scores.set(identify.vendorIndex, entry);
    }
  }
  return scores;
}

function firstHeader(headers: HeaderIndex, names: readonly string[]): HeaderEvidence | null {
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== null) return { name, value: value.trim() };
  }
  return null;
}

function cacheStatusOf(vendors: readonly Vendor[], headers: HeaderIndex): { status: CacheStatus; evidence: HeaderEvidence } | null {
  for (const vendor of vendors) {
    for (const entry of vendor.cacheStatus) {
      const evidence = firstHeader(headers, entry.headers);
      if (!evidence) continue;
      const match = entry.statuses.find(({ pattern }) => pattern.test(evidence.value));
      if (match) return { status: match.status, evidence };
    }
  }
  return null;
}

function popOf(vendors: readonly Vendor[], headers: HeaderIndex): { pop: string; evidence: HeaderEvidence } | null {
  for (const vendor of vendors) {
    for (const entry of vendor.pop) {
      const evidence = firstHeader(headers, entry.headers);
      const match = evidence ? entry.pattern.exec(evidence.value) : null;
      const pop = match?.[entry.group];
      if (evidence && pop) return { pop, evidence };
    }
  }
  return null;
}

function ageOf(headers: HeaderIndex): number | null {
  const raw = headerValue(headers, 'age')?.trim();
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
}

function corsLayerOf(headers: HeaderIndex, vendor: Vendor | null, storage: StorageFacts, method: string): CorsHeaderLayer | null {
  if (headerValue(headers, 'access-control-allow-origin') === null) return null;
  if (storage.s3CorsFingerprint) return 'storage';
  // S3 never answers a matched CORS GET without Access-Control-Allow-Methods (cdn.md §3.3 (4)), so an
  // ACAO without it on an S3 object behind CloudFront was added by a response headers policy.
  const upperMethod = method.toUpperCase();
  const simpleMethod = upperMethod === 'GET' || upperMethod === 'HEAD';
  if (vendor?.id === 'cloudfront' && storage.service === 's3' && simpleMethod && headerValue(headers, 'access-control-allow-methods') === null) {
    return 'cdn-policy';
  }
  return 'unknown';
}

const NO_HEADERS: HeaderList = [];

/**
 * CDN, cache and storage facts of one response. `method` is the request method: the S3 fingerprint
 * (Allow-Methods on a GET) only means something on an actual GET/HEAD.
 */
export function cdnFactsOf(responseHeaders: HeaderList | null, method = 'GET'): CdnFacts {
  const headers = headerIndexOf(responseHeaders);
  const ranked = [...scoreVendors(responseHeaders ?? NO_HEADERS).entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
  const matchedVendors = ranked.map(([index]) => VENDORS[index]).filter((vendor): vendor is Vendor => vendor !== undefined);
  const vendor = matchedVendors[0] ?? null;
  // Without an identified vendor a bare `X-Cache: HIT` still says something; try every vendor's patterns.
  const statusVendors = matchedVendors.length > 0 ? matchedVendors : VENDORS;
  const status = cacheStatusOf(statusVendors, headers);
  const age = ageOf(headers);
  const pop = popOf(matchedVendors, headers);
  const storage = storageFactsOf(headers, method);
  const vary = varyTokensOf(headers);
  let servedFromCache = isServedFromCache(status?.status ?? null);
  // Age > 0 implies a cached copy (RFC 9111 §5.1); its absence proves nothing.
  if (servedFromCache === null && age !== null && age > 0) servedFromCache = true;
  return {
    vendor,
    vendorEvidence: ranked[0]?.[1].evidence ?? [],
    alsoMatched: matchedVendors.slice(1).map((other) => other.id),
    cacheStatus: status?.status ?? (servedFromCache === true ? 'HIT' : null),
    cacheStatusEvidence: status?.evidence ?? (servedFromCache === true && age !== null ? { name: 'age', value: String(age) } : null),
    servedFromCache,
    pop: pop?.pop ?? null,
    popEvidence: pop?.evidence ?? null,
    age,
    varyOrigin: vendor?.varyOrigin ?? 'unknown',
    varyHasOrigin: vary.includes('origin') || vary.includes('*'),
    storage,
    corsLayer: corsLayerOf(headers, vendor, storage, method),
  };
}
