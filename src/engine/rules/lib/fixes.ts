/** Fix steps several rules share, worded once. */
import {
  CORS_S3_ORIGIN,
  CORS_WITH_PREFLIGHT,
  ELEMENTAL_MEDIAPACKAGE,
  SIMPLE_CORS,
  curlWithOrigin,
  describePolicy,
  invalidationPathOf,
  purgeInstruction,
  s3CorsFix,
  varyFixFor,
} from '../../cdn/index.ts';
import type { RecordFacts } from './types.ts';
import { vendorIdOf } from './describe.ts';

/** CloudFront: make a cached copy unable to lack CORS headers (cdn.md §2.5, §4 R1). */
export function cloudFrontCacheSafeCorsSteps(pathPattern: string): string[] {
  return [
    `On the behavior for ${pathPattern}, attach the response headers policy ${describePolicy(CORS_WITH_PREFLIGHT)} (or ${describePolicy(SIMPLE_CORS)} if no preflight is needed): CloudFront then adds Access-Control-Allow-Origin to every response to a request with Origin, from the cache or not.`,
    `If CORS must keep coming from S3, put Origin in the cache key: cache policy ${describePolicy(ELEMENTAL_MEDIAPACKAGE)} or a custom cache policy with the Origin header, plus origin request policy ${describePolicy(CORS_S3_ORIGIN)}. Forwarding Origin without keying on it is not enough: the first request still decides the cached headers.`,
  ];
}

/** The vendor's way to stop cached copies depending on who filled them. */
export function cacheSafeCorsSteps(group: readonly RecordFacts[], pathPattern: string): string[] {
  const vendorId = vendorIdOf(group);
  return vendorId === 'cloudfront' ? cloudFrontCacheSafeCorsSteps(pathPattern) : [varyFixFor(vendorId)];
}

/** Purge the affected URLs' common prefix. */
export function purgeStep(group: readonly RecordFacts[]): string {
  return purgeInstruction(vendorIdOf(group), invalidationPathOf(group.map((facts) => facts.record.url)));
}

/** The bucket CORS to have when the storage is S3 (or unknown behind CloudFront). */
export function s3CorsStep(group: readonly RecordFacts[], pageOrigin: string | null, methods?: readonly string[]): string | null {
  const onS3 = group.some((facts) => facts.cdn.storage.service === 's3' || facts.cdn.vendor?.id === 'cloudfront');
  if (!onS3) return null;
  const origins = pageOrigin ? [pageOrigin] : [];
  return s3CorsFix(group[0]!.record.url, methods ? { origins, methods } : { origins });
}

export function verifyStep(group: readonly RecordFacts[], pageOrigin: string | null): string {
  return `Check: ${curlWithOrigin(group[0]!.record.url, pageOrigin)} must show access-control-allow-origin.`;
}
