/**
 * CloudFront managed policies by name, as docs/cdn-behaviour.md#cloudfront-managed-policies records them; each
 * comment names the part of that page it follows.
 */

export type Selection = 'none' | 'all' | readonly string[];

export interface CachePolicy {
  id: string;
  /** Seconds. */
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  /** Lower-cased header names in the cache key (also forwarded to the origin, docs/cdn-behaviour.md#cache-policies). */
  headers: readonly string[];
  queryStrings: Selection;
  cookies: 'none' | 'all';
  /** Normalized Accept-Encoding in the key: none, gzip only, or gzip and Brotli. */
  compression: 'none' | 'gzip' | 'gzip-br';
}

/** docs/cdn-behaviour.md#cache-policies (table). */
export const CACHE_POLICIES: Readonly<Record<string, CachePolicy>> = {
  Amplify: { id: '2e54312d-136d-493c-8eb9-b001f22f67d2', minTtl: 2, defaultTtl: 2, maxTtl: 600, headers: ['authorization', 'cloudfront-viewer-country', 'host'], queryStrings: 'all', cookies: 'all', compression: 'gzip-br' },
  CachingDisabled: { id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', minTtl: 0, defaultTtl: 0, maxTtl: 0, headers: [], queryStrings: 'none', cookies: 'none', compression: 'none' },
  CachingOptimized: { id: '658327ea-f89d-4fab-a63d-7e88639e58f6', minTtl: 1, defaultTtl: 86400, maxTtl: 31536000, headers: [], queryStrings: 'none', cookies: 'none', compression: 'gzip-br' },
  CachingOptimizedForUncompressedObjects: { id: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d', minTtl: 1, defaultTtl: 86400, maxTtl: 31536000, headers: [], queryStrings: 'none', cookies: 'none', compression: 'none' },
  'Elemental-MediaPackage': { id: '08627262-05a9-4f76-9ded-b50ca2e3a84f', minTtl: 0, defaultTtl: 86400, maxTtl: 31536000, headers: ['origin'], queryStrings: ['aws.manifestfilter', 'start', 'end', 'm'], cookies: 'none', compression: 'gzip' },
  // Secondary source (MINISTACK) for the settings of the next two (docs/cdn-behaviour.md#cache-policies).
  UseOriginCacheControlHeaders: { id: '83da9c7e-98b4-4e11-a168-04f0df8e2c65', minTtl: 0, defaultTtl: 0, maxTtl: 31536000, headers: ['host', 'origin', 'x-http-method-override', 'x-http-method', 'x-method-override'], queryStrings: 'none', cookies: 'all', compression: 'gzip-br' },
  'UseOriginCacheControlHeaders-QueryStrings': { id: '4cc15a8a-d715-48a4-82b8-cc0b614638fe', minTtl: 0, defaultTtl: 0, maxTtl: 31536000, headers: ['host', 'origin', 'x-http-method-override', 'x-http-method', 'x-method-override'], queryStrings: 'all', cookies: 'all', compression: 'gzip-br' },
};

export interface OriginRequestPolicy {
  id: string;
  /** 'all-viewer': every viewer header; 'all-except-host': every one but Host (docs/cdn-behaviour.md#origin-request-policies). */
  headers: 'all-viewer' | 'all-except-host' | readonly string[];
  cookies: 'none' | 'all';
  queryStrings: 'none' | 'all';
}

/** docs/cdn-behaviour.md#origin-request-policies (table). */
export const ORIGIN_REQUEST_POLICIES: Readonly<Record<string, OriginRequestPolicy>> = {
  AllViewer: { id: '216adef6-5c7f-47e4-b989-5492eafa07d3', headers: 'all-viewer', cookies: 'all', queryStrings: 'all' },
  'AllViewerAndCloudFrontHeaders-2022-06': { id: '33f36d7e-f396-46d9-90e0-52428a34d9dc', headers: 'all-viewer', cookies: 'all', queryStrings: 'all' },
  AllViewerExceptHostHeader: { id: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', headers: 'all-except-host', cookies: 'all', queryStrings: 'all' },
  'CORS-CustomOrigin': { id: '59781a5b-3903-41f3-afcb-af62929ccde1', headers: ['origin'], cookies: 'none', queryStrings: 'none' },
  'CORS-S3Origin': { id: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf', headers: ['origin', 'access-control-request-headers', 'access-control-request-method'], cookies: 'none', queryStrings: 'none' },
  'Elemental-MediaTailor-PersonalizedManifests': {
    id: '775133bc-15f2-49f9-abea-afb2e0bf67d2',
    headers: ['origin', 'access-control-request-headers', 'access-control-request-method', 'user-agent', 'x-forwarded-for'],
    cookies: 'none',
    queryStrings: 'all',
  },
  HostHeaderOnly: { id: 'bf0718e1-ba1e-49d1-88b1-f726733018ae', headers: ['host'], cookies: 'none', queryStrings: 'none' },
  UserAgentRefererHeaders: { id: 'acba4595-bd28-49b8-b9fe-13317c0390fa', headers: ['user-agent', 'referer'], cookies: 'none', queryStrings: 'none' },
};

export interface ResponseHeadersPolicy {
  id: string;
  /** The CORS part; null when the policy has none. */
  cors: { preflight: boolean } | null;
  securityHeaders: boolean;
}

/** docs/cdn-behaviour.md#response-headers-policies (table). */
export const RESPONSE_HEADERS_POLICIES: Readonly<Record<string, ResponseHeadersPolicy>> = {
  SimpleCORS: { id: '60669652-455b-4ae9-85a4-c4c02393f86c', cors: { preflight: false }, securityHeaders: false },
  'CORS-With-Preflight': { id: '5cc3b908-e619-4b99-88e5-2cf7f45965bd', cors: { preflight: true }, securityHeaders: false },
  'CORS-and-SecurityHeadersPolicy': { id: 'e61eb60c-9c35-4d20-a928-2b84e02af89c', cors: { preflight: false }, securityHeaders: true },
  'CORS-with-preflight-and-SecurityHeadersPolicy': { id: 'eaab4381-ed33-4a86-88ca-d9558dc6cd63', cors: { preflight: true }, securityHeaders: true },
  SecurityHeadersPolicy: { id: '67f7725c-6f97-4210-82d7-5512b31e9d03', cors: null, securityHeaders: true },
};

/** Access-Control-Allow-Methods of the preflight family on a preflight ([S] MINISTACK, docs/cdn-behaviour.md#managed-cors-values). */
export const PREFLIGHT_ALLOW_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';

/**
 * Security headers of the SecurityHeaders family ([S] MINISTACK, docs/cdn-behaviour.md#security-headers): added only when the
 * origin did not send them, except nosniff, which overrides (same section).
 */
export const SECURITY_HEADERS: ReadonlyArray<{ name: string; value: string; override: boolean }> = [
  { name: 'x-xss-protection', value: '1; mode=block', override: false },
  { name: 'x-frame-options', value: 'SAMEORIGIN', override: false },
  { name: 'referrer-policy', value: 'strict-origin-when-cross-origin', override: false },
  { name: 'x-content-type-options', value: 'nosniff', override: true },
  { name: 'strict-transport-security', value: 'max-age=31536000', override: false },
];

function lookup<T>(table: Readonly<Record<string, T>>, kind: string, name: string): T {
  const bare = name.replace(/^Managed-/, '');
  const policy = table[bare];
  if (!policy) throw new Error(`unknown ${kind} "${name}"; the lab knows ${Object.keys(table).join(', ')}`);
  return policy;
}

export const cachePolicyNamed = (name: string): CachePolicy => lookup(CACHE_POLICIES, 'cache policy', name);
export const originRequestPolicyNamed = (name: string): OriginRequestPolicy => lookup(ORIGIN_REQUEST_POLICIES, 'origin request policy', name);
export const responseHeadersPolicyNamed = (name: string): ResponseHeadersPolicy => lookup(RESPONSE_HEADERS_POLICIES, 'response headers policy', name);
