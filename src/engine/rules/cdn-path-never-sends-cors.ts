import type { Confidence } from '../model.ts';
import { CORS_S3_ORIGIN, CORS_WITH_PREFLIGHT, ELEMENTAL_MEDIAPACKAGE } from '../cdn/cloudfront-policies.ts';
import { policyRef, varyFixRef } from '../cdn/fixes.ts';
import type { Rule } from './lib/types.ts';
import { corsRequestsByBehavior, keepInGroups, pathPatternOf } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, requestHeader, responseHeader, vendorIdOf, vendorName } from './lib/describe.ts';
import { edgeCorsStep, originInCacheKeyStep, purgeStep, s3CorsStep, verifyStep } from './lib/fixes.ts';
import { isCdnInFront } from '../cdn/origin-kind.ts';
import { hostsAnsweringCors } from './lib/origin-cors.ts';

const rule: Rule = {
  meta: {
    id: 'cdn-path-never-sends-cors',
    cause: 'origin-not-forwarded',
    category: 'cdn',
    lookedFor: 'layers',
    kind: 'cause',
    severity: 'error',
    title: 'No response on this CDN path carries CORS headers',
    description:
      'A CDN forwards only the viewer headers its policies name. When Origin is neither forwarded nor answered at the edge, the storage origin never sees a CORS request and never sends Access-Control-Allow-Origin, from the cache or not, for every player. Learn more: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/header-caching.html',
    messages: {
      neverCors:
        '{{all}} CORS {{kind}} on {{behavior}} lacked Access-Control-Allow-Origin, {{fromOrigin}} of them fetched from the origin through {{vendor}}: the origin never answered CORS on this path. Either Origin is not forwarded to it and nothing at the edge adds the headers, or the origin has no CORS rule for {{pageOrigin}}.',
    },
    texts: {
      'all.one': 'The only',
      'all.many': 'All {{count}}',
      thisPage: 'this page',
      'fix.cloudfront.edge': 'Answer CORS at the edge: attach the response headers policy {{policy}} to the behavior for {{pattern}}.',
      'fix.cloudfront.s3': 'Or let S3 answer: origin request policy {{originRequestPolicy}} to forward Origin, with a cache policy that keys on Origin such as {{cachePolicy}}.',
      'fix.forward': 'Forward Origin to the origin on {{pattern}}, or add the CORS headers at the edge. {{varyFix}}',
    },
    requires: ['verdict', 'cdn', 'rejection'],
  },
  check(context) {
    const viaCdn = keepInGroups(corsRequestsByBehavior(context), (facts) => isCdnInFront(facts.cdn));
    // A host that answers CORS nowhere is an origin without CORS (origin-without-cors): this rule is
    // about one CDN path of a host that does answer CORS on others.
    const answeringHosts = hostsAnsweringCors(context);
    for (const [behavior, group] of viaCdn) {
      if (!group.every((facts) => facts.failedWithoutAllowOrigin)) continue;
      if (!answeringHosts.has(group[0]!.host!)) continue;
      const fromOrigin = group.filter((facts) => facts.cdn.servedFromCache === false);
      // A cached-only picture is also what a poisoned cache looks like; a miss without ACAO is not.
      if (fromOrigin.length === 0) continue;
      const confidence: Confidence = fromOrigin.length >= 2 || group.length >= 3 ? 'likely' : 'possible';
      const pattern = pathPatternOf(group[0]!);
      const vendorId = vendorIdOf(group);
      const edgeSteps =
        vendorId === 'cloudfront'
          ? [
              edgeCorsStep(texts.text('fix.cloudfront.edge', { policy: policyRef(CORS_WITH_PREFLIGHT), pattern }), [pattern]),
              originInCacheKeyStep(texts.text('fix.cloudfront.s3', { originRequestPolicy: policyRef(CORS_S3_ORIGIN), cachePolicy: policyRef(ELEMENTAL_MEDIAPACKAGE) })),
            ]
          : [texts.text('fix.forward', { pattern, varyFix: varyFixRef(vendorId) })];
      texts.reportGroup(context, group, {
        messageId: 'neverCors',
        data: {
          all: group.length === 1 ? texts.text('all.one') : texts.text('all.many', { count: group.length }),
          behavior,
          fromOrigin: fromOrigin.length,
          vendor: vendorName(group),
          pageOrigin: context.pageOrigin ?? texts.text('thisPage'),
        },
        sampled: fromOrigin,
        evidence: (facts) => [
          requestHeader(facts, 'origin'),
          responseHeader(facts, 'access-control-allow-origin'),
          responseHeader(facts, 'access-control-allow-methods'),
          responseHeader(facts, 'server'),
          ...cacheEvidence(facts),
        ],
        confidence,
        fixSteps: [...edgeSteps, s3CorsStep(group, context.pageOrigin), purgeStep(group), verifyStep(group, context.pageOrigin)],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
