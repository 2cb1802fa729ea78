import type { Confidence, MessageRef } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, fact, responseHeader, seconds } from './lib/describe.ts';
import { purgeStep, verifyStep } from './lib/fixes.ts';
import { withRole } from './lib/steps.ts';
import { maxOf, minOf } from './lib/numbers.ts';

/** Half an hour: a copy this much older than every working one was not filled by the same setup by chance. */
const CLEAR_SEPARATION_SECONDS = 1800;

function iso(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds) * 1000).toISOString().replace('.000Z', 'Z');
}

/** When the failing copies were filled: one moment, or a range only when the copies differ (ISO seconds). */
function filledWords(count: number, oldest: number, newest: number): MessageRef {
  if (count === 1) return texts.text('filled.one', { at: iso(newest) });
  if (iso(oldest) === iso(newest)) return texts.text('filled.manyAtOnce', { at: iso(newest) });
  return texts.text('filled.many', { from: iso(oldest), to: iso(newest) });
}

const rule: Rule = {
  meta: {
    id: 'cached-before-cors-change',
    cause: 'stale-cache-after-change',
    category: 'cache',
    kind: 'cause',
    severity: 'error',
    title: 'Cached copies from before a CORS or cache-key change',
    description:
      'Changing a bucket CORS rule, a cache policy or a Vary setting does not purge the CDN: copies cached before the change keep their old headers until they expire (24 h by default under some CloudFront policies) or are invalidated. That is why "some files work and others do not", and why an invalidation cures it at once. Learn more: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Invalidation.html',
    messages: {
      olderCopies:
        '{{failing}} cached {{kind}} on {{host}} without Access-Control-Allow-Origin {{filled}} (age up to {{maxAge}}); every working cached copy ({{working}}) was filled from {{firstWorking}} on. The setup changed in between and the old copies are still served.',
    },
    texts: {
      'filled.one': 'was filled at {{at}}',
      'filled.many': 'were filled between {{from}} and {{to}}',
      'filled.manyAtOnce': 'were all filled at {{at}}',
      'fix.preventAgain': 'Then make sure the current setup cannot produce such copies again (see the cached-response-without-cors fix if Origin is not in the cache key).',
    },
    requires: ['verdict', 'cache-status', 'timing'],
  },
  check(context) {
    const corsGets = context.facts.filter((facts) => facts.isCorsRequest && facts.filledAt !== null && !facts.isOptions);
    for (const [host, group] of groupBy(corsGets, (facts) => facts.host)) {
      const stale = group.filter((facts) => facts.failedWithoutAllowOrigin && facts.cdn.servedFromCache === true && facts.cdn.age !== null);
      // Working copies from the origin are newer than any cached copy by definition: only cached ones date a change.
      const working = group.filter((facts) => facts.corsHeadersOk && facts.cdn.servedFromCache === true);
      if (stale.length === 0 || working.length === 0) continue;
      const staleFills = stale.map((facts) => facts.filledAt!);
      const workingFills = working.map((facts) => facts.filledAt!);
      const newestStale = maxOf(staleFills);
      const firstWorking = minOf(workingFills);
      if (newestStale >= firstWorking) continue;
      const confidence: Confidence = firstWorking - newestStale >= CLEAR_SEPARATION_SECONDS ? 'likely' : 'possible';
      const newestStaleRecord = stale.find((facts: RecordFacts) => facts.filledAt === newestStale)!;
      const firstWorkingRecord = working.find((facts: RecordFacts) => facts.filledAt === firstWorking)!;
      texts.reportGroup(context, stale, {
        messageId: 'olderCopies',
        data: {
          failing: stale.length,
          host,
          filled: filledWords(stale.length, minOf(staleFills), newestStale),
          maxAge: seconds(maxOf(stale.map((facts) => facts.cdn.age!))),
          working: working.length,
          firstWorking: iso(firstWorking),
        },
        evidence: (facts) => [responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts), fact(facts, 'cached-since', iso(facts.filledAt!))],
        moreEvidence: [
          fact(newestStaleRecord, 'newest-stale-copy', iso(newestStale)),
          fact(firstWorkingRecord, 'first-working-copy', iso(firstWorking)),
          responseHeader(firstWorkingRecord, 'access-control-allow-origin'),
        ],
        confidence,
        fixSteps: [purgeStep(stale), withRole(texts.text('fix.preventAgain'), 'prevent', 'cdn-config', 'prevent-again', [], { pointer: true }), verifyStep(stale, context.pageOrigin)],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
