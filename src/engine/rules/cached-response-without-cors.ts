import type { Confidence, MessageRef } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { isEchoForAnotherOrigin } from './lib/origin-cors.ts';
import { corsRequestsByBehavior, pathPatternOf } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, cacheStatusWords, kindOfGroup, kindWord, listOf, popLabel, requestHeader, responseHeader, secondsRange, vendorName } from './lib/describe.ts';
import { cacheSafeCorsSteps, purgeStep, s3CorsStep, verifyStep } from './lib/fixes.ts';

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

/** Responses fetched from the origin (not from the cache) on the same host, of other file kinds than `group`. */
function fromOriginOnHost(all: readonly RecordFacts[], group: readonly RecordFacts[]): RecordFacts[] {
  const host = group[0]!.host;
  return all.filter((facts) => facts.host === host && facts.isCorsRequest && !facts.isOptions && facts.cdn.servedFromCache === false && !group.includes(facts));
}

function originNoteOf(fromOrigin: readonly RecordFacts[], otherKinds: readonly RecordFacts[]): { note: MessageRef; originSendsCors: boolean } {
  if (fromOrigin.length === 0) {
    // The same host's other files (a playlist passed to the origin) show what the origin answers now.
    const withAcao = otherKinds.filter((facts) => facts.allowOrigin.length > 0);
    if (withAcao.length > 0) return { note: texts.text('originNote.otherKinds', { count: withAcao.length, kinds: listOf([...new Set(withAcao.map((facts) => kindWord(facts.fileKind, 2)))]) }), originSendsCors: true };
    return { note: texts.text('originNote.none'), originSendsCors: false };
  }
  const withAcao = fromOrigin.filter((facts) => facts.allowOrigin.length > 0).length;
  if (withAcao === fromOrigin.length) return { note: texts.text('originNote.all', { count: fromOrigin.length }), originSendsCors: true };
  return { note: texts.text('originNote.some', { count: withAcao, total: fromOrigin.length }), originSendsCors: withAcao > 0 };
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
        '{{failing}} of {{total}} {{kind}} on {{behavior}} came from the {{vendor}} cache at {{pops}} without a usable Access-Control-Allow-Origin ({{statuses}}, age {{ages}}); {{originNote}}. Origin is not in Vary, so a cached copy keeps the headers of whichever request filled it; the log does not show that request (one without Origin, one from another origin, or any request before the CORS setup changed leaves such a copy).',
    },
    texts: {
      'originNote.none': 'no response fetched from the origin was seen to compare',
      'originNote.otherKinds': 'no such file was fetched from the origin, but {{count}} other response(s) from the origin on the same host ({{kinds}}) had Access-Control-Allow-Origin',
      'originNote.all': 'every response fetched from the origin ({{count}}) had Access-Control-Allow-Origin',
      'originNote.some': '{{count}} of {{total}} responses fetched from the origin had Access-Control-Allow-Origin',
      unknownEdge: 'an unknown edge',
      cached: 'cached',
    },
    requires: ['verdict', 'cache-status'],
  },
  check(context) {
    for (const [behavior, group] of corsRequestsByBehavior(context)) {
      const poisoned = group.filter(isPoisonedCopy);
      if (poisoned.length === 0) continue;
      const fromOrigin = group.filter((facts) => facts.cdn.servedFromCache === false);
      const otherKinds = fromOrigin.length === 0 ? fromOriginOnHost(context.facts, group) : [];
      const { note, originSendsCors } = originNoteOf(fromOrigin, otherKinds);
      // A copy from the origin with ACAO proves the origin answers CORS, and an ACAO echoing another
      // page's origin proves the copy was made for that page: only the fill can explain the cached one.
      const echoes = poisoned.every((facts) => isEchoForAnotherOrigin(facts, context.pageOrigin));
      const confidence: Confidence = originSendsCors || echoes ? 'likely' : 'possible';
      const kind = kindOfGroup(group);
      const ages = poisoned.map((facts) => facts.cdn.age).filter((age): age is number => age !== null);
      texts.reportGroup(context, poisoned, {
        messageId: 'poisoned',
        data: {
          failing: poisoned.length,
          total: group.length,
          kind: kindWord(kind, group.length),
          behavior,
          vendor: vendorName(poisoned),
          pops: listOf(poisoned.map((facts) => popLabel(facts) ?? texts.text('unknownEdge'))),
          statuses: listOf(poisoned.map((facts) => cacheStatusWords(facts) ?? texts.text('cached'))),
          ages: secondsRange(ages),
          originNote: note,
        },
        evidence: (facts) => [requestHeader(facts, 'origin'), responseHeader(facts, 'access-control-allow-origin'), responseHeader(facts, 'vary'), ...cacheEvidence(facts)],
        moreEvidence: (fromOrigin.length > 0 ? fromOrigin : otherKinds).slice(0, 2).flatMap((facts) => [responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts)]),
        confidence,
        fixSteps: [
          ...cacheSafeCorsSteps(poisoned, pathPatternOf(poisoned[0]!)),
          s3CorsStep(poisoned, context.pageOrigin),
          purgeStep(poisoned),
          verifyStep(poisoned, context.pageOrigin),
        ],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
