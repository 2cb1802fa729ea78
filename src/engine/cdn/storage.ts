/**
 * Which layer wrote a response's CORS headers: the storage origin (S3 and friends) or a CDN policy.
 * Fingerprints from docs/cdn-behaviour.md#response-headers-policies (CloudFront) and #s3-conclusions (S3).
 */
import type { HeaderList } from '../model.ts';
import type { HeaderReader } from './response-headers.ts';
import { ResponseHeaders, varyTokensOfLines } from './response-headers.ts';
import { evidenceOf } from './evidence.ts';

/** Response headers by lower-cased name (every value), as a caller may already hold them. */
export type HeaderIndex = ReadonlyMap<string, readonly string[]>;

function readerOfIndex(index: HeaderIndex): HeaderReader {
  return {
    get: (name) => index.get(name)?.[0] ?? null,
    varyTokens: varyTokensOfLines(index.get('vary') ?? []),
  };
}

/** Any accepted form of response headers, read through one interface. */
export function headerReaderOf(headers: HeaderList | HeaderIndex | HeaderReader | null): HeaderReader {
  if (headers instanceof ResponseHeaders) return headers;
  if (headers instanceof Map) return readerOfIndex(headers as HeaderIndex);
  return new ResponseHeaders(headers as HeaderList | null);
}

export type StorageService = 's3' | 'gcs' | 'azure-blob';

export interface StorageFacts {
  service: StorageService | null;
  /** The header that identified the storage service. */
  serviceEvidence: { name: string; value: string } | null;
  /**
   * S3's CORS answer on an actual GET/HEAD: ACAO plus `Access-Control-Allow-Methods` plus the
   * three-part `Vary` (docs/cdn-behaviour.md#s3-fingerprint). A CloudFront policy adds only ACAO on simple requests.
   */
  s3CorsFingerprint: boolean;
  /** Security headers of a CloudFront *SecurityHeaders* managed policy (docs/cdn-behaviour.md#security-headers), when at least four match. */
  securityHeadersPolicy: string[];
}

/** S3 sends exactly these three Vary values, and only on CORS-matched responses (docs/cdn-behaviour.md#s3-vary). */
export const S3_VARY_TRIPLE = ['origin', 'access-control-request-headers', 'access-control-request-method'] as const;

/** Values of the managed SecurityHeadersPolicy (docs/cdn-behaviour.md#security-headers, [S] MINISTACK). */
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
  return [...headerReaderOf(headers).varyTokens];
}

function serviceOf(headers: HeaderReader, share: boolean): { service: StorageService; evidence: { name: string; value: string } } | null {
  const server = headers.get('server');
  if (server !== null && /^AmazonS3$/i.test(server.trim())) return { service: 's3', evidence: evidenceOf('server', server, share) };
  const encryption = headers.get('x-amz-server-side-encryption');
  if (encryption !== null) return { service: 's3', evidence: evidenceOf('x-amz-server-side-encryption', encryption, share) };
  const generation = headers.get('x-goog-generation');
  if (generation !== null) return { service: 'gcs', evidence: evidenceOf('x-goog-generation', generation, share) };
  if (server !== null && /^UploadServer$/.test(server.trim())) return { service: 'gcs', evidence: evidenceOf('server', server, share) };
  // x-ms-blob-type is on every Get Blob response of Azure Blob Storage.
  const blobType = headers.get('x-ms-blob-type');
  if (blobType !== null) return { service: 'azure-blob', evidence: evidenceOf('x-ms-blob-type', blobType, share) };
  return null;
}

function securityHeadersOf(headers: HeaderReader): string[] {
  let matched: string[] | null = null;
  for (const [name, value] of SECURITY_HEADER_VALUES) {
    const actual = headers.get(name);
    if (actual !== null && value.test(actual.trim())) (matched ??= []).push(name);
  }
  return matched !== null && matched.length >= SECURITY_POLICY_MIN_MATCHES ? matched : [];
}

/** True for GET and HEAD in any letter case (what `method.toUpperCase()` compares), without the allocation. */
export function isGetOrHead(method: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD';
}

export function storageFactsOf(responseHeaders: HeaderList | HeaderIndex | HeaderReader | null, method: string): StorageFacts {
  return storageFactsOfReader(headerReaderOf(responseHeaders), method, false);
}

/**
 * storageFactsOf over gathered headers; with `share`, the evidence objects are shared between
 * records (frozen: the rules keep one per record for a whole diagnosis). The facts object itself is
 * the caller's.
 */
export function storageFactsOfReader(headers: HeaderReader, method: string, share: boolean): StorageFacts {
  const found = serviceOf(headers, share);
  const s3CorsFingerprint =
    isGetOrHead(method) &&
    headers.get('access-control-allow-origin') !== null &&
    headers.get('access-control-allow-methods') !== null &&
    hasS3VaryTriple(headers.varyTokens);
  return { service: found?.service ?? null, serviceEvidence: found?.evidence ?? null, s3CorsFingerprint, securityHeadersPolicy: securityHeadersOf(headers) };
}

function hasS3VaryTriple(tokens: readonly string[]): boolean {
  return S3_VARY_TRIPLE.every((token) => tokens.includes(token));
}
