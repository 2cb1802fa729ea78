import { originOf } from '../headers.ts';
import { curlWithOrigin } from '../cdn/fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact, listOf, requestHeader, responseHeader } from './lib/describe.ts';
import { taintingHopOf } from './lib/redirects.ts';

/** A CORS request rejected after a redirect that turned its Origin into null. */
function isRejectedAfterTaint(facts: RecordFacts, pageOrigin: string | null): boolean {
  return facts.isCorsRequest && facts.requestOrigin === 'null' && facts.verdict.outcome === 'fail' && facts.verdict.stage !== 'preflight' && taintingHopOf(facts, pageOrigin) !== null;
}

const rule: Rule = {
  meta: {
    id: 'redirect-taints-origin',
    cause: 'redirect-taints-origin',
    category: 'cors',
    lookedFor: 'redirect',
    kind: 'cause',
    severity: 'error',
    title: 'A cross-origin redirect turned Origin into null',
    description:
      'When a cross-origin request is redirected to yet another origin, the browser sends Origin: null to the target (the Fetch standard\'s tainted origin, so the target cannot be told a page it never saw). A target that allows the page\'s origin by name, or allows no "null", rejects it: the request fails although the target\'s CORS rule lists the page. Learn more: https://fetch.spec.whatwg.org/#http-redirect-fetch',
    messages: {
      tainted:
        '{{count}} {{kind}} {{verb}} redirected from {{from}} to {{to}}, another origin: after that hop the browser sent Origin: null, and {{to}} answered Access-Control-Allow-Origin {{allowOrigin}}, which does not allow it. The CORS rule that lists {{pageOrigin}} never applies to these requests.',
    },
    texts: {
      'verb.one': 'was',
      'verb.many': 'were',
      none: '(none)',
      thisPage: 'this page',
      'fix.direct': 'Remove the redirect: put the final URLs ({{to}}) in the playlist or manifest, or let the CDN fetch from {{to}} as its origin instead of redirecting the player there.',
      'fix.wildcard':
        'If the redirect must stay, make {{to}} answer Access-Control-Allow-Origin: * for these files (requests without credentials). Allowing "null" by name would allow every sandboxed page and file: URL too.',
      'fix.relative': 'After a redirected playlist, relative segment URLs resolve against {{to}}: make sure the segments exist there with the same CORS headers, or use absolute URLs.',
      'fix.verify': 'Check the target the way the browser asks after the redirect: {{command}} must show access-control-allow-origin: * (or null).',
    },
    requires: ['verdict'],
    certainFromHeaders: true,
  },
  check(context) {
    const rejected = context.facts.filter((facts) => isRejectedAfterTaint(facts, context.pageOrigin));
    const byHop = groupBy(rejected, (facts) => {
      const hop = taintingHopOf(facts, context.pageOrigin)!;
      return `${originOf(hop.url)} ${originOf(hop.redirectUrl)}`;
    });
    for (const group of byHop.values()) {
      const first = group[0]!;
      const hop = taintingHopOf(first, context.pageOrigin)!;
      const from = originOf(hop.url) ?? hop.url;
      const to = originOf(hop.redirectUrl) ?? hop.redirectUrl;
      const pageOrigin = first.pageOrigin ?? context.pageOrigin;
      texts.reportGroup(context, group, {
        messageId: 'tainted',
        data: {
          verb: texts.text(group.length === 1 ? 'verb.one' : 'verb.many'),
          from,
          to,
          allowOrigin: listOf(group.map((facts) => (facts.allowOrigin.length > 0 ? `"${facts.allowOrigin.join(', ')}"` : texts.text('none')))),
          pageOrigin: pageOrigin ?? texts.text('thisPage'),
        },
        evidence: (facts) => {
          const tainting = taintingHopOf(facts, context.pageOrigin)!;
          return [
            fact(facts, 'redirect', `${tainting.status} ${tainting.url} → ${tainting.redirectUrl}`),
            requestHeader(facts, 'origin'),
            responseHeader(facts, 'access-control-allow-origin'),
            fact(facts, 'verdict', facts.verdict.chromiumError ?? facts.verdict.outcome),
          ];
        },
        confidence: 'certain',
        fixSteps: [
          texts.text('fix.direct', { to }),
          texts.text('fix.wildcard', { to }),
          first.fileKind === 'playlist' ? texts.text('fix.relative', { to }) : null,
          texts.text('fix.verify', { command: curlWithOrigin(first.record.url, 'null') }),
        ],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
