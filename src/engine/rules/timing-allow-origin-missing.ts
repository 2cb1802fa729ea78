import { headerValues } from '../headers.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact, responseHeader } from './lib/describe.ts';
import { isSameOrigin } from './lib/facts.ts';

/** Segments that passed before the advice is worth giving: one is a probe, two are playback. */
const MIN_SEGMENTS = 2;

/** Timing-Allow-Origin names `*` or the page origin (Resource Timing's timing allow check). */
function allowsTiming(facts: RecordFacts, pageOrigin: string | null): boolean {
  for (const line of headerValues(facts.record.responseHeaders, 'timing-allow-origin')) {
    for (const part of line.split(',')) {
      const value = part.trim();
      if (value === '*' || (pageOrigin !== null && value === pageOrigin)) return true;
    }
  }
  return false;
}

/** A cross-origin segment the browser let the player read. */
function isReadableCrossOriginSegment(facts: RecordFacts, pageOrigin: string | null): boolean {
  // corsHeadersOk: not rejected and ACAO present (Firefox captures leave some passes 'unknown').
  return facts.fileKind === 'segment' && facts.corsHeadersOk && !facts.isOptions && !isSameOrigin(facts, pageOrigin);
}

const rule: Rule = {
  meta: {
    id: 'timing-allow-origin-missing',
    cause: 'timing-allow-origin-missing',
    category: 'cors',
    lookedFor: 'advice',
    kind: 'advice',
    severity: 'info',
    title: 'Segments without Timing-Allow-Origin: the player\'s bandwidth estimate is blind',
    description:
      'Cross-origin, Resource Timing hides a response\'s sizes (transferSize, encodedBodySize) and detailed timings, and drops its Server-Timing, unless the response carries Timing-Allow-Origin for the page. Players that estimate bandwidth from Resource Timing (dash.js does when it may) fall back to coarser measurements. Nothing fails: this is advice. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Timing-Allow-Origin',
    messages: {
      missing:
        '{{count}} {{kind}} from {{host}} passed CORS but carry no Timing-Allow-Origin for {{pageOrigin}}: to the page their Resource Timing entries have zero sizes and no detailed timings, and Server-Timing is dropped. A player that estimates bandwidth from them sees nothing and falls back to coarser measurements.',
    },
    texts: {
      thisPage: 'this page',
      'fix.add': 'Add Timing-Allow-Origin: {{origin}} (or *) next to Access-Control-Allow-Origin on the segment responses, in the same layer (CDN response headers policy custom header, bucket or server configuration).',
      'fix.optional': 'Optional: nothing is broken. It lets the player (and your own monitoring) measure segment downloads exactly.',
    },
    requires: ['verdict'],
    certainFromHeaders: true,
  },
  check(context) {
    const byHost = groupBy(
      context.facts.filter((facts) => facts.host !== null && (facts.isCorsRequest || facts.isPreflight)),
      (facts) => facts.host,
    );
    for (const [host, group] of byHost) {
      // Advice waits until nothing on the host is rejected: during a failure it would only distract.
      // Fewer records than a finding needs: none to look at (the filter below keeps at most these).
      if (group.length < MIN_SEGMENTS || group.some((facts) => facts.verdict.outcome === 'fail')) continue;
      const blind = group.filter((facts) => isReadableCrossOriginSegment(facts, context.pageOrigin) && !allowsTiming(facts, facts.pageOrigin ?? context.pageOrigin));
      if (blind.length < MIN_SEGMENTS) continue;
      const pageOrigin = blind[0]!.pageOrigin ?? context.pageOrigin;
      texts.reportGroup(context, blind, {
        messageId: 'missing',
        data: { host, pageOrigin: pageOrigin ?? texts.text('thisPage') },
        evidence: (facts) => [responseHeader(facts, 'timing-allow-origin'), responseHeader(facts, 'access-control-allow-origin'), fact(facts, 'verdict', facts.verdict.outcome)],
        confidence: 'certain',
        fixSteps: [texts.text('fix.add', { origin: pageOrigin ?? '*' }), texts.text('fix.optional')],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
