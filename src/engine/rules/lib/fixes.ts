/** Fix steps several rules share, worded once. */
import type { FixStepKind, MessageRef } from '../../model.ts';
import { CORS_CUSTOM_ORIGIN, CORS_S3_ORIGIN, CORS_WITH_PREFLIGHT, ELEMENTAL_MEDIAPACKAGE, SIMPLE_CORS } from '../../cdn/cloudfront-policies.ts';
import { originIdentityOf } from '../../cdn/origin-kind.ts';
import { curlWithOrigin, policyRef, purgePathsOf, purgeRef, s3CorsFixRef, varyFixRef } from '../../cdn/fixes.ts';
import type { RecordFacts } from './types.ts';
import { vendorIdOf } from './describe.ts';
import { ref } from './text.ts';
import { withRole } from './steps.ts';
import { originOf } from '../../headers.ts';

/**
 * CloudFront: make a cached copy unable to lack CORS headers (docs/cdn-behaviour.md#response-headers-policy-cors, #r1).
 * `customOrigin`: the origin is a web server, not S3, whose managed origin request policy is CORS-CustomOrigin.
 */
export function cloudFrontCacheSafeCorsSteps(pathPattern: string, customOrigin = false): MessageRef[] {
  const cachePolicy = policyRef(ELEMENTAL_MEDIAPACKAGE);
  return [
    edgeCorsStep(ref('fix.cloudfront.edge-cors', { pattern: pathPattern, policy: policyRef(CORS_WITH_PREFLIGHT), simplePolicy: policyRef(SIMPLE_CORS) }), [pathPattern]),
    originInCacheKeyStep(
      customOrigin
        ? ref('fix.cloudfront.origin-in-cache-key.custom', { cachePolicy, originRequestPolicy: policyRef(CORS_CUSTOM_ORIGIN) })
        : ref('fix.cloudfront.origin-in-cache-key', { cachePolicy, originRequestPolicy: policyRef(CORS_S3_ORIGIN) }),
    ),
  ];
}

/** The group's responses name an origin server other than S3 (nginx, Apache, Express, Cloud Storage…): behind a CDN, a custom origin. */
function fromCustomOrigin(group: readonly RecordFacts[]): boolean {
  return group.some((facts) => {
    const { kind } = originIdentityOf(facts.host, facts.record.responseHeaders, facts.cdn.storage);
    return kind !== 's3' && kind !== 'unknown';
  });
}

/** A step that adds CORS at the CDN edge on these path patterns: one per pattern in a plan, whichever rule words it. */
export function edgeCorsStep(step: MessageRef, pathPatterns: readonly string[]): MessageRef {
  return withRole(step, 'prevent', 'cdn-config', 'edge-cors', pathPatterns);
}

/** A step that puts Origin into the CDN's cache key: one in a plan, whichever rule words it. */
export function originInCacheKeyStep(step: MessageRef): MessageRef {
  return withRole(step, 'prevent', 'cdn-config', 'origin-in-cache-key');
}

/** A step that drops the browser's own stored copy (a hard reload): one in a plan, whichever rule words it. */
export function hardReloadStep(step: MessageRef, kind: FixStepKind): MessageRef {
  return withRole(step, kind, 'browser-cache', 'hard-reload');
}

/** The vendor's way to stop cached copies depending on who filled them. */
export function cacheSafeCorsSteps(group: readonly RecordFacts[], pathPattern: string): MessageRef[] {
  const vendorId = vendorIdOf(group);
  return vendorId === 'cloudfront' ? cloudFrontCacheSafeCorsSteps(pathPattern, fromCustomOrigin(group)) : [withRole(varyFixRef(vendorId), 'prevent', 'cdn-config', 'origin-in-cache-key')];
}

/** Purge the affected (failing) URLs, each named, not the folder of the stream they belong to (purgePathsOf). */
export function purgeStep(group: readonly RecordFacts[]): MessageRef {
  const vendorId = vendorIdOf(group);
  const paths = purgePathsOf(group.map((facts) => facts.record.url));
  const origin = originOf(group[0]!.record.url);
  // The Origin the failing copies were asked for with, when one: copies kept per Origin are purged by it.
  const requestOrigins = new Set(group.map((facts) => facts.requestOrigin));
  const requestOrigin = requestOrigins.size === 1 ? ([...requestOrigins][0] ?? null) : null;
  return withRole(purgeRef(vendorId, paths, origin, requestOrigin), 'stop-the-bleeding', 'cdn-cache', 'purge', paths, { vendor: vendorId, origin, requestOrigin });
}

/** The storage is S3, or not named behind CloudFront (no web server the responses name): S3's terms apply. */
export function servedFromS3(group: readonly RecordFacts[]): boolean {
  return group.some((facts) => facts.cdn.storage.service === 's3') || (group.some((facts) => facts.cdn.vendor?.id === 'cloudfront') && !fromCustomOrigin(group));
}

/** The bucket CORS to have when the storage is S3 (servedFromS3). */
export function s3CorsStep(group: readonly RecordFacts[], pageOrigin: string | null, methods?: readonly string[]): MessageRef | null {
  if (!servedFromS3(group)) return null;
  const origins = pageOrigin ? [pageOrigin] : [];
  return s3CorsFixRef(group[0]!.record.url, methods ? { origins, methods } : { origins });
}

/** The check with Origin on the group's first URL; a plan keeps one check per host (its first wording). */
export function verifyStep(group: readonly RecordFacts[], pageOrigin: string | null): MessageRef {
  const first = group[0]!;
  const command = curlWithOrigin(first.record.url, pageOrigin);
  return withRole(ref('fix.verify', { command }), 'verify', 'page', 'verify', [first.host ?? command]);
}

/** The English of the steps above. */
export const SHARED_FIX_TEXT: Readonly<Record<string, string>> = {
  'fix.cloudfront.edge-cors':
    'On the behavior for {{pattern}}, attach the response headers policy {{policy}} (or {{simplePolicy}} if no preflight is needed): CloudFront then adds Access-Control-Allow-Origin to every response to a request with Origin, from the cache or not.',
  'fix.cloudfront.origin-in-cache-key':
    'If CORS must keep coming from S3, put Origin in the cache key: cache policy {{cachePolicy}} or a custom cache policy with the Origin header, plus origin request policy {{originRequestPolicy}}. Forwarding Origin without keying on it is not enough: the first request still decides the cached headers.',
  'fix.cloudfront.origin-in-cache-key.custom':
    'If CORS must keep coming from the origin server, put Origin in the cache key: cache policy {{cachePolicy}} or a custom cache policy with the Origin header, plus origin request policy {{originRequestPolicy}}. Forwarding Origin without keying on it is not enough: the first request still decides the cached headers.',
  'fix.verify': 'Check: {{command}} must show access-control-allow-origin.',
};
