import type { Confidence } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { corsRequestsByBehavior, pathPatternOf } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, fact, requestHeader, responseHeader, vendorName } from './lib/describe.ts';
import { cacheSafeCorsSteps, purgeStep } from './lib/fixes.ts';
import { mayStoreVaryingOnOrigin } from '../cdn/vendors.ts';

/**
 * A cached copy that says it varies on Origin, yet does not fit the request's Origin. Where the
 * vendor's default cache key holds Origin, only a copy made for another Origin proves the key left it
 * out; a copy without CORS headers was made for this very Origin (stale, cached-before-cors-change).
 */
function isIgnoredVaryCopy(facts: RecordFacts): boolean {
  if (!facts.isCorsRequest || facts.cdn.servedFromCache !== true || !facts.cdn.varyHasOrigin) return false;
  const otherOrigins = facts.verdict.outcome === 'fail' && facts.verdict.chromiumError === 'AllowOriginMismatch';
  if (facts.cdn.varyOrigin === 'origin-keyed') return otherOrigins;
  return facts.failedWithoutAllowOrigin || otherOrigins;
}

/** Cache statuses under which the CDN stores the response at all. */
function isCacheable(facts: RecordFacts): boolean {
  const status = facts.cdn.cacheStatus;
  return facts.cdn.servedFromCache !== null && status !== 'BYPASS' && status !== 'DYNAMIC' && status !== 'DISABLED';
}

/** Works today, but only because no request from another origin (or without Origin) filled the cache first. */
function isEchoRelyingOnVary(facts: RecordFacts): boolean {
  // A response the vendor did not store cannot be given to another request.
  if (!mayStoreVaryingOnOrigin(facts.cdn.vendor?.id ?? null, facts.cdn.servedFromCache)) return false;
  return (
    facts.corsHeadersOk &&
    facts.cdn.varyOrigin === 'ignored' &&
    facts.cdn.varyHasOrigin &&
    facts.allowOrigin.length === 1 &&
    facts.allowOrigin[0]!.trim() !== '*' &&
    isCacheable(facts)
  );
}

const rule: Rule = {
  meta: {
    id: 'cdn-ignores-vary-origin',
    cause: 'cdn-ignores-vary',
    category: 'cdn',
    lookedFor: 'cache',
    kind: 'cause',
    severity: 'error',
    title: 'The CDN ignores the origin\'s Vary: Origin',
    description:
      'Vary: Origin tells caches to keep one copy per Origin. CloudFront keys only on its cache policy and Akamai media products strip it, so even a correct origin gets one copy served to every origin and to CORS and non-CORS requests alike. Cloudflare ignores Vary too but keys on Origin by default, unless a custom cache key leaves Origin out. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Vary',
    messages: {
      ignored:
        '{{count}} cached {{kind}} on {{behavior}} carried Vary: Origin yet did not fit the request\'s Origin: {{vendor}} served a copy made for another Origin (or none). {{vendorNote}}',
      echoRisk:
        '{{count}} {{kind}} on {{behavior}} echo the page origin with Vary: Origin through {{vendor}}, which does not key its cache on Vary: a request from another origin or without Origin can fill the cache for everyone, unless the cache policy itself keys on Origin.',
    },
    texts: {
      vendorNote: 'Reference: {{note}}',
    },
    requires: ['verdict', 'cdn', 'cache-status'],
  },
  check(context) {
    for (const [behavior, group] of corsRequestsByBehavior(context)) {
      const ignored = group.filter(isIgnoredVaryCopy);
      const pattern = pathPatternOf(group[0]!);
      if (ignored.length > 0) {
        const confidence: Confidence = ignored.every((facts) => facts.cdn.varyOrigin === 'ignored' || facts.cdn.varyOrigin === 'origin-keyed') ? 'likely' : 'possible';
        texts.reportGroup(context, ignored, {
          messageId: 'ignored',
          data: {
            behavior,
            vendor: vendorName(ignored),
            vendorNote: ignored[0]!.cdn.vendor ? texts.text('vendorNote', { note: ignored[0]!.cdn.vendor.varyOriginNote }) : '',
          },
          evidence: (facts) => [
            requestHeader(facts, 'origin'),
            responseHeader(facts, 'vary'),
            responseHeader(facts, 'access-control-allow-origin'),
            fact(facts, 'vendor-vary-origin', facts.cdn.varyOrigin),
            ...cacheEvidence(facts),
          ],
          confidence,
          fixSteps: [...cacheSafeCorsSteps(ignored, pattern), purgeStep(ignored)],
        });
        continue;
      }
      const relying = group.filter(isEchoRelyingOnVary);
      if (relying.length === 0) continue;
      texts.reportGroup(context, relying, {
        messageId: 'echoRisk',
        data: { behavior, vendor: vendorName(relying) },
        evidence: (facts) => [
          responseHeader(facts, 'access-control-allow-origin'),
          responseHeader(facts, 'vary'),
          fact(facts, 'vendor-vary-origin', facts.cdn.varyOrigin),
          ...cacheEvidence(facts),
        ],
        confidence: 'possible',
        kind: 'risk',
        severity: 'warning',
        fixSteps: cacheSafeCorsSteps(relying, pattern),
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
