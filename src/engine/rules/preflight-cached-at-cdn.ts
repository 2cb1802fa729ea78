import type { MessageRef } from '../model.ts';
import { headerValue } from '../headers.ts';
import type { Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheStatusWords, listOf, preflightEvidence, requestHeader, vendorIdOf, vendorName } from './lib/describe.ts';
import { purgeStep } from './lib/fixes.ts';
import { isMisfitCachedPreflight, misfitsOf, tokensOf } from './lib/preflight-cache.ts';

const rule: Rule = {
  meta: {
    id: 'preflight-cached-at-cdn',
    cause: 'preflight-cached-at-cdn',
    category: 'cdn',
    lookedFor: 'preflight',
    kind: 'cause',
    severity: 'error',
    title: 'The CDN served a cached preflight answer made for another request',
    description:
      'A CDN that caches OPTIONS (CloudFront\'s "cache OPTIONS" setting, a Varnish or nginx cache without a method rule) keeps the first preflight answer and serves it to everyone. Unless Origin and the Access-Control-Request-* headers are in the cache key, a page gets an answer that names another origin, or lacks its method or headers, and the browser never sends the request. Learn more: https://fetch.spec.whatwg.org/#cors-preflight-fetch',
    messages: {
      misfit:
        '{{count}} preflight {{what}} to {{host}} {{verb}} answered from the {{vendor}} cache ({{cacheStatus}}) with an answer made for another request: {{misfits}}. The cache key lacks Origin and the Access-Control-Request-* headers, so the first preflight\'s answer is served to every page.',
    },
    texts: {
      'what.one': 'request',
      'what.many': 'requests',
      'verb.one': 'was',
      'verb.many': 'were',
      'misfit.origin': 'Access-Control-Allow-Origin {{allowOrigin}} where the page is {{requestOrigin}}',
      'misfit.method': 'Access-Control-Allow-Methods does not list {{method}}',
      'misfit.headers': 'Access-Control-Allow-Headers does not list {{headers}}',
      'fix.cloudfront':
        'CloudFront: on the behavior, set "Cache HTTP methods" to GET, HEAD only (do not cache OPTIONS), or put Origin, Access-Control-Request-Method and Access-Control-Request-Headers in the cache policy\'s headers; or answer preflights at the edge with a response headers policy.',
      'fix.key': 'On the {{vendor}}: do not cache OPTIONS, or put Origin, Access-Control-Request-Method and Access-Control-Request-Headers in the cache key (Vary on them at the origin).',
    },
    requires: ['cache-status'],
    certainFromHeaders: true,
  },
  check(context) {
    for (const [host, group] of groupBy(context.facts.filter(isMisfitCachedPreflight), (facts) => facts.host)) {
      const first = group[0]!;
      const misfits = new Set(group.flatMap(misfitsOf));
      const misfitTexts: MessageRef[] = [];
      if (misfits.has('origin')) {
        misfitTexts.push(texts.text('misfit.origin', { allowOrigin: listOf(group.map((facts) => `"${facts.allowOrigin[0] ?? ''}"`)), requestOrigin: first.requestOrigin ?? '' }));
      }
      if (misfits.has('method')) misfitTexts.push(texts.text('misfit.method', { method: listOf(group.map((facts) => (headerValue(facts.record.requestHeaders, 'access-control-request-method') ?? '').trim())) }));
      if (misfits.has('headers')) misfitTexts.push(texts.text('misfit.headers', { headers: listOf(group.flatMap((facts) => tokensOf(facts, 'access-control-request-headers', 'request'))) }));
      const vendor = vendorName(group);
      texts.reportGroup(context, group, {
        messageId: 'misfit',
        data: {
          host,
          what: texts.text(group.length === 1 ? 'what.one' : 'what.many'),
          verb: texts.text(group.length === 1 ? 'verb.one' : 'verb.many'),
          vendor,
          // Worded as the request list and the other cache cards word it (one cache-status reading).
          cacheStatus: listOf(group.map((facts) => cacheStatusWords(facts) ?? facts.cdn.cacheStatusEvidence?.value ?? 'Hit')),
          misfits: { items: misfitTexts, more: 0 },
        },
        evidence: (facts) => [
          requestHeader(facts, 'origin'),
          ...preflightEvidence(facts),
        ],
        confidence: 'certain',
        fixSteps: [vendorIdOf(group) === 'cloudfront' ? texts.text('fix.cloudfront') : texts.text('fix.key', { vendor }), purgeStep(group)],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
