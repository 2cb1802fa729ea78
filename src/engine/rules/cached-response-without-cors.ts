import type { Confidence, MessageRef } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { isEchoForAnotherOrigin } from './lib/origin-cors.ts';
import { corsRequestsByBehavior, groupBy, pathPatternOf } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { EVIDENCE_SAMPLE, browserCopyFact, cacheEvidence, cacheStatusWords, kindOfGroup, kindWord, listOf, popLabel, requestHeader, responseHeader, secondsRange, vendorName } from './lib/describe.ts';
import { cacheSafeCorsSteps, hardReloadStep, purgeStep, s3CorsStep, verifyStep } from './lib/fixes.ts';
import { originKeyedCopies } from './cached-before-cors-change.ts';

/**
 * A cached copy that cannot be meant for this origin: no ACAO at all, or an ACAO naming another
 * origin, and no Vary: Origin on the copy (so nothing told the cache to keep one per origin).
 */
function isPoisonedCopy(facts: RecordFacts): boolean {
  if (!facts.isCorsRequest || facts.cdn.servedFromCache !== true || facts.cdn.varyHasOrigin) return false;
  // A cached error without CORS is the error's story (error-status-without-cors), not a poisoned copy.
  if (facts.record.status !== null && facts.record.status >= 400) return false;
  if (facts.failedWithoutAllowOrigin) return true;
  return facts.verdict.outcome === 'fail' && facts.verdict.chromiumError === 'AllowOriginMismatch' && facts.allowOrigin[0] !== '*';
}

/**
 * Rejected records that got the browser's own stored copy of one of these poisoned copies (Chromium
 * blocks it again without saying it came from its cache; FactsCollector recognises the response): the
 * same wrong headers, so the same cause, though the CDN did not serve them this time.
 */
function browserCopiesOf(group: readonly RecordFacts[], poisoned: readonly RecordFacts[]): RecordFacts[] {
  const sources = new Set(poisoned);
  return group.filter((facts) => facts.browserCopyOf !== null && sources.has(facts.browserCopyOf) && facts.verdict.outcome === 'fail');
}

function originNoteOf(fromOrigin: readonly RecordFacts[], otherFiles: boolean): { note: MessageRef; originSendsCors: boolean } {
  if (fromOrigin.length === 0) return { note: texts.text('originNote.none'), originSendsCors: false };
  const withAcao = fromOrigin.filter((facts) => facts.allowOrigin.length > 0).length;
  if (withAcao === fromOrigin.length) return { note: texts.text(otherFiles ? 'originNote.sameHost' : 'originNote.all', { count: fromOrigin.length }), originSendsCors: true };
  return { note: texts.text('originNote.some', { count: withAcao, total: fromOrigin.length }), originSendsCors: withAcao > 0 };
}

const rule: Rule = {
  meta: {
    id: 'cached-response-without-cors',
    cause: 'cdn-cache-poisoned',
    category: 'cache',
    lookedFor: 'cache',
    kind: 'cause',
    severity: 'error',
    title: 'The CDN served a cached copy without CORS headers',
    description:
      'Origins such as S3 add CORS headers only when the request carries Origin, and then send no Vary. When Origin is not part of the CDN cache key, whichever request fills the cache first decides the headers everyone gets: one request without Origin (curl, a <video> without crossorigin) breaks the stream for every player until the copy expires. Learn more: https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches',
    messages: {
      poisoned:
        '{{failing}} of {{total}} {{kind}} on {{behavior}} came from the {{vendor}} cache at {{pops}} without a usable Access-Control-Allow-Origin ({{cacheState}}); {{originNote}}. Origin is not in Vary, so a cached copy keeps the headers of whichever request filled it; the log does not show that request (one without Origin, one from another origin, or any request before the CORS setup changed leaves such a copy).{{browserCopies}}',
      poisonedFillSeen:
        '{{failing}} of {{total}} {{kind}} on {{behavior}} came from the {{vendor}} cache without a usable Access-Control-Allow-Origin ({{cacheState}}); {{originNote}}. Origin is not in Vary, so a cached copy keeps the headers of whichever request filled it, and the log shows {{fills}} request(s) of the same URL sent without Origin before it: such a request filled the copy.{{browserCopies}}',
    },
    texts: {
      cacheState: '{{statuses}}, age {{ages}}',
      browserCopies: " {{count}} more rejected request(s) got the browser's own stored copy of such a response: it stays until it expires or a hard reload drops it.",
      'fix.browserCopies': 'Then check in the browser after a hard reload (or with DevTools "Disable cache"): it keeps its own stored copy after the invalidation, and other viewers\' browsers keep theirs until it expires.',
      'originNote.none': 'no response fetched from the origin was seen to compare',
      'originNote.all': 'every response fetched from the origin ({{count}}) had Access-Control-Allow-Origin',
      'originNote.sameHost': 'every response of other files on the same host fetched from the origin ({{count}}) had Access-Control-Allow-Origin',
      'originNote.some': '{{count}} of {{total}} responses fetched from the origin had Access-Control-Allow-Origin',
      unknownEdge: 'an unknown edge',
      cached: 'cached',
    },
    requires: ['verdict', 'cache-status', 'rejection'],
  },
  check(context) {
    const fetchedFromOriginByHost = context.computed(fromOriginByHost);
    const withoutOriginByUrl = context.computed(requestsWithoutOriginByUrl);
    // A cache shown to key on Origin cannot have been filled by a request without Origin: stale, not poisoned.
    const originKeyed = context.computed(originKeyedCopies);
    for (const [behavior, group] of corsRequestsByBehavior(context)) {
      const poisoned = group.filter((facts) => isPoisonedCopy(facts) && !originKeyed.has(facts));
      if (poisoned.length === 0) continue;
      let fromOrigin = group.filter((facts) => facts.cdn.servedFromCache === false);
      // Other files of the same host (the playlist beside the segments) fetched from the origin say what the origin answers now.
      const sameHost = fromOrigin.length === 0 ? (fetchedFromOriginByHost.get(poisoned[0]!.host ?? '') ?? []) : [];
      if (fromOrigin.length === 0) fromOrigin = sameHost;
      const { note, originSendsCors } = originNoteOf(fromOrigin, sameHost.length > 0);
      // The same URL requested without Origin before the copy was served: the log shows the request that can have filled it.
      const fills = poisoned.flatMap((facts) => (withoutOriginByUrl.get(facts.record.url) ?? []).filter((fill) => fill.record.timings.start <= facts.record.timings.start));
      const filledByMiss = fills.some((fill) => fill.cdn.servedFromCache === false);
      // A copy from the origin with ACAO proves the origin answers CORS: only the fill can explain the cached one.
      // An ACAO echoing another page's origin proves the copy was made for that page.
      const echoes = poisoned.every((facts) => isEchoForAnotherOrigin(facts, context.pageOrigin));
      const confidence: Confidence = filledByMiss ? 'certain' : originSendsCors || fills.length > 0 || echoes ? 'likely' : 'possible';
      const kind = kindOfGroup(group);
      const ages = poisoned.map((facts) => facts.cdn.age).filter((age): age is number => age !== null);
      const copies = browserCopiesOf(group, poisoned);
      // The copies are rejections of this cause too: the finding names them (in log order), the counts in its message stay the CDN's.
      const reported = copies.length === 0 ? poisoned : [...poisoned, ...copies].sort((a, b) => a.position - b.position);
      texts.reportGroup(context, reported, {
        messageId: fills.length > 0 ? 'poisonedFillSeen' : 'poisoned',
        data: {
          failing: poisoned.length,
          total: group.length,
          kind: kindWord(kind, group.length),
          behavior,
          vendor: vendorName(poisoned),
          pops: listOf(poisoned.map((facts) => popLabel(facts) ?? texts.text('unknownEdge'))),
          cacheState: texts.text('cacheState', {
            statuses: listOf(poisoned.map((facts) => cacheStatusWords(facts) ?? texts.text('cached'))),
            ages: secondsRange(ages),
          }),
          originNote: note,
          fills: fills.length,
          browserCopies: copies.length === 0 ? '' : texts.text('browserCopies', { count: copies.length }),
        },
        evidence: (facts) => [requestHeader(facts, 'origin'), responseHeader(facts, 'access-control-allow-origin'), responseHeader(facts, 'vary'), ...cacheEvidence(facts)],
        sampled: poisoned,
        moreEvidence: [
          ...copies.slice(0, EVIDENCE_SAMPLE).flatMap((facts) => [browserCopyFact(facts), responseHeader(facts, 'access-control-allow-origin')]),
          ...fills.slice(0, 2).flatMap((facts) => [requestHeader(facts, 'origin'), ...cacheEvidence(facts)]),
          ...fromOrigin.slice(0, 2).flatMap((facts) => [responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts)]),
        ],
        confidence,
        fixSteps: [
          ...cacheSafeCorsSteps(poisoned, pathPatternOf(poisoned[0]!)),
          s3CorsStep(poisoned, context.pageOrigin),
          purgeStep(poisoned),
          verifyStep(poisoned, context.pageOrigin),
          // Last, a check: a step that appears when hls.js's retry arrives must not move the plan's other steps (docs/ux.md#no-layout-jumps).
          copies.length === 0 ? null : hardReloadStep(texts.text('fix.browserCopies'), 'verify'),
        ],
      });
    }
  },
};

/** Responses fetched from the origin (not a cache hit) to CORS requests, by host. */
function fromOriginByHost(all: readonly RecordFacts[]): Map<string, RecordFacts[]> {
  return groupBy(all.filter((facts) => facts.isCorsRequest && !facts.isOptions && facts.cdn.servedFromCache === false), (facts) => facts.host);
}

/** Requests sent without Origin that got a response, by URL. */
function requestsWithoutOriginByUrl(all: readonly RecordFacts[]): Map<string, RecordFacts[]> {
  return groupBy(all.filter((facts) => facts.requestOrigin === null && !facts.isOptions && facts.record.responseHeaders !== null && facts.verdict.outcome === 'not-applicable'), (facts) => facts.record.url);
}

const texts = textsOf(rule.meta);

export default rule;
