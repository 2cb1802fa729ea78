import type { Confidence, MessageRef } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, fact, kindOfGroup, kindWord, popLabel, requestHeader, responseHeader, seconds } from './lib/describe.ts';
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

const ALL_POPS = 'all';
const NO_POP = 'none';

/**
 * Cached copies without Access-Control-Allow-Origin that a cache keyed on Origin served, each with the
 * response that shows the key: the same URL, asked for later at the same cache with another Origin, was
 * a miss (a copy of its own) answered with Access-Control-Allow-Origin. Such a cache keeps one copy per
 * Origin value, so the copy for the page's Origin was filled by a request with that Origin, never by
 * one without it: it dates from before the origin answered that Origin with CORS (stale, not poisoned;
 * cached-response-without-cors leaves these copies to this rule).
 */
export function originKeyedCopies(all: readonly RecordFacts[]): Map<RecordFacts, RecordFacts> {
  const proofs = new Map<RecordFacts, RecordFacts>();
  const withOrigin = all.filter((facts) => facts.requestOrigin !== null && !facts.isOptions && facts.record.responseHeaders !== null);
  for (const sameUrl of groupBy(withOrigin, (facts) => facts.record.url).values()) {
    const misses = sameUrl.filter((facts) => facts.cdn.servedFromCache === false && facts.allowOrigin.length > 0);
    if (misses.length === 0) continue;
    // Per POP ('' for none known, and for all), the latest misses of two different Origins: for any copy
    // one of them has another Origin than the copy's and is the latest such, so each copy is settled in
    // constant time (a live playlist reloaded thousands of times stays linear).
    const latest = new Map<string, RecordFacts[]>();
    const note = (key: string, miss: RecordFacts) => {
      const held = latest.get(key) ?? [];
      const sameOrigin = held.find((other) => other.requestOrigin === miss.requestOrigin);
      if (sameOrigin && sameOrigin.record.timings.start >= miss.record.timings.start) return;
      const kept = held.filter((other) => other !== sameOrigin);
      kept.push(miss);
      kept.sort((a, b) => b.record.timings.start - a.record.timings.start);
      latest.set(key, kept.slice(0, 2));
    };
    for (const miss of misses) {
      const pop = popLabel(miss);
      note(ALL_POPS, miss);
      note(pop === null ? NO_POP : `pop:${pop}`, miss);
    }
    for (const copy of sameUrl) {
      if (!copy.failedWithoutAllowOrigin || copy.cdn.servedFromCache !== true || copy.filledAt === null) continue;
      const pop = popLabel(copy);
      // The same cache: a miss at another POP says nothing about this one's key.
      const candidates = pop === null ? (latest.get(ALL_POPS) ?? []) : [...(latest.get(`pop:${pop}`) ?? []), ...(latest.get(NO_POP) ?? [])];
      let proof: RecordFacts | undefined;
      for (const miss of candidates) {
        if (miss.requestOrigin === copy.requestOrigin || miss.record.timings.start / 1000 < copy.filledAt) continue;
        if (proof === undefined || miss.record.timings.start > proof.record.timings.start) proof = miss;
      }
      if (proof) proofs.set(copy, proof);
    }
  }
  return proofs;
}

const rule: Rule = {
  meta: {
    id: 'cached-before-cors-change',
    cause: 'stale-cache-after-change',
    category: 'cache',
    lookedFor: 'cache',
    kind: 'cause',
    severity: 'error',
    title: 'Cached copies from before a CORS or cache-key change',
    description:
      'Changing a bucket CORS rule, a cache policy or a Vary setting does not purge the CDN: copies cached before the change keep their old headers until they expire (24 h by default under some CloudFront policies) or are invalidated. That is why "some files work and others do not", and why an invalidation cures it at once. Learn more: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Invalidation.html',
    messages: {
      originKeyed:
        '{{failing}} cached {{kind}} on {{host}} without Access-Control-Allow-Origin {{filled}} (age up to {{maxAge}}). The same URL asked for with Origin {{otherOrigin}} was a cache miss answered with Access-Control-Allow-Origin: this cache keeps a separate copy per Origin, so a request without Origin cannot have filled the copy for {{origin}}. What is cached for {{origin}} dates from before the origin answered it with CORS, and is served until it expires or is purged.',
      olderCopies:
        '{{failing}} cached {{kind}} on {{host}} without Access-Control-Allow-Origin {{filled}} (age up to {{maxAge}}); every working cached copy ({{working}}) was filled from {{firstWorking}} on. The setup changed in between and the old copies are still served.',
    },
    texts: {
      'filled.one': 'was filled at {{at}}',
      'filled.many': 'were filled between {{from}} and {{to}}',
      'filled.manyAtOnce': 'were all filled at {{at}}',
      'fix.preventAgain': 'Then make sure the current setup cannot produce such copies again (see the cached-response-without-cors fix if Origin is not in the cache key).',
    },
    requires: ['verdict', 'cache-status', 'timing', 'rejection'],
  },
  check(context) {
    const originKeyed = context.computed(originKeyedCopies);
    const reported = new Set<RecordFacts>();
    for (const [host, stale] of groupBy([...originKeyed.keys()], (facts) => facts.host)) {
      const staleFills = stale.map((facts) => facts.filledAt!);
      const proof = originKeyed.get(stale[0]!)!;
      for (const facts of stale) reported.add(facts);
      texts.reportGroup(context, stale, {
        messageId: 'originKeyed',
        data: {
          failing: stale.length,
          kind: kindWord(kindOfGroup(stale), stale.length),
          host,
          filled: filledWords(stale.length, minOf(staleFills), maxOf(staleFills)),
          maxAge: seconds(maxOf(stale.map((facts) => facts.cdn.age ?? 0))),
          origin: stale[0]!.requestOrigin!,
          otherOrigin: proof.requestOrigin!,
        },
        evidence: (facts) => [requestHeader(facts, 'origin'), responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts), fact(facts, 'cached-since', iso(facts.filledAt!))],
        moreEvidence: [requestHeader(proof, 'origin'), responseHeader(proof, 'access-control-allow-origin'), ...cacheEvidence(proof)],
        confidence: 'likely',
        // Origin is already in the cache key: purging the old copies is the whole fix.
        fixSteps: [purgeStep(stale), verifyStep(stale, context.pageOrigin)],
      });
    }
    const corsGets = context.facts.filter((facts) => facts.isCorsRequest && facts.filledAt !== null && !facts.isOptions);
    for (const [host, group] of groupBy(corsGets, (facts) => facts.host)) {
      const stale = group.filter((facts) => facts.failedWithoutAllowOrigin && facts.cdn.servedFromCache === true && facts.cdn.age !== null && !reported.has(facts));
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
