import type { MessageRef, MessageValue } from '../model.ts';
import { CURL_HEADERS_ONLY, commandUrlOf, headerArgs, httpOriginOf, httpUrlOf, requestOriginOf } from '../command-values.ts';
import { isHttpToken } from '../cors/safelist.ts';
import { shellCommand } from '../shell.ts';
import { LIST_TEXT, catalogueLookup, ref, renderText } from '../rules/lib/text.ts';
import { withRole } from '../rules/lib/steps.ts';
import type { ManagedPolicy } from './cloudfront-policies.ts';
import { VENDOR_FIX_TEXT, vendorCacheKeyRef, vendorPurgeRef } from './vendor-fixes.ts';
import { cacheVendorLabel } from './facts.ts';

/**
 * Building blocks of the fixes the rules print: invalidation paths, S3 CORS JSON, a reproducing curl
 * and per-vendor instructions. Only what docs/cdn-behaviour.md knows; where it does not, the text says so.
 * Every command is built from an argument list by shellCommand; a value taken from a URL or header is
 * checked against its real syntax (bucket names, invalidation paths, origins) or becomes a placeholder.
 */

/** The path part of an http(s) URL (no query), or null when the URL is not one. */
export function pathOfUrl(url: string): string | null {
  return httpUrlOf(url)?.pathname ?? null;
}

/** Stands for an invalidation path that could not be worked out or is not one CloudFront takes. */
export const PLACEHOLDER_PATH = '<path>';

/** CloudFront's limit on one invalidation path (Invalidation.md, "Invalidation paths"). */
const MAX_INVALIDATION_PATH_CHARS = 4000;

/**
 * A CloudFront invalidation path: it begins with `/`, is at most 4000 characters, and a `*` may only
 * be the last character (a wildcard). A URL's path is already percent-encoded by the URL parser.
 */
function isInvalidationPath(path: string): boolean {
  if (!path.startsWith('/') || path.length > MAX_INVALIDATION_PATH_CHARS) return false;
  const star = path.indexOf('*');
  return star === -1 || star === path.length - 1;
}

/**
 * The narrowest invalidation path that covers every URL: the URL's path when there is one, otherwise
 * the longest common directory followed by `*` (CloudFront's wildcard form, `/public/movie/*`).
 * The placeholder when no URL is http(s) or the path is not one CloudFront takes.
 */
export function invalidationPathOf(urls: readonly string[]): string {
  const paths = [...new Set(urls.map(pathOfUrl).filter((path): path is string => path !== null))];
  if (paths.length === 0) return PLACEHOLDER_PATH;
  let result = paths[0]!;
  if (paths.length > 1) {
    let prefix = paths[0]!;
    for (const path of paths.slice(1)) {
      let shared = 0;
      while (shared < prefix.length && shared < path.length && prefix[shared] === path[shared]) shared++;
      prefix = prefix.slice(0, shared);
    }
    result = `${prefix.slice(0, prefix.lastIndexOf('/') + 1) || '/'}*`;
  }
  return isInvalidationPath(result) ? result : PLACEHOLDER_PATH;
}

/**
 * Up to this many failing URLs are purged each by its own path; more are purged by their common
 * folder (one wildcard instead of hundreds of paths in a command, or of one command per path).
 */
export const MAX_NAMED_PURGE_PATHS = 10;

/**
 * The paths a purge names: exactly the given (failing) URLs' paths, so the copies that work are left
 * in the cache, or, past MAX_NAMED_PURGE_PATHS, the narrowest folder covering them all
 * (invalidationPathOf). A path CloudFront would not take becomes the placeholder.
 */
export function purgePathsOf(urls: readonly string[]): string[] {
  const paths = [...new Set(urls.map(pathOfUrl).filter((path): path is string => path !== null))];
  if (paths.length === 0 || paths.length > MAX_NAMED_PURGE_PATHS) return [invalidationPathOf(urls)];
  return [...new Set(paths.map((path) => (isInvalidationPath(path) ? path : PLACEHOLDER_PATH)))];
}

/**
 * A one-line curl that asks the way the player asked: with `Origin`. Never suggest one without it:
 * a request without Origin is what fills a cache with a copy that lacks CORS headers.
 */
export function curlWithOrigin(url: string, pageOrigin: string | null): string {
  return shellCommand([...CURL_HEADERS_ONLY, ...headerArgs('Origin', requestOriginOf(pageOrigin)), commandUrlOf(url)]);
}

/** Stands for a bucket name that is not in the URL or is not one S3 allows. */
export const PLACEHOLDER_BUCKET = '<bucket>';

/**
 * Amazon S3's naming rules for general purpose buckets (bucketnamingrules): 3-63 characters of
 * lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit.
 */
const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/**
 * Buckets created in us-east-1 before 1 March 2018 may have up to 255 characters, upper-case letters
 * and underscores. Such a name can only be addressed path-style on a us-east-1 endpoint (it is no DNS
 * label), so it is accepted there and nowhere else.
 */
const LEGACY_S3_BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;
const US_EAST_1_ENDPOINTS: ReadonlySet<string> = new Set(['s3.amazonaws.com', 's3.us-east-1.amazonaws.com', 's3-external-1.amazonaws.com']);
const IPV4_FORMAT = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
/** Reserved by S3 for access point aliases, Object Lambda, Multi-Region Access Points, directory and table buckets. */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Is this a bucket name S3 allows (legacy us-east-1 names too when `legacy` is set)? */
export function isS3BucketName(name: string, legacy = false): boolean {
  if (!(legacy ? LEGACY_S3_BUCKET_NAME : S3_BUCKET_NAME).test(name)) return false;
  if (name.includes('..') || IPV4_FORMAT.test(name)) return false;
  const lowerName = name.toLowerCase();
  return !RESERVED_PREFIXES.some((prefix) => lowerName.startsWith(prefix)) && !RESERVED_SUFFIXES.some((suffix) => lowerName.endsWith(suffix));
}

/**
 * Where the bucket is in an S3 host name: the labels before the service label (`s3`, optionally
 * followed by one region label, or one `s3-<region>` label) in front of `amazonaws.com`. 0 for a
 * path-style endpoint (the bucket is the first path segment), -1 for a host that is no S3 endpoint.
 */
function bucketLabelCount(labels: readonly string[]): number {
  const count = labels.length - 2;
  if (count < 1 || labels[count] !== 'amazonaws' || labels[count + 1] !== 'com') return -1;
  const last = labels[count - 1]!;
  if (last === 's3' || last.startsWith('s3-')) return count - 1;
  if (count >= 2 && labels[count - 2] === 's3' && /^[a-z0-9-]+$/.test(last)) return count - 2;
  return -1;
}

/** The bucket of a virtual-hosted or path-style S3 URL when it is a valid bucket name, or the placeholder. */
export function bucketOf(url: string): string {
  const parsed = httpUrlOf(url);
  if (parsed === null) return PLACEHOLDER_BUCKET;
  const labels = parsed.hostname.split('.');
  const count = bucketLabelCount(labels);
  if (count > 0) {
    const bucket = labels.slice(0, count).join('.');
    return isS3BucketName(bucket) ? bucket : PLACEHOLDER_BUCKET;
  }
  if (count === 0) {
    const bucket = parsed.pathname.split('/', 2)[1] ?? '';
    return isS3BucketName(bucket, US_EAST_1_ENDPOINTS.has(parsed.hostname)) ? bucket : PLACEHOLDER_BUCKET;
  }
  return PLACEHOLDER_BUCKET;
}

/** Stands for the page origin in an S3 AllowedOrigins list when it is unknown or not an http(s) origin. */
export const PLACEHOLDER_ALLOWED_ORIGIN = '<your page origin>';

export interface S3CorsRuleOptions {
  /**
   * Exact page origins; `*` when empty. An exact origin makes S3 echo it with Allow-Credentials
   * (docs/cdn-behaviour.md#s3-wildcard). One that is not an http(s) origin is replaced by PLACEHOLDER_ALLOWED_ORIGIN.
   */
  origins: readonly string[];
  methods?: readonly string[];
  /** Response headers the player may read (ExposeHeaders), e.g. Content-Range; none by default. */
  exposeHeaders?: readonly string[];
  maxAgeSeconds?: number;
}

/** The origins as S3 takes them: serialized, or the placeholder; `*` when none is given. */
function allowedOriginsOf(origins: readonly string[]): string[] {
  if (origins.length === 0) return ['*'];
  return [...new Set(origins.map((origin) => httpOriginOf(origin) ?? PLACEHOLDER_ALLOWED_ORIGIN))];
}

/** The bucket CORS configuration as the S3 console takes it, and the CLI line that applies it. */
export function s3CorsFixRef(url: string, options: S3CorsRuleOptions): MessageRef {
  const rules = [
    {
      AllowedHeaders: ['*'],
      AllowedMethods: (options.methods ?? ['GET', 'HEAD']).filter(isHttpToken),
      AllowedOrigins: allowedOriginsOf(options.origins),
      ExposeHeaders: (options.exposeHeaders ?? []).filter(isHttpToken),
      MaxAgeSeconds: options.maxAgeSeconds ?? 3000,
    },
  ];
  const bucket = bucketOf(url);
  const step = ref('fix.s3-cors', {
    json: JSON.stringify(rules),
    cli: shellCommand(['aws', 's3api', 'put-bucket-cors', '--bucket', bucket, '--cors-configuration', JSON.stringify({ CORSRules: rules })]),
  });
  // One per bucket in a plan: put-bucket-cors replaces the bucket's whole CORS configuration.
  return withRole(step, 'prevent', 'origin', 's3-cors', [bucket]);
}

export function s3CorsFix(url: string, options: S3CorsRuleOptions): string {
  return renderText(s3CorsFixRef(url, options), ENGLISH);
}

/** A distribution's ID (E2QWRUHAPOMQZL) appears in no URL or header; the user fills it in. */
export const PLACEHOLDER_DISTRIBUTION_ID = '<DISTRIBUTION_ID>';

/**
 * How to drop the cached copies under one or more paths, in the identified vendor's commands
 * (vendor-fixes.ts; CloudFront takes several paths in one invalidation: `--paths` is a space-separated
 * list, other vendors get one command per path). A merged plan passes every path it needs; `origin`
 * (scheme://host of the requests) completes the URL for vendors that purge by URL.
 */
export function purgeRef(vendorId: string | null, paths: string | readonly string[], origin: string | null = null, requestOrigin: string | null = null): MessageRef {
  const list = typeof paths === 'string' ? [paths] : [...paths];
  const path: MessageValue = list.length === 1 ? list[0]! : { items: list, more: 0 };
  const own = vendorId === null ? [] : list.map((one) => vendorPurgeRef(vendorId, one, origin, requestOrigin));
  if (own.length > 0 && own.every((step) => step !== null)) {
    return own.length === 1 ? own[0]! : ref('fix.purge.each', { steps: { items: own as MessageRef[], more: 0 } });
  }
  if (vendorId === 'cloudfront') {
    return ref('fix.purge.cloudfront', {
      path,
      command: shellCommand(['aws', 'cloudfront', 'create-invalidation', '--distribution-id', PLACEHOLDER_DISTRIBUTION_ID, '--paths', ...list]),
    });
  }
  return vendorId ? ref('fix.purge.vendor', { path, vendor: cacheVendorLabel(vendorId) ?? vendorId }) : ref('fix.purge.any', { path });
}

export function purgeInstruction(vendorId: string | null, path: string): string {
  return renderText(purgeRef(vendorId, path), ENGLISH);
}

/**
 * Per vendor: how to make a cached copy stop depending on whether the request that filled it carried
 * `Origin` (R1/R10). From docs/cdn-behaviour.md#other-cdns; CloudFront has its own wording in the rules.
 */
const VARY_FIX_VENDORS = new Set(['cloudflare', 'fastly', 'akamai', 'google', 'azure-front-door', 'bunny']);

/** Cloud Storage's bucket CORS command (gcloud storage buckets update); the bucket is not in a Cloud CDN URL. */
const GCS_CORS_COMMAND = shellCommand(['gcloud', 'storage', 'buckets', 'update', `gs://${PLACEHOLDER_BUCKET}`, '--cors-file=cors.json']);

export function varyFixRef(vendorId: string | null): MessageRef {
  const own = vendorId === null ? null : vendorCacheKeyRef(vendorId);
  if (own !== null) return own;
  if (vendorId === 'google') return ref('fix.vary.google', { command: GCS_CORS_COMMAND });
  return ref(vendorId !== null && VARY_FIX_VENDORS.has(vendorId) ? `fix.vary.${vendorId}` : 'fix.vary.any');
}

export function varyFixFor(vendorId: string | null): string {
  return renderText(varyFixRef(vendorId), ENGLISH);
}

/** "CORS-S3Origin (managed origin request policy, ID 88a5eaf4-…)" with the full ID, ready to paste. */
export function policyRef(policy: ManagedPolicy): MessageRef {
  return ref(`phrase.policy.${policy.type.replace(/ /g, '-')}`, { name: policy.name, id: policy.id });
}

/** The English of every fix text above (the _locales en messages must say the same; a test checks). */
export const CDN_FIX_TEXT: Readonly<Record<string, string>> = {
  'fix.s3-cors': 'S3 bucket CORS (console JSON): {{json}}\n  CLI: {{cli}}',
  'fix.purge.cloudfront': 'Invalidate {{path}}: {{command}} (removes every cached variant of the path from all edge locations and regional caches).',
  'fix.purge.vendor': 'Purge {{path}} from the {{vendor}} cache: changing a policy or Vary setting does not purge what is already cached.',
  'fix.purge.each': '{{steps}}',
  'fix.purge.any': 'Purge {{path}} from every cache between the origin and the browser: changing a policy or Vary setting does not purge what is already cached.',
  'fix.vary.cloudflare':
    'Cloudflare ignores Vary by default but keys its cache on the request\'s Origin unless a Cache Rule\'s custom cache key excludes it: remove that exclusion, or serve the CORS headers on every response (Response Header Transform Rule). An R2 bucket answers CORS only when the request has Origin; rule changes take up to 30 s.',
  'fix.vary.fastly':
    'Fastly honours Vary: make every response vary on Origin, including the ones the origin sends without CORS headers (S3 sends no Vary then), e.g. add "Vary: Origin" in vcl_fetch.',
  'fix.vary.akamai':
    'Akamai does not cache responses that vary on anything but Accept-Encoding, and Remove Vary Header is on by default for Adaptive Media Delivery, Download and Object Delivery: put Origin into the cache key (Cache ID Modification) or add the CORS headers at the edge for every request.',
  'fix.vary.google':
    'Cloud CDN: add a custom response header "Access-Control-Allow-Origin: {origin_request_header}" on the backend so the edge answers CORS itself; for Cloud Storage set the bucket CORS with {{command}} (cors.json in the Cloud Storage CORS format).',
  'fix.vary.azure-front-door':
    'Front Door: each edge site keeps its own cache; set the Blob CORS rules and add the CORS headers with a Rules Engine response-header action (how Front Door treats Vary: Origin is not documented in the reference).',
  'fix.vary.bunny':
    "Bunny CDN keys its cache on the URL and has no Vary Cache option for Origin, so one copy answers every origin: let the pull zone add the CORS header itself (its Access-Control-Allow-Origin option, EnableAccessControlOriginHeader, with the media file extensions in its list), or have the origin send the same CORS headers to every request (Access-Control-Allow-Origin: *).",
  'fix.vary.any':
    'Make the cache key include Origin: the origin must send "Vary: Origin" on every response (also on responses to requests without Origin), or the cache layer must add the CORS headers itself.',
  'phrase.policy.cache-policy': '{{name}} (managed cache policy, ID {{id}})',
  'phrase.policy.origin-request-policy': '{{name}} (managed origin request policy, ID {{id}})',
  'phrase.policy.response-headers-policy': '{{name}} (managed response headers policy, ID {{id}})',
  ...VENDOR_FIX_TEXT,
};

const ENGLISH = catalogueLookup({ ...LIST_TEXT, ...CDN_FIX_TEXT });

/** Joins fix steps into the numbered text a finding carries. */
export function numberedSteps(steps: readonly string[]): string {
  return steps.map((step, index) => `${index + 1}. ${step}`).join('\n');
}
