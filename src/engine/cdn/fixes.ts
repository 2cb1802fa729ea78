import type { MessageRef } from '../model.ts';
import { LIST_TEXT, catalogueLookup, ref, renderText } from '../rules/lib/text.ts';
import type { ManagedPolicy } from './cloudfront-policies.ts';

/**
 * Building blocks of the fixes the rules print: invalidation paths, S3 CORS JSON, a reproducing curl
 * and per-vendor instructions. Only what reference cdn.md knows; where it does not, the text says so.
 */

/** The path part of a URL (no query), or null when the URL does not parse. */
export function pathOfUrl(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/**
 * The narrowest invalidation path that covers every URL: the URL's path when there is one, otherwise
 * the longest common directory followed by `*` (CloudFront's wildcard form, `/public/movie/*`).
 */
export function invalidationPathOf(urls: readonly string[]): string {
  const paths = [...new Set(urls.map(pathOfUrl).filter((path): path is string => path !== null))];
  if (paths.length === 0) return '/*';
  if (paths.length === 1) return paths[0]!;
  let prefix = paths[0]!;
  for (const path of paths.slice(1)) {
    let shared = 0;
    while (shared < prefix.length && shared < path.length && prefix[shared] === path[shared]) shared++;
    prefix = prefix.slice(0, shared);
  }
  return `${prefix.slice(0, prefix.lastIndexOf('/') + 1) || '/'}*`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A one-line curl that asks the way the player asked: with `Origin`. Never suggest one without it:
 * a request without Origin is what fills a cache with a copy that lacks CORS headers (DESIGN §6).
 */
export function curlWithOrigin(url: string, pageOrigin: string | null): string {
  return `curl -sS -o /dev/null -D - -H ${shellQuote(`Origin: ${pageOrigin ?? 'https://your-site.example'}`)} ${shellQuote(url)}`;
}

/** The bucket of a virtual-hosted or path-style S3 URL, or a placeholder. */
export function bucketOf(url: string): string {
  try {
    const { hostname, pathname } = new URL(url);
    const virtualHosted = /^(.+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/.exec(hostname);
    if (virtualHosted?.[1]) return virtualHosted[1];
    if (/^s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/.test(hostname)) return pathname.split('/')[1] || '<bucket>';
  } catch {
    // fall through to the placeholder
  }
  return '<bucket>';
}

export interface S3CorsRuleOptions {
  /** Exact page origins; `*` when empty. An exact origin makes S3 echo it with Allow-Credentials (cdn.md §3.3 (2)). */
  origins: readonly string[];
  methods?: readonly string[];
  /** Response headers the player may read (ExposeHeaders), e.g. Content-Range; none by default. */
  exposeHeaders?: readonly string[];
  maxAgeSeconds?: number;
}

/** The bucket CORS configuration as the S3 console takes it, and the CLI line that applies it. */
export function s3CorsFixRef(url: string, options: S3CorsRuleOptions): MessageRef {
  const rules = [
    {
      AllowedHeaders: ['*'],
      AllowedMethods: [...(options.methods ?? ['GET', 'HEAD'])],
      AllowedOrigins: options.origins.length > 0 ? [...options.origins] : ['*'],
      ExposeHeaders: [...(options.exposeHeaders ?? [])],
      MaxAgeSeconds: options.maxAgeSeconds ?? 3000,
    },
  ];
  return ref('fix.s3-cors', {
    json: JSON.stringify(rules),
    cli: `aws s3api put-bucket-cors --bucket ${bucketOf(url)} --cors-configuration ${shellQuote(JSON.stringify({ CORSRules: rules }))}`,
  });
}

export function s3CorsFix(url: string, options: S3CorsRuleOptions): string {
  return renderText(s3CorsFixRef(url, options), ENGLISH);
}

/** How to drop the cached copies under a path, per vendor. */
export function purgeRef(vendorId: string | null, path: string): MessageRef {
  if (vendorId === 'cloudfront') {
    return ref('fix.purge.cloudfront', {
      path,
      command: `aws cloudfront create-invalidation --distribution-id <DISTRIBUTION_ID> --paths ${shellQuote(path)}`,
    });
  }
  return vendorId ? ref('fix.purge.vendor', { path, vendor: vendorId }) : ref('fix.purge.any', { path });
}

export function purgeInstruction(vendorId: string | null, path: string): string {
  return renderText(purgeRef(vendorId, path), ENGLISH);
}

/**
 * Per vendor: how to make a cached copy stop depending on whether the request that filled it carried
 * `Origin` (R1/R10). From reference cdn.md §6; CloudFront has its own wording in the rules.
 */
const VARY_FIX_VENDORS = new Set(['cloudflare', 'fastly', 'akamai', 'google', 'azure-front-door', 'bunny']);

export function varyFixRef(vendorId: string | null): MessageRef {
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
  'fix.purge.any': 'Purge {{path}} from every cache between the origin and the browser: changing a policy or Vary setting does not purge what is already cached.',
  'fix.vary.cloudflare':
    'Cloudflare ignores Vary by default (only Accept-Encoding counts): add Origin to the cache key with the Cache Rules "Vary" setting, or serve the CORS headers on every response. An R2 bucket answers CORS only when the request has Origin; rule changes take up to 30 s.',
  'fix.vary.fastly':
    'Fastly honours Vary: make every response vary on Origin, including the ones the origin sends without CORS headers (S3 sends no Vary then), e.g. add "Vary: Origin" in vcl_fetch.',
  'fix.vary.akamai':
    'Akamai does not cache responses that vary on anything but Accept-Encoding, and Remove Vary Header is on by default for Adaptive Media Delivery, Download and Object Delivery: put Origin into the cache key (Cache ID Modification) or add the CORS headers at the edge for every request.',
  'fix.vary.google':
    'Cloud CDN: add a custom response header "Access-Control-Allow-Origin: {origin_request_header}" on the backend so the edge answers CORS itself; for Cloud Storage set the bucket CORS with gsutil cors set cors.json gs://<bucket>.',
  'fix.vary.azure-front-door':
    'Front Door: each edge site keeps its own cache; set the Blob CORS rules and add the CORS headers with a Rules Engine response-header action (how Front Door treats Vary: Origin is not documented in the reference).',
  'fix.vary.bunny': "Bunny CDN: add Origin to the pull zone's vary-cache settings (how Bunny treats an origin Vary: Origin is not documented in the reference).",
  'fix.vary.any':
    'Make the cache key include Origin: the origin must send "Vary: Origin" on every response (also on responses to requests without Origin), or the cache layer must add the CORS headers itself.',
  'phrase.policy.cache-policy': '{{name}} (managed cache policy, ID {{id}})',
  'phrase.policy.origin-request-policy': '{{name}} (managed origin request policy, ID {{id}})',
  'phrase.policy.response-headers-policy': '{{name}} (managed response headers policy, ID {{id}})',
};

const ENGLISH = catalogueLookup({ ...LIST_TEXT, ...CDN_FIX_TEXT });

/** Joins fix steps into the numbered text a finding carries. */
export function numberedSteps(steps: readonly string[]): string {
  return steps.map((step, index) => `${index + 1}. ${step}`).join('\n');
}
