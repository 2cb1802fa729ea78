/**
 * Each cache vendor's own words for the fixes the CDN rules print: how to purge, how to put Origin in
 * the cache key (or add CORS at the cache), how long it keeps errors, and where a second
 * Access-Control-Allow-Origin comes from. A fix names only the layer the response identified
 * (CdnFacts.vendor); an unknown vendor gets the generic text, never another vendor's commands.
 * CloudFront's own fixes (managed policies, invalidation) stay in fixes.ts and the rules.
 *
 * Sources, per vendor (docs/cdn-behaviour.md#fix-vocabulary lists them with the words they back):
 */
import type { MessageRef } from '../model.ts';
import { httpUrlOf } from '../command-values.ts';
import { shellCommand } from '../shell.ts';
import { ref } from '../rules/lib/text.ts';

export const VENDOR_FIX_SOURCES: Readonly<Record<string, readonly string[]>> = {
  fastly: [
    'https://www.fastly.com/documentation/reference/cli/purge/',
    'https://www.fastly.com/documentation/guides/full-site-delivery/purging/purging-with-surrogate-keys',
    'https://www.fastly.com/documentation/reference/http/http-headers/Vary/',
    'https://www.fastly.com/documentation/reference/vcl/subroutines/hash/',
    'https://www.fastly.com/documentation/reference/http/http-statuses/',
  ],
  cloudflare: [
    'https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-single-file/',
    'https://developers.cloudflare.com/cache/how-to/purge-cache/purge_by_prefix/',
    'https://developers.cloudflare.com/cache/concepts/vary/',
    'https://developers.cloudflare.com/cache/how-to/cache-keys/',
    'https://developers.cloudflare.com/rules/transform/response-header-modification/',
    'https://developers.cloudflare.com/cache/how-to/configure-cache-status-code/',
  ],
  akamai: [
    'https://github.com/akamai/cli-purge',
    'https://techdocs.akamai.com/purge-cache/reference',
    'https://techdocs.akamai.com/property-mgr/docs/cache-id-modification',
    'https://techdocs.akamai.com/property-mgr/docs/modify-outgoing-response-header',
    'https://techdocs.akamai.com/property-mgr/reference/ga-cache-error',
  ],
  varnish: [
    'https://docs.varnish-software.com/book/invalidation/banning',
    'https://github.com/varnishcache/varnish-cache/blob/master/bin/varnishd/builtin.vcl',
    'https://github.com/varnishcache/varnish-cache/blob/master/bin/varnishd/cache/cache_rfc2616.c',
  ],
  'nginx-proxy-cache': [
    'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache_key',
    'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache_valid',
    'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
    'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header',
    'https://github.com/FRiCKLE/ngx_cache_purge',
  ],
  google: ['https://cloud.google.com/sdk/gcloud/reference/compute/url-maps/invalidate-cdn-cache', 'https://cloud.google.com/cdn/docs/caching'],
  'azure-front-door': ['https://learn.microsoft.com/cli/azure/afd/endpoint', 'https://learn.microsoft.com/azure/frontdoor/front-door-caching'],
  bunny: ['https://docs.bunny.net/api-reference/core/purge/purge-url'],
};

/** Values the user fills in: they appear in no URL or header. */
export const PLACEHOLDER_SURROGATE_KEY = '<SURROGATE_KEY>';
export const PLACEHOLDER_ZONE_ID = '<ZONE_ID>';
export const PLACEHOLDER_API_TOKEN = '<API_TOKEN>';
export const PLACEHOLDER_CP_CODE = '<CP_CODE>';
export const PLACEHOLDER_URL_MAP = '<URL_MAP>';

/** A path ending in `*` (invalidationPathOf's common-prefix form) covers a folder, not one object. */
function isPrefixPath(path: string): boolean {
  return path.endsWith('*');
}

/** The absolute URL of `path` on the host the requests went to, '<url>' when either is unusable. */
function absoluteUrl(origin: string | null, path: string): string {
  const base = origin === null ? null : httpUrlOf(origin);
  if (base === null || !path.startsWith('/')) return '<url>';
  return `${base.origin}${path}`;
}

/** Regular-expression metacharacters a URL path can hold that a one-character class makes literal. */
const CLASS_ESCAPABLE = /[.*+?${}()|]/g;
/** Metacharacters a class cannot hold without a backslash: the regex stops before the first one. */
const NOT_CLASS_ESCAPABLE = /[\^[\]\\]/;

/**
 * A Varnish ban regular expression matching the path (a prefix for a folder), without a backslash:
 * varnishadm hands its arguments to the Varnish CLI unquoted, and the CLI reads `\.` as an escape it
 * rejects (error 100, found on the lab's varnishd 7.1). A metacharacter becomes a class (`[.]`); the
 * regex ends before `^`, `[`, `]` or `\` (a broader ban, still covering the path).
 */
export function banRegexOf(path: string): string {
  const stem = isPrefixPath(path) ? path.slice(0, -1) : path;
  const cut = stem.search(NOT_CLASS_ESCAPABLE);
  return `^${(cut === -1 ? stem : stem.slice(0, cut)).replace(CLASS_ESCAPABLE, '[$&]')}`;
}

/** Vendors that have their own purge text below; others get fixes.ts' generic one. */
export const PURGE_VENDORS: ReadonlySet<string> = new Set(['fastly', 'cloudflare', 'akamai', 'varnish', 'nginx-proxy-cache', 'google', 'azure-front-door', 'bunny']);

/**
 * How `vendorId` drops the cached copies under `path` (a path, or a folder ending in `*`) of the host
 * `origin` (scheme://host of the requests), in that vendor's commands; null when the vendor has no
 * text here. `requestOrigin`: the Origin header the copies were requested with, for a vendor that keeps
 * one copy per Origin (Cloudflare's default cache key holds it, and a purge without it leaves that copy:
 * https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-single-file/).
 */
export function vendorPurgeRef(vendorId: string, path: string, origin: string | null, requestOrigin: string | null = null): MessageRef | null {
  const url = absoluteUrl(origin, path);
  const prefix = isPrefixPath(path);
  switch (vendorId) {
    case 'fastly':
      return prefix
        ? ref('fix.purge.fastly.key', { command: shellCommand(['fastly', 'purge', '--key', PLACEHOLDER_SURROGATE_KEY]) })
        : ref('fix.purge.fastly.url', { path, command: shellCommand(['fastly', 'purge', '--url', url]) });
    case 'cloudflare': {
      const perOrigin = !prefix && requestOrigin !== null;
      const body = prefix ? { prefixes: [url.replace(/^https?:\/\//, '').slice(0, -1)] } : { files: [perOrigin ? { url, headers: { Origin: requestOrigin } } : url] };
      const command = shellCommand([
        'curl',
        '-X',
        'POST',
        `https://api.cloudflare.com/client/v4/zones/${PLACEHOLDER_ZONE_ID}/purge_cache`,
        '-H',
        `Authorization: Bearer ${PLACEHOLDER_API_TOKEN}`,
        '-H',
        'Content-Type: application/json',
        '--data',
        JSON.stringify(body),
      ]);
      if (perOrigin) return ref('fix.purge.cloudflare.fileOrigin', { path, origin: requestOrigin, command });
      return ref(prefix ? 'fix.purge.cloudflare.prefix' : 'fix.purge.cloudflare.file', { path, command });
    }
    case 'akamai':
      return prefix
        ? ref('fix.purge.akamai.cpcode', { path, command: shellCommand(['akamai', 'purge', 'invalidate', '--cpcode', PLACEHOLDER_CP_CODE]) })
        : ref('fix.purge.akamai.url', { path, command: shellCommand(['akamai', 'purge', 'invalidate', url]) });
    case 'varnish':
      return ref('fix.purge.varnish', { path, command: shellCommand(['varnishadm', 'ban', 'req.url', '~', banRegexOf(path)]) });
    case 'nginx-proxy-cache':
      return ref('fix.purge.nginx', { path, command: shellCommand(['curl', '-X', 'PURGE', url]) });
    case 'google':
      return ref('fix.purge.google', { path, command: shellCommand(['gcloud', 'compute', 'url-maps', 'invalidate-cdn-cache', PLACEHOLDER_URL_MAP, '--path', path]) });
    case 'azure-front-door':
      return ref('fix.purge.azure', {
        path,
        command: shellCommand(['az', 'afd', 'endpoint', 'purge', '-g', '<RESOURCE_GROUP>', '--profile-name', '<PROFILE>', '--endpoint-name', '<ENDPOINT>', '--content-paths', path]),
      });
    case 'bunny':
      return ref('fix.purge.bunny', {
        path,
        command: shellCommand(['curl', '-X', 'POST', '-H', 'AccessKey: <API_KEY>', `https://api.bunny.net/purge?url=${encodeURIComponent(url)}`]),
      });
    default:
      return null;
  }
}

/** VCL and nginx directives, passed as values: `$` in a _locales message is a placeholder marker. */
const VARNISH_HASH_ORIGIN = 'sub vcl_hash { hash_data(req.http.Origin); }';
const VARNISH_DELIVER_CORS = 'set resp.http.Access-Control-Allow-Origin = req.http.Origin;';
const NGINX_KEY_WITH_ORIGIN = 'proxy_cache_key $scheme$proxy_host$request_uri$http_origin;';
const NGINX_DEFAULT_KEY = '$scheme$proxy_host$request_uri';
const NGINX_ADD_CORS = 'add_header Access-Control-Allow-Origin $cors_origin always;';

/** How `vendorId` keys a copy on Origin or adds CORS at the cache (R1/R10), in its own words; null: no text here. */
export function vendorCacheKeyRef(vendorId: string): MessageRef | null {
  switch (vendorId) {
    case 'varnish':
      return ref('fix.vary.varnish', { hash: VARNISH_HASH_ORIGIN, deliver: VARNISH_DELIVER_CORS });
    case 'nginx-proxy-cache':
      return ref('fix.vary.nginx', { key: NGINX_KEY_WITH_ORIGIN, defaultKey: NGINX_DEFAULT_KEY, addHeader: NGINX_ADD_CORS });
    default:
      return null;
  }
}

/** How long `vendorId` keeps an error answer, in its own terms (docs/cdn-behaviour.md#fix-vocabulary); generic when unknown. */
export function errorCachingRef(vendorId: string | null, status: number): MessageRef {
  const known = vendorId !== null && ERROR_CACHING_VENDORS.has(vendorId);
  const band = status >= 500 ? '5xx' : status === 404 || status === 410 ? '404' : 'other';
  // The 404 texts name their status themselves.
  return ref(known ? `fix.errors.${vendorId}.${band}` : `fix.errors.any.${band}`, band === '404' ? undefined : { status });
}

const ERROR_CACHING_VENDORS: ReadonlySet<string> = new Set(['cloudfront', 'fastly', 'cloudflare', 'akamai', 'varnish', 'nginx-proxy-cache', 'google']);

/** Where `vendorId` adds CORS headers to error answers too; generic when unknown. */
export function edgeCorsOnErrorsRef(vendorId: string | null): MessageRef {
  switch (vendorId) {
    case 'cloudfront':
    case 'varnish':
    case 'fastly':
    case 'cloudflare':
    case 'akamai':
      return ref(`fix.errorCors.${vendorId}`, vendorId === 'varnish' ? { deliver: VARNISH_DELIVER_CORS } : undefined);
    case 'nginx-proxy-cache':
      return ref('fix.errorCors.nginx', { addHeader: NGINX_ADD_CORS });
    default:
      return ref('fix.errorCors.any');
  }
}

/** Where a second Access-Control-Allow-Origin comes from at `vendorId`, and how to keep one; generic when unknown. */
export function duplicateAllowOriginRef(vendorId: string | null): MessageRef | null {
  switch (vendorId) {
    case 'varnish':
      return ref('fix.duplicate.varnish', { unset: 'unset beresp.http.Access-Control-Allow-Origin;' });
    case 'nginx-proxy-cache':
      return ref('fix.duplicate.nginx', { hide: 'proxy_hide_header Access-Control-Allow-Origin;' });
    case 'fastly':
    case 'cloudflare':
    case 'akamai':
      return ref(`fix.duplicate.${vendorId}`);
    default:
      return null;
  }
}

/** The English of every text above (the _locales en messages must say the same; a test checks). */
export const VENDOR_FIX_TEXT: Readonly<Record<string, string>> = {
  'fix.purge.fastly.url': 'Purge {{path}} from Fastly: {{command}} (changing VCL or Vary does not purge what is already cached).',
  'fix.purge.fastly.key':
    'Fastly purges one URL at a time or by surrogate key, not by prefix: tag these responses with a Surrogate-Key header and run {{command}}, or purge each URL with fastly purge --url.',
  'fix.purge.cloudflare.file':
    'Purge {{path}} from Cloudflare: {{command}} (copies cached per Origin need the Origin in the purge: "headers":{"Origin":…} per file).',
  'fix.purge.cloudflare.fileOrigin':
    'Purge {{path}} from Cloudflare, the copy kept for Origin {{origin}}: {{command}} (Cloudflare keeps one copy per Origin, and a purge without the Origin leaves it).',
  'fix.purge.cloudflare.prefix': 'Purge {{path}} from Cloudflare by prefix: {{command}} (or list each URL under "files").',
  'fix.purge.akamai.url': 'Purge {{path}} from Akamai (Fast Purge): {{command}}.',
  'fix.purge.akamai.cpcode': 'Akamai Fast Purge has no prefix purge for {{path}}: invalidate by CP code or cache tag, e.g. {{command}}.',
  'fix.purge.varnish': 'Ban {{path}} in Varnish: {{command}} (a VCL change does not drop objects already cached).',
  'fix.purge.nginx':
    'nginx (open source) has no purge for {{path}}: delete the files under proxy_cache_path, or with the third-party ngx_cache_purge module run {{command}}.',
  'fix.purge.google': 'Invalidate {{path}} in Cloud CDN: {{command}}.',
  'fix.purge.azure': 'Purge {{path}} from Front Door: {{command}}.',
  'fix.purge.bunny': 'Purge {{path}} from Bunny CDN: {{command}}.',
  'fix.vary.varnish':
    'Varnish keys on URL and Host (builtin vcl_hash) and keeps one copy per Vary value, but S3 sends no Vary to a request without Origin: add Origin to the hash with {{hash}}, or let Varnish answer CORS itself in vcl_deliver ({{deliver}} after checking the Origin against your allow list).',
  'fix.vary.nginx':
    'nginx proxy_cache keys on {{defaultKey}} by default: add Origin with {{key}}, or add the CORS headers at nginx ({{addHeader}}, its value mapped from the allowed origins).',
  'fix.errors.cloudfront.404': 'CloudFront caches a 404 for 10 s by default (Error Caching Minimum TTL).',
  'fix.errors.cloudfront.5xx': 'CloudFront caches {{status}} for 10 s by default (Error Caching Minimum TTL).',
  'fix.errors.cloudfront.other': 'CloudFront caches a {{status}} for 10 s by default unless the response says otherwise.',
  'fix.errors.fastly.404': 'Fastly caches 404 and 410 by default, like a 200.',
  'fix.errors.fastly.5xx': 'Fastly does not cache {{status}} unless VCL sets beresp.cacheable.',
  'fix.errors.fastly.other': 'Fastly caches {{status}} only when VCL sets beresp.cacheable.',
  'fix.errors.cloudflare.404': 'Without cache headers Cloudflare keeps a 404 or 410 for 3 minutes.',
  'fix.errors.cloudflare.5xx': 'Without cache headers Cloudflare does not cache {{status}}.',
  'fix.errors.cloudflare.other': 'Without cache headers Cloudflare does not cache {{status}}.',
  'fix.errors.akamai.404': 'Akamai caches a 404 (for 10 s) only when the property has Cache HTTP Error Responses.',
  'fix.errors.akamai.5xx': 'Akamai caches {{status}} (for 10 s) only when the property has Cache HTTP Error Responses.',
  'fix.errors.akamai.other': 'Akamai caches {{status}} only for the codes Cache HTTP Error Responses lists.',
  'fix.errors.varnish.404': 'Varnish caches a 404 without Cache-Control or Expires for default_ttl (120 s), and serves it stale for default_grace (10 s) more.',
  'fix.errors.varnish.5xx': 'Varnish does not cache {{status}} by default.',
  'fix.errors.varnish.other': 'Varnish caches {{status}} only when VCL or the response says so.',
  'fix.errors.nginx-proxy-cache.404': 'nginx proxy_cache keeps a 404 only with proxy_cache_valid 404 (or any).',
  'fix.errors.nginx-proxy-cache.5xx': 'nginx proxy_cache keeps {{status}} only with proxy_cache_valid any or that code.',
  'fix.errors.nginx-proxy-cache.other': 'nginx proxy_cache keeps {{status}} only with proxy_cache_valid any or that code.',
  'fix.errors.google.404': 'Cloud CDN negative caching keeps a 404 (up to 1800 s; --negative-caching-policy=404=60 sets it).',
  'fix.errors.google.5xx': 'Cloud CDN does not cache {{status}} unless its negative caching policy lists it.',
  'fix.errors.google.other': 'Cloud CDN caches {{status}} only when its negative caching policy lists it.',
  'fix.errors.any.404': 'A cache in front may keep the 404 for a while.',
  'fix.errors.any.5xx': 'A cache in front may keep the {{status}} for a short while.',
  'fix.errors.any.other': 'A cache in front may keep the {{status}} for a while.',
  'fix.errorCors.cloudfront':
    'To let the player see errors instead of "CORS error", add the CORS headers at the edge for errors too (on CloudFront a response headers policy; whether it applies to CloudFront-generated errors is unconfirmed).',
  'fix.errorCors.varnish': 'To let the player see errors instead of "CORS error", add the CORS headers in vcl_deliver ({{deliver}}): it runs for cached and fresh errors alike.',
  'fix.errorCors.nginx': 'To let the player see errors instead of "CORS error", add the CORS headers with always ({{addHeader}}): without it nginx adds none to 4xx and 5xx.',
  'fix.errorCors.fastly': 'To let the player see errors instead of "CORS error", set the CORS headers in vcl_deliver, which runs for errors too.',
  'fix.errorCors.cloudflare': 'To let the player see errors instead of "CORS error", add the CORS headers with a Response Header Transform Rule, which applies to errors too.',
  'fix.errorCors.akamai': 'To let the player see errors instead of "CORS error", add the CORS headers with Modify Outgoing Response Header, which applies after the cache and to errors.',
  'fix.errorCors.any': 'To let the player see errors instead of "CORS error", add the CORS headers to error responses too, at the origin or at the cache in front.',
  'fix.duplicate.varnish':
    'Varnish adds one of them (the response came through Varnish): keep either the origin\'s header ({{unset}} in vcl_backend_response drops it so only Varnish sets it) or the "set resp.http.Access-Control-Allow-Origin" in vcl_deliver, not both.',
  'fix.duplicate.nginx': 'nginx adds one with add_header while the upstream sends its own: drop the add_header, or hide the upstream one with {{hide}}.',
  'fix.duplicate.fastly': 'Fastly: in vcl_deliver use set resp.http.Access-Control-Allow-Origin (it replaces) instead of add, or unset the origin\'s header in vcl_fetch.',
  'fix.duplicate.cloudflare': 'Cloudflare: a Response Header Transform Rule with "Add" appends a second header; use "Set" (replaces), or remove the origin\'s header.',
  'fix.duplicate.akamai': 'Akamai: a Modify Outgoing Response Header behavior that adds the header appends a second one; make it modify (replace) the existing header instead.',
};
