import type { Confidence } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { EVIDENCE_SAMPLE, browserCopyFact, fact, listOf, requestHeader, responseHeader } from './lib/describe.ts';
import { hardReloadStep } from './lib/fixes.ts';

/** Records fetched without CORS, by URL (log order within each URL). */
function noCorsFetchesByUrl(all: readonly RecordFacts[]): Map<string, RecordFacts[]> {
  return groupBy(
    all.filter((facts) => facts.requestOrigin === null && facts.verdict.outcome === 'not-applicable'),
    (facts) => facts.record.url,
  );
}

/** Earlier records of the same URL that the browser fetched without CORS. */
function earlierNoCorsFetches(byUrl: ReadonlyMap<string, readonly RecordFacts[]>, target: RecordFacts): RecordFacts[] {
  return (byUrl.get(target.record.url) ?? []).filter((facts) => facts !== target && facts.record.timings.start <= target.record.timings.start);
}

const rule: Rule = {
  meta: {
    id: 'browser-cached-no-cors-copy',
    cause: 'browser-cache-reuse',
    category: 'cache',
    lookedFor: 'cache',
    kind: 'cause',
    severity: 'error',
    title: "The browser's own cache reused a copy fetched without CORS",
    description:
      'When a page loads the same URL once without CORS (a <video> or <img> without crossorigin) and once with CORS (hls.js), the browser cache can hand the CORS request the first copy, which has no Access-Control-Allow-Origin and no Vary: Origin. A hard reload fixes it; a CDN invalidation does not. Learn more: https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches',
    messages: {
      reused:
        '{{count}} {{kind}} came from the browser cache without Access-Control-Allow-Origin{{earlierNote}}; the cached response has no Vary: Origin, so the browser reused a copy made for a request without CORS.',
    },
    texts: {
      earlierNote: ' after the same URL was fetched without Origin ({{elements}})',
      'fix.sameMode': 'Load every use of the URL in the same mode: add crossorigin="anonymous" to the <video>, <img> or <link> that loads it without CORS.',
      'fix.vary': 'Have the origin or CDN send Vary: Origin on every response, also to requests without Origin (S3 sends none then), so the browser keeps the two apart.',
      'fix.hardReload': 'Confirm with a hard reload (or DevTools "Disable cache"): if it then works, no CDN invalidation is needed.',
    },
    requires: ['verdict', 'rejection'],
  },
  check(context) {
    // A copy the browser stored for a CORS request is not this cause (the server sent no ACAO then too).
    const reused = context.facts.filter(
      (facts) => facts.failedWithoutAllowOrigin && facts.fromBrowserCache && !facts.cdn.varyHasOrigin && facts.browserCopyOf?.isCorsRequest !== true,
    );
    if (reused.length === 0) return;
    const noCorsByUrl = noCorsFetchesByUrl(context.facts);
    const earlier = [...new Set(reused.flatMap((facts) => earlierNoCorsFetches(noCorsByUrl, facts)))];
    // Seeing the no-CORS fetch of the same URL in the log is the mechanism itself, not just a disk-cache hit.
    const confidence: Confidence = earlier.length > 0 ? 'likely' : 'possible';
    const elements = listOf(earlier.map((facts) => facts.record.resourceType));
    texts.reportGroup(context, reused, {
      messageId: 'reused',
      data: { earlierNote: earlier.length > 0 ? texts.text('earlierNote', { elements }) : '' },
      evidence: (facts) => [
        browserCopyFact(facts),
        responseHeader(facts, 'access-control-allow-origin'),
        responseHeader(facts, 'vary'),
      ],
      moreEvidence: earlier.slice(0, EVIDENCE_SAMPLE).flatMap((facts) => [requestHeader(facts, 'origin'), fact(facts, 'resource-type', facts.record.resourceType)]),
      confidence,
      fixSteps: [texts.text('fix.sameMode'), texts.text('fix.vary'), hardReloadStep(texts.text('fix.hardReload'), 'verify')],
    });
  },
};

const texts = textsOf(rule.meta);

export default rule;
