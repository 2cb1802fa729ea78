import type { MessageRef } from '../model.ts';
import { headerValue } from '../headers.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { listOf, requestHeader, responseHeader } from './lib/describe.ts';

/**
 * Distinct URLs preflighted before the rule speaks: one preflight is the price of one request, three
 * different URLs show the per-URL pattern (a player that fetches segments pays it on each).
 */
const MIN_URLS = 3;

/** Why a request header needed a preflight: a CMCD header, a Range that is not one simple range, or anything else. */
type HeaderReason = 'cmcd' | 'range' | 'custom';

function reasonOf(name: string): HeaderReason {
  if (name.startsWith('cmcd-')) return 'cmcd';
  return name === 'range' ? 'range' : 'custom';
}

/** A preflight the server allowed (a refused one is preflight-rejected's). */
function isAllowedPreflight(facts: RecordFacts): boolean {
  const status = facts.record.status;
  return facts.isPreflight && status !== null && status >= 200 && status < 300 && facts.allowOrigin.length > 0;
}

/** The header names a preflight asked for, lower-cased. */
function requestedHeadersOf(facts: RecordFacts): string[] {
  const value = headerValue(facts.record.requestHeaders, 'access-control-request-headers') ?? '';
  return value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

function urlWithoutQuery(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

const rule: Rule = {
  meta: {
    id: 'preflight-per-segment',
    cause: 'preflight-per-segment',
    category: 'cors',
    lookedFor: 'advice',
    kind: 'risk',
    severity: 'warning',
    title: 'Every segment pays a preflight round trip',
    description:
      'A request header that is not CORS-safelisted (CMCD headers, a session or analytics X- header, a Range that is not one simple range) makes the browser send an OPTIONS preflight before the request. The preflight cache is keyed by URL, and every segment has its own URL, so Access-Control-Max-Age does not help: each segment costs an extra round trip before its first byte, at startup, on every seek and on every quality switch. Learn more: https://fetch.spec.whatwg.org/#cors-preflight-cache',
    messages: {
      perSegment:
        '{{count}} preflight (OPTIONS) requests went to {{host}}, one per URL for {{urls}} different URLs: the player sends {{headers}}, which {{verb}} not CORS-safelisted, so every new segment waits for an extra round trip before its request goes out. The preflight cache is per URL: Access-Control-Max-Age ({{maxAge}}) cannot save these.',
    },
    texts: {
      'verb.one': 'is',
      'verb.many': 'are',
      noMaxAge: 'not sent',
      'fix.cmcd': 'Send CMCD in query mode instead of headers ({{headers}}): dash.js cmcd.mode "query", hls.js cmcd.useHeaders false, Shaka cmcd.useHeaders false. A query parameter needs no preflight (and a CDN that keys on the query must ignore the CMCD parameter).',
      'fix.range': 'Send one simple range only: "bytes=N-" or "bytes=N-M", lower-case unit, no spaces. A suffix range (bytes=-N), several ranges or "Bytes=" need a preflight in Chromium and Firefox.',
      'fix.custom': 'Drop {{headers}} from segment requests (hls.js xhrSetup, dash.js RequestModifier, Shaka request filters), or carry the value in a query parameter or a cookie; keep it on the playlist or license request if the server needs it once.',
      'fix.keep': 'If the header must stay, answer preflights at the edge (a CDN response headers policy or edge function) so that each costs a round trip to the edge only, not to the origin.',
    },
    requires: ['request-headers'],
    certainFromHeaders: true,
  },
  check(context) {
    const preflights = context.facts.filter(isAllowedPreflight);
    for (const [host, group] of groupBy(preflights, (facts) => facts.host)) {
      const urls = new Set(group.map((facts) => urlWithoutQuery(facts.record.url)));
      if (urls.size < MIN_URLS) continue;
      const headers = [...new Set(group.flatMap(requestedHeadersOf))];
      const reasons = new Set(headers.map(reasonOf));
      const maxAge = headerValue(group[0]!.record.responseHeaders, 'access-control-max-age');
      const byReason = (reason: HeaderReason) => headers.filter((name) => reasonOf(name) === reason);
      const steps: Array<MessageRef | null> = [
        reasons.has('cmcd') ? texts.text('fix.cmcd', { headers: listOf(byReason('cmcd'), 4) }) : null,
        reasons.has('range') ? texts.text('fix.range') : null,
        reasons.has('custom') ? texts.text('fix.custom', { headers: listOf(byReason('custom'), 4) }) : null,
        texts.text('fix.keep'),
      ];
      texts.reportGroup(context, group, {
        messageId: 'perSegment',
        data: {
          host,
          urls: urls.size,
          headers: listOf(headers.length > 0 ? headers : [requestHeaderMethod(group[0]!)], 4),
          verb: texts.text(headers.length > 1 ? 'verb.many' : 'verb.one'),
          maxAge: maxAge ?? texts.text('noMaxAge'),
        },
        evidence: (facts) => [
          requestHeader(facts, 'access-control-request-headers'),
          requestHeader(facts, 'access-control-request-method'),
          responseHeader(facts, 'access-control-allow-headers'),
          responseHeader(facts, 'access-control-max-age'),
        ],
        confidence: 'certain',
        fixSteps: steps,
      });
    }
  },
};

/** Without requested headers, the method is what needed the preflight. */
function requestHeaderMethod(facts: RecordFacts): string {
  return headerValue(facts.record.requestHeaders, 'access-control-request-method') ?? 'OPTIONS';
}

const texts = textsOf(rule.meta);

export default rule;
