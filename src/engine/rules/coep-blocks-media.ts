import { headerValue } from '../headers.ts';
import type { DocumentPolicy } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact, requestHeader, responseHeader } from './lib/describe.ts';
import { isSameOrigin } from './lib/facts.ts';

/** Chromium's error for a response its embedder or resource policy blocked (Firefox: NS_ERROR_DOM_CORP_FAILED). */
const BLOCKED_BY_RESPONSE: ReadonlySet<string> = new Set(['net::ERR_BLOCKED_BY_RESPONSE', 'NS_ERROR_DOM_CORP_FAILED', 'NS_ERROR_DOM_COEP_FAILED']);

/** A cross-origin media response the browser received and then blocked for its resource policy. */
function isBlockedByPolicy(facts: RecordFacts, pageOrigin: string | null): boolean {
  return BLOCKED_BY_RESPONSE.has(facts.record.error ?? '') && facts.record.responseHeaders !== null && !isSameOrigin(facts, pageOrigin);
}

/** The policy values under which a cross-origin response needs CORS or CORP (`unsafe-none` and absent do not). */
const BLOCKING_POLICIES: ReadonlySet<string> = new Set(['require-corp', 'credentialless']);

/** The token of a COEP value (`require-corp; report-to="x"` → `require-corp`), lower-cased. */
function policyToken(value: string): string {
  return value.split(';')[0]!.trim().toLowerCase();
}

/** The document the record came from, when the capture saw its response: the same frame and page origin. */
function documentOf(facts: RecordFacts, policies: readonly DocumentPolicy[]): DocumentPolicy | undefined {
  return policies.find((policy) => policy.frameId === facts.record.frameId && policy.origin === facts.record.pageOrigin);
}

const rule: Rule = {
  meta: {
    id: 'coep-blocks-media',
    cause: 'coep-blocks-media',
    category: 'cors',
    lookedFor: 'notCors',
    kind: 'cause',
    severity: 'error',
    title: 'The page\'s Cross-Origin-Embedder-Policy blocks media without CORP',
    description:
      'A page that sends Cross-Origin-Embedder-Policy: require-corp (for SharedArrayBuffer, often added with COOP for "cross-origin isolation") may only load cross-origin resources that opt in: with CORS, or with Cross-Origin-Resource-Policy: cross-origin. A <video> or <img> without crossorigin fetches media without CORS, so the browser receives it and then blocks it (ERR_BLOCKED_BY_RESPONSE). It looks like a CORS failure, but no CORS header is missing. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Embedder-Policy',
    messages: {
      blockedUnderPolicy:
        '{{count}} {{kind}} from {{host}} arrived ({{statuses}}) and were then blocked by the browser with {{error}}: the page ({{page}}) was served with Cross-Origin-Embedder-Policy: {{policy}}, and the response has {{corp}}. Under that policy a page may not use a cross-origin response that neither passed CORS nor carries Cross-Origin-Resource-Policy: cross-origin.',
      blocked:
        '{{count}} {{kind}} from {{host}} arrived ({{statuses}}) and were then blocked by the browser with {{error}}: the response has {{corp}}, and a page under Cross-Origin-Embedder-Policy (require-corp) may not use a cross-origin response that neither passed CORS nor carries Cross-Origin-Resource-Policy: cross-origin.',
    },
    texts: {
      noCorp: 'no Cross-Origin-Resource-Policy',
      corp: 'Cross-Origin-Resource-Policy: {{value}}',
      'fix.corp': 'On the media responses of {{host}}, send Cross-Origin-Resource-Policy: cross-origin (the CDN response headers policy, bucket metadata or server configuration).',
      'fix.cors': 'Or load the media with CORS: crossorigin="anonymous" on the <video>, or a player that fetches with CORS (hls.js, dash.js), with Access-Control-Allow-Origin on the responses.',
      'fix.credentialless': 'Or, if the page needs cross-origin isolation but not cookies on these requests, use Cross-Origin-Embedder-Policy: credentialless on the page instead of require-corp.',
    },
    requires: [],
  },
  check(context) {
    const blocked = context.facts.filter((facts) => isBlockedByPolicy(facts, context.pageOrigin));
    // The document's own header, when the capture saw it, decides: one without a blocking policy was not blocked by COEP.
    const documents = new Map(blocked.map((facts) => [facts, documentOf(facts, context.documentPolicies)]));
    const underPolicy = blocked.filter((facts) => {
      const policy = documents.get(facts)?.embedderPolicy;
      return policy === undefined || (policy !== null && BLOCKING_POLICIES.has(policyToken(policy)));
    });
    for (const group of groupBy(underPolicy, (facts) => (facts.host === null ? null : `${facts.host} ${documents.get(facts)?.origin ?? ''}`)).values()) {
      const first = group[0]!;
      const host = first.host!;
      const document = documents.get(first);
      const corpValue = headerValue(first.record.responseHeaders, 'cross-origin-resource-policy');
      const data = {
        host,
        statuses: { items: [...new Set(group.map((facts) => `HTTP ${facts.record.status ?? '?'}`))], more: 0 },
        error: first.record.error ?? '',
        corp: corpValue === null ? texts.text('noCorp') : texts.text('corp', { value: corpValue }),
      };
      texts.reportGroup(context, group, {
        messageId: document ? 'blockedUnderPolicy' : 'blocked',
        data: document ? { ...data, page: document.origin, policy: document.embedderPolicy ?? '' } : data,
        evidence: (facts) => [
          fact(facts, 'error', facts.record.error),
          requestHeader(facts, 'sec-fetch-mode'),
          requestHeader(facts, 'sec-fetch-dest'),
          responseHeader(facts, 'cross-origin-resource-policy'),
          responseHeader(facts, 'access-control-allow-origin'),
          ...(document ? [fact(facts, 'page cross-origin-embedder-policy', document.embedderPolicy)] : []),
        ],
        // Certain only when the document's response header was seen; without it the policy is inferred from the error.
        confidence: document ? 'certain' : 'likely',
        fixSteps: [texts.text('fix.corp', { host }), texts.text('fix.cors'), texts.text('fix.credentialless')],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
