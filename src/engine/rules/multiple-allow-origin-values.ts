import { CORS_WITH_PREFLIGHT } from '../cdn/cloudfront-policies.ts';
import { policyRef } from '../cdn/fixes.ts';
import type { MessageRef } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { listOf, vendorIdOf, vendorName } from './lib/describe.ts';
import { duplicateAllowOriginRef } from '../cdn/vendor-fixes.ts';
import { isCdnInFront, originIdentityOf } from '../cdn/origin-kind.ts';
import { withRole } from './lib/steps.ts';

function hasMultipleValues(facts: RecordFacts): boolean {
  if (!facts.isCorsRequest || facts.verdict.outcome !== 'fail') return false;
  if (facts.verdict.chromiumError !== undefined) return facts.verdict.chromiumError === 'MultipleAllowOriginValues';
  return facts.allowOrigin.length > 1 || facts.allowOrigin.some((value) => value.includes(','));
}

/** The header that names the cache layer the responses came through (`via: 1.1 varnish (Varnish/7.1)`), as evidence words. */
function cacheLayerHeader(group: readonly RecordFacts[]): string {
  const evidence = group.find((facts) => facts.cdn.vendor)?.cdn.vendorEvidence ?? [];
  const shown = evidence.find((header) => header.name === 'via') ?? evidence[0];
  return shown ? `${shown.name}: ${shown.value}` : '';
}

/** The web server's own way to send the header once, when the response names it (vendors: mod_headers, ngx_http_proxy_module). */
function serverStep(facts: RecordFacts): MessageRef | null {
  const { kind } = originIdentityOf(facts.host, facts.record.responseHeaders, facts.cdn.storage);
  const step = kind === 'apache' ? texts.text('fix.apache') : kind === 'nginx' ? texts.text('fix.nginx') : null;
  return step && withRole(step, 'prevent', 'origin', `one-allow-origin-${kind}`);
}

const rule: Rule = {
  meta: {
    id: 'multiple-allow-origin-values',
    cause: 'duplicate-acao',
    category: 'cdn',
    lookedFor: 'allowOrigin',
    kind: 'cause',
    severity: 'error',
    title: 'Two layers both add Access-Control-Allow-Origin',
    description:
      'Browsers accept exactly one Access-Control-Allow-Origin value. When the origin and a CDN rule, edge function or second proxy each add one, the response carries "*, *" or two lines and every CORS request fails. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMultipleAllowOriginNotAllowed',
    messages: {
      duplicated:
        '{{count}} {{kind}} on {{host}} carried Access-Control-Allow-Origin {{values}}: more than one layer adds the header{{layerNote}}{{cacheNote}}.',
    },
    texts: {
      layerNote: " (one of them is S3's: the response also has S3's Access-Control-Allow-Methods and three-part Vary)",
      cacheNote: '; the responses came through {{vendor}} ({{header}}), a layer that can add one',
      'fix.oneLayer': 'Keep exactly one layer responsible for CORS: remove the extra header from the edge function, custom header rule or second proxy.',
      'fix.cloudfront':
        "On CloudFront, a response headers policy such as {{policy}} keeps the origin's header when Origin override is off and replaces it when on; it never adds a second one, so look for a CloudFront Function, Lambda@Edge or custom header that appends.",
      'fix.replace': "If the CDN adds the header, make it replace the origin's value instead of appending another.",
      'fix.oneServer':
        'No CDN or cache shows in these responses: two parts of the server add the header (the application and the web server in front of it, or two configuration blocks). Keep exactly one of them.',
      'fix.apache': 'Apache: Header set and Header always set write separate tables, so a header set in both is sent twice: set it with Header always set in one place only.',
      'fix.nginx': "nginx: when the application behind proxy_pass sends the header too, drop the application's copy with proxy_hide_header Access-Control-Allow-Origin, or remove nginx's add_header.",
    },
    requires: ['verdict'],
  },
  check(context) {
    for (const [host, group] of groupBy(context.facts.filter(hasMultipleValues), (facts) => facts.host)) {
      const fromS3 = group.some((facts) => facts.cdn.storage.s3CorsFingerprint);
      const vendorId = vendorIdOf(group);
      const fixSteps = group.some((facts) => isCdnInFront(facts.cdn))
        ? [
            texts.text('fix.oneLayer'),
            vendorId === 'cloudfront' ? texts.text('fix.cloudfront', { policy: policyRef(CORS_WITH_PREFLIGHT) }) : (duplicateAllowOriginRef(vendorId) ?? texts.text('fix.replace')),
          ]
        : [withRole(texts.text('fix.oneServer'), 'prevent', 'origin', 'one-allow-origin'), serverStep(group[0]!)];
      texts.reportGroup(context, group, {
        messageId: 'duplicated',
        data: {
          host,
          values: listOf(group.map((facts) => `"${facts.allowOrigin.join('" + "')}"`), 2),
          layerNote: fromS3 ? texts.text('layerNote') : '',
          cacheNote: vendorId !== null && vendorId !== 'cloudfront' ? texts.text('cacheNote', { vendor: vendorName(group), header: cacheLayerHeader(group) }) : '',
        },
        evidence: (facts) => [
          ...facts.allowOrigin.map((value) => ({ recordId: facts.record.id, name: 'access-control-allow-origin', value })),
          { recordId: facts.record.id, name: 'verdict', value: facts.verdict.chromiumError ?? facts.verdict.outcome },
        ],
        confidence: 'certain',
        fixSteps,
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
