/**
 * The CDN signatures (signatures.json, a copy of the shared reference `cdn-signatures.json`) compiled
 * once into lookup tables. The JSON stays a verbatim copy so a new reference can be dropped in and
 * diffed; everything the engine interprets from its prose lives here.
 */
import signatureData from './signatures.json' with { type: 'json' };

/** Normalised cache status. The names are the keys the signature file uses. */
export type CacheStatus =
  | 'HIT'
  | 'HIT_REGIONAL'
  | 'HIT_NEGATIVE'
  | 'MISS'
  | 'EXPIRED'
  | 'STALE'
  | 'UPDATING'
  | 'REVALIDATED'
  | 'BYPASS'
  | 'DYNAMIC'
  | 'DISABLED'
  | 'ERROR'
  | 'REDIRECT'
  | 'GENERATED'
  | 'LIMIT'
  | 'UNKNOWN';

/**
 * Statuses tried most specific first: a vendor's HIT pattern can be broad (Fastly's `\bHIT\b`), and
 * Akamai's note asks for negative/stale/refresh hits to win over a plain hit.
 */
export const CACHE_STATUS_PRECEDENCE: readonly CacheStatus[] = [
  'HIT_NEGATIVE',
  'ERROR',
  'LIMIT',
  'GENERATED',
  'REDIRECT',
  'STALE',
  'UPDATING',
  'REVALIDATED',
  'EXPIRED',
  'BYPASS',
  'DYNAMIC',
  'DISABLED',
  'UNKNOWN',
  'HIT_REGIONAL',
  'HIT',
  'MISS',
];

/** Whether the response body and headers came out of the CDN's cache (null: the status does not say). */
export function isServedFromCache(status: CacheStatus | null): boolean | null {
  switch (status) {
    case 'HIT':
    case 'HIT_REGIONAL':
    case 'HIT_NEGATIVE':
    case 'STALE':
    case 'UPDATING':
    case 'REVALIDATED':
      return true;
    case 'MISS':
    case 'EXPIRED':
    case 'BYPASS':
    case 'DYNAMIC':
    case 'DISABLED':
      return false;
    default:
      return null;
  }
}

/**
 * How a vendor keeps cached copies apart by Origin (interpretation of the signature's `vary_origin`
 * prose): 'honoured', by the origin's `Vary: Origin`; 'origin-keyed', by its default cache key, which
 * holds the request's Origin whatever Vary says; 'ignored', not at all unless configured.
 */
export type VaryOriginHandling = 'honoured' | 'origin-keyed' | 'ignored' | 'unknown';

/** Whether a vendor keeps one copy per Origin by default, so a request without Origin cannot fill a CORS request's copy. */
export function keepsCopiesPerOrigin(handling: VaryOriginHandling): boolean {
  return handling === 'honoured' || handling === 'origin-keyed';
}

/**
 * Whether a vendor may have stored a response that reached the browser still saying `Vary: Origin`.
 * Akamai stores nothing whose Vary names more than Accept-Encoding (its Remove Vary behavior strips
 * Vary before storing, so a stored copy reaches the browser without it: docs/cdn-behaviour.md#akamai),
 * so such a response it did not serve from its cache was not stored.
 */
export function mayStoreVaryingOnOrigin(vendorId: string | null, servedFromCache: boolean | null): boolean {
  return vendorId !== 'akamai' || servedFromCache === true;
}

/**
 * Per vendor, from `vary_origin` in signatures.json and docs/cdn-behaviour.md#vary and #other-cdns. A test checks
 * that every vendor in the JSON has an entry.
 */
export const VARY_ORIGIN_HANDLING: Readonly<Record<string, VaryOriginHandling>> = {
  akamai: 'ignored', // not cached at all, or Vary removed by default on media products (docs/cdn-behaviour.md#akamai)
  'azure-front-door': 'unknown',
  bunny: 'unknown',
  // Ignores Vary by default, but its default cache key holds the client's Origin "for CORS support"
  // (docs/cdn-behaviour.md#cloudflare); only a Cache Rule's custom key can leave Origin out.
  cloudflare: 'origin-keyed',
  cloudfront: 'ignored', // caches per cache key only; Vary creates no variants (docs/cdn-behaviour.md#vary)
  fastly: 'honoured',
  google: 'unknown',
  jsdelivr: 'unknown',
  keycdn: 'unknown',
  netlify: 'unknown',
  'nginx-proxy-cache': 'honoured',
  varnish: 'honoured',
  vercel: 'unknown',
};

type Strength = 'strong' | 'medium' | 'weak';

interface RawIdentify {
  header: string;
  regex: string;
  flags: string;
  strength: string;
}
interface RawCacheStatus {
  header: string;
  values: Record<string, string>;
  flags: string;
}
interface RawPop {
  header: string;
  regex: string | null;
  group: number | null;
}
interface RawVendor {
  id: string;
  name: string;
  identify: RawIdentify[];
  cache_status: RawCacheStatus[];
  pop: RawPop[];
  vary_origin: string;
  doc_url: string;
}

export interface IdentifyPattern {
  vendorIndex: number;
  header: string;
  pattern: RegExp;
  weight: number;
}
export interface CacheStatusPattern {
  headers: string[];
  /** In CACHE_STATUS_PRECEDENCE order. */
  statuses: Array<{ status: CacheStatus; pattern: RegExp }>;
}
export interface PopPattern {
  headers: string[];
  pattern: RegExp;
  group: number;
}
export interface Vendor {
  id: string;
  name: string;
  docUrl: string;
  varyOrigin: VaryOriginHandling;
  /** The reference's own words about Vary, shown as evidence. */
  varyOriginNote: string;
  cacheStatus: CacheStatusPattern[];
  pop: PopPattern[];
}

const STRENGTH_WEIGHT: Record<Strength, number> = { strong: 3, medium: 2, weak: 1 };

/**
 * Header names named by a signature field. Most fields name one header; a few name alternatives
 * ("x-cache-status | x-cache | x-proxy-cache (operator-defined)") or an operator's custom header
 * ("<custom, e.g. x-cache-status / cdn-cache-status>").
 */
export function headerNamesOf(field: string): string[] {
  const cleaned = field.replace(/\([^)]*\)/g, ' ').replace(/\{[^}]*\}/g, ' ').replace(/[<>]/g, ' ').replace(/\bcustom,|\be\.g\./g, ' ');
  return cleaned
    .split(/[|/]/)
    .map((part) => part.trim().toLowerCase())
    .filter((part) => /^[a-z0-9][a-z0-9-]*$/.test(part));
}

/**
 * Linear-time equivalents of signature patterns that backtrack quadratically, by their source (the
 * JSON stays a verbatim copy). Netlify's MISS pattern `"Netlify Edge";[^,]*fwd=(…)` rescans the rest
 * of a comma-free stretch from every `"Netlify Edge";` in it: a Cache-Status of 100 000 characters
 * took seconds. Only the first occurrence in a stretch needs trying (a later one sees less of the same
 * stretch); the equivalent starts at a stretch's start and its negative lookahead stops at that first
 * occurrence. test/engine/cdn/linear-patterns.test.ts checks that both match the same values.
 */
export const LINEAR_EQUIVALENTS: ReadonlyMap<string, string> = new Map([
  [
    '"Netlify Edge";[^,]*fwd=(miss|uri-miss|vary-miss|request|method|partial)',
    '(?:^|,)(?:(?!"Netlify Edge";)[^,])*"Netlify Edge";[^,]*fwd=(miss|uri-miss|vary-miss|request|method|partial)',
  ],
]);

/**
 * What a signature entry's note or source says but its patterns do not read, by vendor id and the
 * entry's `header` field (the JSON stays a verbatim copy). Akamai's `Akamai-Cache-Status` "may include
 * a parent part": a child that missed and a parent that had the object (`Miss from child, Hit from
 * parent`) served the parent tier's stored copy
 * (https://techdocs.akamai.com/property-mgr/docs/return-cache-status).
 */
const SUPPLEMENTARY_STATUSES: ReadonlyMap<string, Partial<Record<CacheStatus, string>>> = new Map([
  ['akamai akamai-cache-status', { HIT_REGIONAL: '^(Miss|NotCacheable) from child, (Hit|RefreshHit|HitStale) from parent' }],
]);

/**
 * Header names a custom-header entry reads besides those it names: Cloud CDN's own example of its
 * custom header is `Cache-Status: {cdn_cache_status}` (gcloud compute backend-buckets update
 * --custom-response-header), whose bare `hit`/`miss` RFC 9211's reading takes for a cache's name.
 */
const CUSTOM_HEADER_EXAMPLES: readonly string[] = ['cache-status'];

/** A signature pattern, compiled in its linear-time form. */
function compilePattern(source: string, flags?: string): RegExp {
  return new RegExp(LINEAR_EQUIVALENTS.get(source) ?? source, flags);
}

function isCacheStatus(name: string): name is CacheStatus {
  return (CACHE_STATUS_PRECEDENCE as readonly string[]).includes(name);
}

function compileVendor(raw: RawVendor): Vendor {
  const cacheStatus: CacheStatusPattern[] = [];
  for (const entry of raw.cache_status) {
    const headers = headerNamesOf(entry.header).filter((name) => name !== 'age'); // Age is read for every vendor
    if (headers.length === 0) continue;
    if (entry.header.startsWith('<custom')) headers.push(...CUSTOM_HEADER_EXAMPLES.filter((name) => !headers.includes(name)));
    const values: Partial<Record<string, string>> = { ...entry.values, ...SUPPLEMENTARY_STATUSES.get(`${raw.id} ${entry.header}`) };
    const statuses = CACHE_STATUS_PRECEDENCE.flatMap((status) => {
      const source = values[status];
      return source === undefined ? [] : [{ status, pattern: compilePattern(source, entry.flags) }];
    });
    for (const name of Object.keys(entry.values)) {
      if (!isCacheStatus(name)) throw new Error(`signatures.json: unknown cache status ${name} for ${raw.id}`);
    }
    cacheStatus.push({ headers, statuses });
  }
  const pop = raw.pop.flatMap((entry): PopPattern[] => {
    const headers = headerNamesOf(entry.header);
    if (entry.regex === null || entry.group === null || headers.length === 0) return [];
    return [{ headers, pattern: compilePattern(entry.regex), group: entry.group }];
  });
  return {
    id: raw.id,
    name: raw.name,
    docUrl: raw.doc_url,
    varyOrigin: VARY_ORIGIN_HANDLING[raw.id] ?? 'unknown',
    varyOriginNote: raw.vary_origin,
    cacheStatus,
    pop,
  };
}

const RAW_VENDORS = signatureData as RawVendor[];

/** Every vendor of signatures.json, in file order (the tie-breaker when two vendors score the same). */
export const VENDORS: readonly Vendor[] = RAW_VENDORS.map(compileVendor);

/** Identification patterns by header name, so a response is matched in one pass over its headers. */
export const IDENTIFY_BY_HEADER: ReadonlyMap<string, readonly IdentifyPattern[]> = (() => {
  const byHeader = new Map<string, IdentifyPattern[]>();
  RAW_VENDORS.forEach((raw, vendorIndex) => {
    for (const entry of raw.identify) {
      const weight = STRENGTH_WEIGHT[entry.strength as Strength] ?? 1;
      for (const header of headerNamesOf(entry.header)) {
        const list = byHeader.get(header) ?? [];
        list.push({ vendorIndex, header, pattern: compilePattern(entry.regex, entry.flags), weight });
        byHeader.set(header, list);
      }
    }
  });
  return byHeader;
})();

export function vendorById(id: string): Vendor | undefined {
  return VENDORS.find((vendor) => vendor.id === id);
}
