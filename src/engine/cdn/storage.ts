/**
 * Which layer wrote a response's CORS headers: the storage origin (S3 and friends) or a CDN policy.
 * Fingerprints from reference cdn.md §1.3 (CloudFront response headers policies) and §3.3 (S3).
 */
import type { HeaderList } from '../model.ts';

/**
 * Response headers by lower-cased name, built once per response: the fingerprints ask for a dozen
 * names, and scanning the list each time is what made 100 000 records slow.
 */
export type HeaderIndex = ReadonlyMap<string, readonly string[]>;

export function headerIndexOf(headers: HeaderList | null): HeaderIndex {
  const index = new Map<string, string[]>();
  for (const [name, value] of headers ?? []) {
    const key = name.toLowerCase();
    const values = index.get(key);
    if (values) values.push(value);
    else index.set(key, [value]);
  }
  return index;
}

function headerValue(index: HeaderIndex, name: string): string | null {
  return index.get(name)?.[0] ?? null;
}

export type StorageService = 's3' | 'gcs' | 'azure-blob';

export interface StorageFacts {
  service: StorageService | null;
  /** The header that identified the storage service. */
  serviceEvidence: { name: string; value: string } | null;
  /**
   * S3's CORS answer on an actual GET/HEAD: ACAO plus `Access-Control-Allow-Methods` plus the
   * three-part `Vary` (cdn.md §3.2, §3.3 (4)). A CloudFront policy adds only ACAO on simple requests.
   */
  s3CorsFingerprint: boolean;
  /** Security headers of a CloudFront *SecurityHeaders* managed policy (cdn.md §1.3), when at least four match. */
  securityHeadersPolicy: string[];
}

/** S3 sends exactly these three Vary values, and only on CORS-matched responses (cdn.md §3.2). */
export const S3_VARY_TRIPLE = ['origin', 'access-control-request-headers', 'access-control-request-method'] as const;

/** Values of the managed SecurityHeadersPolicy (cdn.md §1.3, [S] MINISTACK). */
const SECURITY_HEADER_VALUES: ReadonlyArray<[name: string, value: RegExp]> = [
  ['x-xss-protection', /^1;\s*mode=block$/i],
  ['x-frame-options', /^SAMEORIGIN$/i],
  ['referrer-policy', /^strict-origin-when-cross-origin$/i],
  ['strict-transport-security', /^max-age=31536000$/i],
  ['x-content-type-options', /^nosniff$/i],
];
const SECURITY_POLICY_MIN_MATCHES = 4;

/** Lower-cased tokens of every Vary line. */
export function varyTokensOf(headers: HeaderList | HeaderIndex | null): string[] {
  const index: HeaderIndex = headers instanceof Map ? headers : headerIndexOf(headers as HeaderList | null);
  return (index.get('vary') ?? []).flatMap((line: string) =>
    line
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token.length > 0),
  );
}

function serviceOf(headers: HeaderIndex): StorageFacts['serviceEvidence'] & { service: StorageService } | null {
  const server = headerValue(headers, 'server');
  if (server !== null && /^AmazonS3$/i.test(server.trim())) return { service: 's3', name: 'server', value: server };
  const encryption = headerValue(headers, 'x-amz-server-side-encryption');
  if (encryption !== null) return { service: 's3', name: 'x-amz-server-side-encryption', value: encryption };
  const generation = headerValue(headers, 'x-goog-generation');
  if (generation !== null) return { service: 'gcs', name: 'x-goog-generation', value: generation };
  if (server !== null && /^UploadServer$/.test(server.trim())) return { service: 'gcs', name: 'server', value: server };
  // x-ms-blob-type is on every Get Blob response of Azure Blob Storage.
  const blobType = headerValue(headers, 'x-ms-blob-type');
  if (blobType !== null) return { service: 'azure-blob', name: 'x-ms-blob-type', value: blobType };
  return null;
}

export function storageFactsOf(responseHeaders: HeaderList | HeaderIndex | null, method: string): StorageFacts {
  const headers: HeaderIndex = responseHeaders instanceof Map ? responseHeaders : headerIndexOf(responseHeaders as HeaderList | null);
  const found = serviceOf(headers);
  const vary = new Set(varyTokensOf(headers));
  const upperMethod = method.toUpperCase();
  const s3CorsFingerprint =
    (upperMethod === 'GET' || upperMethod === 'HEAD') &&
    headerValue(headers, 'access-control-allow-origin') !== null &&
    headerValue(headers, 'access-control-allow-methods') !== null &&
    S3_VARY_TRIPLE.every((token) => vary.has(token));
  const securityHeaders = SECURITY_HEADER_VALUES.filter(([name, value]) => {
    const actual = headerValue(headers, name);
    return actual !== null && value.test(actual.trim());
  }).map(([name]) => name);
  return {
    service: found?.service ?? null,
    serviceEvidence: found ? { name: found.name, value: found.value } : null,
    s3CorsFingerprint,
    securityHeadersPolicy: securityHeaders.length >= SECURITY_POLICY_MIN_MATCHES ? securityHeaders : [],
  };
}
