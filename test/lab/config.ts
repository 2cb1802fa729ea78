/**
 * The lab's configuration: the shape of test/fixtures/incident/config.json (a CloudFront
 * distribution's cache behaviors plus the S3 bucket's CORS rules), with a few optional fields the
 * lab adds to play histories (POPs, allowed methods, an edge function, object metadata).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One CORSRule of an S3 bucket CORS configuration (S3 API field names). */
export interface S3CorsRule {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

export interface BehaviorConfig {
  /** CloudFront path pattern: `*` any run of characters (slashes included), `?` one character; case-sensitive. */
  pathPattern: string;
  /** Managed cache policy name (`CachingDisabled`, `Elemental-MediaPackage`…; `Managed-` prefix optional). */
  cachePolicy: string;
  originRequestPolicy: string | null;
  responseHeadersPolicy: string | null;
  /** Lab field. CloudFront's three choices (docs/cdn-behaviour.md#options); default GET, HEAD. */
  allowedMethods?: Array<'GET' | 'HEAD' | 'OPTIONS' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'>;
  /** Lab field. Cached HTTP methods (docs/cdn-behaviour.md#options); default GET, HEAD. */
  cachedMethods?: Array<'GET' | 'HEAD' | 'OPTIONS'>;
  /**
   * Lab field. A viewer-response edge function (Lambda@Edge / CloudFront Function) that appends
   * headers without replacing the origin's: the non-replacing layer of R6 (docs/cdn-behaviour.md#r6).
   */
  edgeFunction?: { appendResponseHeaders: Array<[string, string]> } | null;
}

export interface DistributionConfig {
  domain: string;
  behaviors: BehaviorConfig[];
  /** Lab field. Edge locations, each with its own cache (docs/cdn-behaviour.md#pops); the first is where viewers land by default. */
  pops?: string[];
}

/** An object in the lab bucket: a key with S3 metadata. */
export interface BucketObject {
  body: Buffer;
  contentType: string;
  /** S3 object metadata `Cache-Control`, sent back as a response header. */
  cacheControl?: string;
  lastModified: number;
}

export interface LabConfig {
  description?: string;
  pageOrigin?: string;
  distribution: DistributionConfig;
  /** null: the bucket has no CORS configuration at all. */
  s3BucketCors: S3CorsRule[] | null;
}

export const DEFAULT_POPS = ['ICN80-P3', 'NRT57-P1'];

const incidentConfigPath = fileURLToPath(new URL('../fixtures/incident/config.json', import.meta.url));

/** The incident's final configuration (test/fixtures/incident/config.json, a copy of the shared fixture). */
export function incidentConfig(): LabConfig {
  return JSON.parse(readFileSync(incidentConfigPath, 'utf8')) as LabConfig;
}
