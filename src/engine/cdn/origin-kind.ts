/**
 * Which kind of origin server answered a response, from its headers and host name: the storage
 * services storage.ts knows (S3, Google Cloud Storage, Azure Blob), common web servers (nginx,
 * Apache, Caddy) and Express. The origin-without-cors rule prints the fix in that origin's own
 * configuration language. Also: whether a real CDN stands in front, since signatures.json matches a
 * few origins' own headers (GCS's x-goog-generation, `Server: nginx`) as if they were caches.
 */
import type { HeaderList } from '../model.ts';
import { firstHeaderValue } from '../cors/header-names.ts';
import type { CdnFacts } from './facts.ts';
import type { StorageFacts } from './storage.ts';

export type OriginKind = 's3' | 'gcs' | 'azure-blob' | 'nginx' | 'apache' | 'caddy' | 'express' | 'unknown';

export interface OriginIdentity {
  kind: OriginKind;
  /** The header (or the host name, as `host`) that identified the kind; null for 'unknown'. */
  evidence: { name: string; value: string } | null;
}

/** The host name without its port (`[::1]:80` keeps its brackets). */
function hostnameOf(host: string): string {
  const colon = host.lastIndexOf(':');
  return colon > host.lastIndexOf(']') && colon !== -1 ? host.slice(0, colon).toLowerCase() : host.toLowerCase();
}

/**
 * Storage endpoints by host name. S3: `bucket.s3.amazonaws.com`, `bucket.s3.<region>.amazonaws.com`,
 * `s3.<region>.amazonaws.com/bucket` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html);
 * GCS: `storage.googleapis.com/bucket` and `bucket.storage.googleapis.com`
 * (https://cloud.google.com/storage/docs/request-endpoints); Azure Blob: `account.blob.core.windows.net`
 * (https://learn.microsoft.com/azure/storage/common/storage-account-overview#standard-endpoints).
 */
const S3_HOST = /(?:^|\.)s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;
const GCS_HOST = /(?:^|\.)storage\.googleapis\.com$/;
const AZURE_BLOB_HOST = /\.blob\.core\.windows\.net$/;

/** Web servers by their `Server` header as each sends it by default (nginx/1.22.1, Apache/2.4.62 (Debian), Caddy). */
const SERVER_KINDS: ReadonlyArray<[RegExp, OriginKind]> = [
  [/^nginx(?:\/|$)/i, 'nginx'],
  [/^Apache(?:\/|\s|$)/i, 'apache'],
  [/^Caddy$/i, 'caddy'],
  // Azure Blob's own server name (Get Blob responses), when x-ms-blob-type is absent (e.g. an error).
  [/^Windows-Azure-Blob\//i, 'azure-blob'],
];

/** What the response headers and host name say about the origin server. */
export function originIdentityOf(host: string | null, responseHeaders: HeaderList | null, storage: StorageFacts): OriginIdentity {
  if (storage.service !== null) return { kind: storage.service, evidence: storage.serviceEvidence };
  const hostname = host === null ? null : hostnameOf(host);
  if (hostname !== null) {
    if (S3_HOST.test(hostname)) return { kind: 's3', evidence: { name: 'host', value: hostname } };
    if (GCS_HOST.test(hostname)) return { kind: 'gcs', evidence: { name: 'host', value: hostname } };
    if (AZURE_BLOB_HOST.test(hostname)) return { kind: 'azure-blob', evidence: { name: 'host', value: hostname } };
  }
  const server = firstHeaderValue(responseHeaders, 'server')?.trim() ?? null;
  if (server !== null) {
    for (const [pattern, kind] of SERVER_KINDS) if (pattern.test(server)) return { kind, evidence: { name: 'server', value: server } };
  }
  // Express announces itself unless the app turned it off (app.disable('x-powered-by')).
  const poweredBy = firstHeaderValue(responseHeaders, 'x-powered-by')?.trim() ?? null;
  if (poweredBy !== null && /^Express$/i.test(poweredBy)) return { kind: 'express', evidence: { name: 'x-powered-by', value: poweredBy } };
  return { kind: 'unknown', evidence: null };
}

/**
 * Vendors of signatures.json an origin can match with its own headers, and which of their
 * identifying headers the origin itself sends: a GCS bucket answers with x-goog-generation and
 * `Server: UploadServer` (Cloud CDN adds `Via: 1.1 google`), an nginx web server with `Server: nginx`
 * (nginx proxy_cache shows itself only through an X-Cache-Status header someone added).
 */
const ORIGIN_OWN_HEADERS: Readonly<Record<string, (name: string, value: string) => boolean>> = {
  google: (name, value) => name === 'x-goog-generation' || (name === 'server' && /^UploadServer$/i.test(value.trim())),
  'nginx-proxy-cache': (name) => name === 'server',
};

/** A cache or CDN stands between the browser and the origin (not merely the origin's own headers matching a vendor). */
export function isCdnInFront(cdn: CdnFacts): boolean {
  const vendor = cdn.vendor;
  if (vendor === null) return false;
  const ownHeader = ORIGIN_OWN_HEADERS[vendor.id];
  if (ownHeader === undefined) return true;
  return cdn.vendorEvidence.some((evidence) => !ownHeader(evidence.name, evidence.value));
}
