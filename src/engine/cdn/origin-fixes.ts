/**
 * The CORS setup for a media origin that sends none, in the configuration language of each origin
 * kind (origin-kind.ts): what the origin-without-cors rule prints. S3 goes through fixes.ts
 * (s3CorsFixRef); the others are here, each checked against the vendor's documentation cited next to
 * it. Every value taken from a URL or a header is checked against its real syntax (or replaced by a
 * placeholder) before it lands in a configuration, and every command is built by shellCommand.
 */
import { shellCommand } from '../shell.ts';
import type { OriginKind } from './origin-kind.ts';

/** What the player needs from a media origin, for one page. */
export interface CorsTarget {
  /** A URL of the origin that failed (bucket and account names come from it). */
  url: string;
  /** The page's serialized origin as fixOriginOf gives it: exact, never `*`. */
  origin: string;
  /** A request carried cookies: the origin must also send Access-Control-Allow-Credentials: true. */
  credentials: boolean;
  /** Request headers the player's preflights asked for (e.g. Range), checked by allowedHeaderNames. */
  requestHeaders: readonly string[];
}

/** What the rules print for an origin that cannot be named: a placeholder no one mistakes for a real site. */
export const ORIGIN_PLACEHOLDER = 'https://your-site.example';

/**
 * A serialized http(s) origin (scheme://host[:port], RFC 6454 §6.1): nothing else may go into a
 * configuration line, where a quote, `$`, `%` or `{` would mean something to nginx, Apache or Caddy.
 */
const SERIALIZED_ORIGIN = /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The page origin to allow, exactly as the browser sends it; the placeholder when it is unknown or not an http(s) origin. */
export function fixOriginOf(pageOrigin: string | null): string {
  return pageOrigin !== null && SERIALIZED_ORIGIN.test(pageOrigin) ? pageOrigin : ORIGIN_PLACEHOLDER;
}

/**
 * Response headers a player reads that are not CORS-safelisted: Content-Range for byte ranges
 * (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name lists Content-Length but not
 * Content-Range). Content-Length is listed as well, for players and browsers that still ask for it.
 */
export const PLAYER_EXPOSE_HEADERS: readonly string[] = ['Content-Length', 'Content-Range'];

/** A header name safe inside every configuration language here: letters, digits and dashes only. */
const PLAIN_HEADER_NAME = /^[A-Za-z0-9-]+$/;

/** Range (the one request header players commonly add) plus what the preflights asked for, deduplicated, plain names only. */
export function allowedHeaderNames(requested: readonly string[]): string[] {
  const names = new Map<string, string>([['range', 'Range']]);
  for (const name of requested) {
    const trimmed = name.trim();
    if (PLAIN_HEADER_NAME.test(trimmed) && !names.has(trimmed.toLowerCase())) names.set(trimmed.toLowerCase(), trimmed);
  }
  return [...names.values()];
}

/**
 * Where each kind's fix was checked. S3: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html
 * and https://docs.aws.amazon.com/cli/latest/reference/s3api/put-bucket-cors.html (CORSRules with
 * AllowedOrigins, AllowedMethods GET/HEAD, AllowedHeaders, ExposeHeaders, MaxAgeSeconds; the console
 * takes the rules array alone).
 */
export const ORIGIN_FIX_DOCS: Readonly<Record<OriginKind, string>> = {
  s3: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html',
  gcs: 'https://cloud.google.com/storage/docs/using-cors',
  'azure-blob': 'https://learn.microsoft.com/rest/api/storageservices/cross-origin-resource-sharing--cors--support-for-the-azure-storage-services',
  nginx: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
  apache: 'https://httpd.apache.org/docs/current/mod/mod_headers.html#header',
  caddy: 'https://caddyserver.com/docs/caddyfile/directives/header',
  express: 'https://github.com/expressjs/cors#configuration-options',
  unknown: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS',
};

/**
 * A GCS bucket name as Cloud Storage accepts it (https://cloud.google.com/storage/docs/buckets#naming):
 * lower-case letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, 3–63
 * characters, or up to 222 when dotted with no part over 63.
 */
export function isGcsBucketName(name: string): boolean {
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) return false;
  if (!name.includes('.')) return name.length >= 3 && name.length <= 63;
  return name.length <= 222 && name.split('.').every((part) => part.length >= 1 && part.length <= 63);
}

/** The bucket of a `storage.googleapis.com/<bucket>/…` or `<bucket>.storage.googleapis.com` URL, or `<bucket>`. */
export function gcsBucketOf(url: string): string {
  try {
    const { hostname, pathname } = new URL(url);
    const candidate = hostname === 'storage.googleapis.com' ? decodeURIComponent(pathname.split('/')[1] ?? '') : /^(.+)\.storage\.googleapis\.com$/.exec(hostname)?.[1] ?? '';
    if (isGcsBucketName(candidate)) return candidate;
  } catch {
    // fall through to the placeholder
  }
  return '<bucket>';
}

/** The storage account of an `<account>.blob.core.windows.net` URL (3–24 lower-case letters and digits), or `<account>`. */
export function azureAccountOf(url: string): string {
  try {
    const account = /^([^.]+)\.blob\.core\.windows\.net$/.exec(new URL(url).hostname)?.[1] ?? '';
    if (/^[a-z0-9]{3,24}$/.test(account)) return account;
  } catch {
    // fall through to the placeholder
  }
  return '<account>';
}

/** Preflight answers may be cached this long (seconds): one hour, as the vendors' own examples use. */
const PREFLIGHT_MAX_AGE = 3600;

/**
 * Google Cloud Storage: the bucket CORS JSON (origin, method, responseHeader = the headers the browser
 * may share, maxAgeSeconds) and the command that sets it, `gcloud storage buckets update gs://BUCKET
 * --cors-file=FILE` (https://cloud.google.com/storage/docs/using-cors; the console cannot edit CORS).
 */
export function gcsCorsFix(target: CorsTarget): { json: string; command: string } {
  const json = JSON.stringify([{ origin: [target.origin], method: ['GET', 'HEAD'], responseHeader: [...PLAYER_EXPOSE_HEADERS], maxAgeSeconds: PREFLIGHT_MAX_AGE }]);
  return { json, command: shellCommand(['gcloud', 'storage', 'buckets', 'update', `gs://${gcsBucketOf(target.url)}`, '--cors-file=cors.json']) };
}

/**
 * Azure Blob storage: `az storage cors add` with space-separated lists for --methods, --origins,
 * --allowed-headers and --exposed-headers, on the Blob service (`--services b`) of the account
 * (https://learn.microsoft.com/cli/azure/storage/cors#az-storage-cors-add). An actual request is
 * matched by its method, a preflight by Access-Control-Request-Method, so GET and HEAD suffice (REST
 * page in ORIGIN_FIX_DOCS).
 */
export function azureCorsFix(target: CorsTarget): { command: string } {
  return {
    command: shellCommand([
      'az', 'storage', 'cors', 'add',
      '--services', 'b',
      '--methods', 'GET', 'HEAD',
      '--origins', target.origin,
      '--allowed-headers', ...allowedHeaderNames(target.requestHeaders),
      '--exposed-headers', ...PLAYER_EXPOSE_HEADERS,
      '--max-age', String(PREFLIGHT_MAX_AGE),
      '--account-name', azureAccountOf(target.url),
    ]),
  };
}

/** The CORS response headers every web-server fix sets, as [name, value] pairs. */
function corsHeaderPairs(target: CorsTarget): Array<[string, string]> {
  return [
    ['Access-Control-Allow-Origin', target.origin],
    ...(target.credentials ? ([['Access-Control-Allow-Credentials', 'true']] as Array<[string, string]>) : []),
    ['Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS'],
    ['Access-Control-Allow-Headers', allowedHeaderNames(target.requestHeaders).join(', ')],
    ['Access-Control-Expose-Headers', PLAYER_EXPOSE_HEADERS.join(', ')],
    ['Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE)],
  ];
}

/**
 * nginx: `add_header … always` (without `always` the header is added only to 200, 201, 204, 206, 301,
 * 302, 303, 304, 307 and 308 answers; a level with add_header lines of its own inherits none from
 * above: ngx_http_headers_module#add_header). nginx's static module answers OPTIONS with 405, so the
 * preflight gets its own 204 (`return` is allowed in `if`: ngx_http_rewrite_module#if). Played against
 * a real nginx in the lab (test/lab/nginx.ts).
 */
export function nginxCorsConfig(target: CorsTarget): string {
  return [
    ...corsHeaderPairs(target).map(([name, value]) => `add_header ${name} "${value}" always;`),
    'if ($request_method = OPTIONS) {',
    '    return 204;',
    '}',
  ].join('\n');
}

/**
 * Apache httpd (mod_headers): `Header always set` also reaches error answers and internal redirects,
 * where plain `Header set` (the onsuccess table) does not (mod_headers.html#header). Apache's core
 * answers OPTIONS to a static file itself (200 with Allow), and these lines reach that answer too.
 */
export function apacheCorsConfig(target: CorsTarget): string {
  return corsHeaderPairs(target)
    .map(([name, value]) => `Header always set ${name} "${value}"`)
    .join('\n');
}

/**
 * Caddy (Caddyfile): a `header` block sets the fields (caddyfile/directives/header), and a named
 * `method OPTIONS` matcher (caddyfile/matchers#method) with `respond … 204` (caddyfile/directives/respond)
 * answers the preflight; `header` runs before `respond` in Caddy's directive order.
 */
export function caddyCorsConfig(target: CorsTarget): string {
  return [
    'header {',
    ...corsHeaderPairs(target).map(([name, value]) => `\t${name} "${value}"`),
    '}',
    '@corsPreflight method OPTIONS',
    'respond @corsPreflight 204',
  ].join('\n');
}

/**
 * Express with the `cors` middleware (expressjs/cors README, "Configuration Options"): origin as an
 * exact string, methods, allowedHeaders, exposedHeaders, credentials, maxAge. `app.use(cors(…))`
 * answers preflights too (204, preflightContinue false by default).
 */
export function expressCorsConfig(target: CorsTarget): string {
  const options = [
    `origin: ${JSON.stringify(target.origin)}`,
    `methods: ${JSON.stringify(['GET', 'HEAD'])}`,
    `allowedHeaders: ${JSON.stringify(allowedHeaderNames(target.requestHeaders))}`,
    `exposedHeaders: ${JSON.stringify(PLAYER_EXPOSE_HEADERS)}`,
    ...(target.credentials ? ['credentials: true'] : []),
    `maxAge: ${PREFLIGHT_MAX_AGE}`,
  ];
  return [`const cors = require('cors');`, `app.use(cors({ ${options.join(', ')} }));`].join('\n');
}
