import type { Confidence } from '../model.ts';
import { numberedSteps } from '../cdn/index.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { corsRequestsByBehavior, pathPatternOf } from './lib/groups.ts';
import { EVIDENCE_SAMPLE, cacheEvidence, ids, kindOfGroup, kindWord, listOf, popLabel, requestHeader, responseHeader, seconds, vendorName } from './lib/describe.ts';
import { cacheSafeCorsSteps, purgeStep, s3CorsStep, verifyStep } from './lib/fixes.ts';
import { maxOf, minOf } from './lib/numbers.ts';

/**
 * A cached copy that cannot be meant for this origin: no ACAO at all, or an ACAO naming another
 * origin, and no Vary: Origin on the copy (so nothing told the cache to keep one per origin).
 */
function isPoisonedCopy(facts: RecordFacts): boolean {
  if (!facts.isCorsRequest || facts.cdn.servedFromCache !== true || facts.cdn.varyHasOrigin) return false;
  if (facts.failedWithoutAllowOrigin) return true;
  return facts.verdict.outcome === 'fail' && facts.verdict.chromiumError === 'AllowOriginMismatch' && facts.allowOrigin[0] !== '*';
}

function originNoteOf(fromOrigin: readonly RecordFacts[]): { note: string; originSendsCors: boolean } {
  if (fromOrigin.length === 0) return { note: 'no response fetched from the origin was seen to compare', originSendsCors: false };
  const withAcao = fromOrigin.filter((facts) => facts.allowOrigin.length > 0).length;
  if (withAcao === fromOrigin.length) return { note: `every response fetched from the origin (${fromOrigin.length}) had Access-Control-Allow-Origin`, originSendsCors: true };
  return { note: `${withAcao} of ${fromOrigin.length} responses fetched from the origin had Access-Control-Allow-Origin`, originSendsCors: withAcao > 0 };
}

const rule: Rule = {
  meta: {
    id: 'cached-response-without-cors',
    cause: 'cdn-cache-poisoned',
    category: 'cache',
    kind: 'cause',
    severity: 'error',
    title: 'The CDN served a cached copy without CORS headers',
    description:
      'Origins such as S3 add CORS headers only when the request carries Origin, and then send no Vary. When Origin is not part of the CDN cache key, whichever request fills the cache first decides the headers everyone gets: one request without Origin (curl, a <video> without crossorigin) breaks the stream for every player until the copy expires. Learn more: https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches',
    messages: {
      poisoned:
        '{{failing}} of {{total}} {{kind}} on {{behavior}} came from the {{vendor}} cache at {{pops}} without a usable Access-Control-Allow-Origin ({{statuses}}, age {{ages}}); {{originNote}}; Origin is not in Vary, so the cached copy was most likely filled by a request without Origin (or from another origin).',
    },
    requires: ['verdict', 'cache-status'],
  },
  check(context) {
    for (const [behavior, group] of corsRequestsByBehavior(context.facts)) {
      const poisoned = group.filter(isPoisonedCopy);
      if (poisoned.length === 0) continue;
      const fromOrigin = group.filter((facts) => facts.cdn.servedFromCache === false);
      const { note, originSendsCors } = originNoteOf(fromOrigin);
      // A copy from the origin with ACAO proves the origin answers CORS: only the fill can explain the cached one.
      const confidence: Confidence = originSendsCors ? 'likely' : 'possible';
      const kind = kindOfGroup(group);
      const ages = poisoned.map((facts) => facts.cdn.age).filter((age): age is number => age !== null);
      const fix = numberedSteps(
        [
          ...cacheSafeCorsSteps(poisoned, pathPatternOf(poisoned[0]!)),
          s3CorsStep(poisoned, context.pageOrigin),
          purgeStep(poisoned),
          verifyStep(poisoned, context.pageOrigin),
        ].filter((step): step is string => step !== null),
      );
      context.report({
        messageId: 'poisoned',
        data: {
          failing: poisoned.length,
          total: group.length,
          kind: kindWord(kind, group.length),
          behavior,
          vendor: vendorName(poisoned),
          pops: listOf(poisoned.map((facts) => popLabel(facts) ?? 'an unknown edge')),
          statuses: listOf(poisoned.map((facts) => facts.cdn.cacheStatusEvidence?.value ?? 'cached')),
          ages: ages.length === 0 ? 'unknown' : ages.length === 1 ? seconds(ages[0]!) : `${seconds(minOf(ages))} to ${seconds(maxOf(ages))}`,
          originNote: note,
        },
        recordIds: ids(poisoned),
        evidence: [
          ...poisoned.slice(0, EVIDENCE_SAMPLE).flatMap((facts) => [
            requestHeader(facts, 'origin'),
            responseHeader(facts, 'access-control-allow-origin'),
            responseHeader(facts, 'vary'),
            ...cacheEvidence(facts),
          ]),
          ...fromOrigin.slice(0, 2).flatMap((facts) => [responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts)]),
        ],
        confidence,
        fix,
      });
    }
  },
};

export default rule;
