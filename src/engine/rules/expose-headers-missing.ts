import type { Confidence, MessageRef } from '../model.ts';
import { headerValues } from '../headers.ts';
import { credentialsModeOf } from '../cors/index.ts';
import { curlWithOrigin, s3CorsFixRef } from '../cdn/fixes.ts';
import { PLAYER_EXPOSE_HEADERS } from '../cdn/origin-fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact, listOf, requestHeader, responseHeader } from './lib/describe.ts';

/**
 * Response headers script can read cross-origin without being exposed (Fetch "CORS-safelisted
 * response-header name"): Content-Length is one since whatwg/fetch#622; Content-Range, Accept-Ranges,
 * Date, ETag and Age are not.
 */
const SAFELISTED_RESPONSE_HEADERS: ReadonlySet<string> = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);

/** Why a player reads a header, and how sure it is that the player does. */
interface Need {
  header: string;
  reason: 'range' | 'clock' | 'probe';
  confidence: Confidence;
}

/** The header names Access-Control-Expose-Headers lists (lower-cased), `*` kept as it is. */
function exposedOf(facts: RecordFacts): Set<string> {
  const exposed = new Set<string>();
  for (const line of headerValues(facts.record.responseHeaders, 'access-control-expose-headers')) for (const part of line.split(',')) if (part.trim() !== '') exposed.add(part.trim().toLowerCase());
  return exposed;
}

function isExposed(facts: RecordFacts, name: string, exposed: ReadonlySet<string>): boolean {
  if (SAFELISTED_RESPONSE_HEADERS.has(name) || exposed.has(name)) return true;
  // `*` exposes every header, but only to requests without credentials (Fetch, Access-Control-Expose-Headers).
  return exposed.has('*') && credentialsModeOf(facts.record) !== 'include';
}

function hasHeader(facts: RecordFacts, name: string): boolean {
  return headerValues(facts.record.responseHeaders, name).length > 0;
}

/**
 * What the player reads from this response that it cannot: Content-Range of a 206 answer to its own
 * Range request; Date of a HEAD request in a DASH session (UTCTiming urn:mpeg:dash:utc:http-head, the
 * live clock); Accept-Ranges of a HEAD request elsewhere (a player probing for range support).
 */
function unreadableNeed(facts: RecordFacts, dash: boolean): Need | null {
  // Not rejected and ACAO present: Firefox captures leave some passes 'unknown' (credentials not visible), still read by the player.
  if (!facts.corsHeadersOk || facts.isOptions) return null;
  const method = facts.record.method.toUpperCase();
  const candidates: Need[] = [];
  if (facts.record.status === 206 && facts.record.requestHeaders?.some(([name]) => name === 'range')) candidates.push({ header: 'content-range', reason: 'range', confidence: 'possible' });
  if (method === 'HEAD' && dash) candidates.push({ header: 'date', reason: 'clock', confidence: 'likely' });
  if (method === 'HEAD' && !dash) candidates.push({ header: 'accept-ranges', reason: 'probe', confidence: 'possible' });
  // Most responses are asked for nothing a player needs exposed: their Expose-Headers is not read.
  if (candidates.length === 0) return null;
  const exposed = exposedOf(facts);
  return candidates.find((need) => hasHeader(facts, need.header) && !isExposed(facts, need.header, exposed)) ?? null;
}

/** The header as people write it in a configuration. */
const DISPLAY_NAMES: Readonly<Record<string, string>> = { 'content-range': 'Content-Range', date: 'Date', 'accept-ranges': 'Accept-Ranges' };

const rule: Rule = {
  meta: {
    id: 'expose-headers-missing',
    cause: 'expose-headers-missing',
    category: 'cors',
    lookedFor: 'advice',
    kind: 'risk',
    severity: 'warning',
    title: 'CORS passes, but the player cannot read a header it needs',
    description:
      'Cross-origin, script sees only the safelisted response headers (Content-Length, Content-Type, Cache-Control…) and those listed in Access-Control-Expose-Headers. Content-Range on a range answer, Date for a DASH live clock (UTCTiming http-head) and Accept-Ranges read as null: the request passes CORS, DevTools shows no error, yet byte-range loading or live sync breaks. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Access-Control-Expose-Headers',
    messages: {
      notExposed:
        '{{count}} {{kind}} to {{host}} passed CORS, but {{header}} is not listed in Access-Control-Expose-Headers{{exposedNote}}: the player reads it as null. {{why}}',
    },
    texts: {
      exposedNote: ' (it lists {{exposed}})',
      'why.range': 'These were Range requests answered 206: a player that checks which bytes it got (byte-range segments, progressive MP4) cannot.',
      'why.clock': 'In a DASH session a HEAD request is the UTCTiming http-head clock source: dash.js and Shaka read its Date to sync the live edge, and without it fall back to the device clock (live playback drifts or stalls).',
      'why.probe': 'A HEAD request is how a player probes for range support: it cannot see Accept-Ranges, and may download whole files.',
      'fix.expose':
        'Add {{headers}} to Access-Control-Expose-Headers in the layer that adds Access-Control-Allow-Origin (the bucket CORS rule, the CDN response headers policy, the server configuration). Keep the list explicit: "*" does not work for requests with credentials.',
      'fix.cloudfront': 'CloudFront: in the response headers policy of the behavior, add {{headers}} to Access-Control-Expose-Headers (a managed CORS policy exposes none: make a custom one).',
      'fix.verify': 'Check: {{command}} must show access-control-expose-headers naming {{header}}.',
    },
    requires: ['verdict'],
  },
  check(context) {
    // A DASH session: the page loaded an MPD (its HEAD requests are then the UTCTiming clock).
    const dash = context.facts.some((facts) => facts.record.media.kind === 'dash-manifest');
    const needs = new Map<RecordFacts, Need>();
    for (const facts of context.facts) {
      const need = unreadableNeed(facts, dash);
      if (need) needs.set(facts, need);
    }
    const groups = groupBy([...needs.keys()], (facts) => `${facts.host ?? ''} ${needs.get(facts)!.header}`);
    for (const group of groups.values()) {
      const first = group[0]!;
      const need = needs.get(first)!;
      const display = DISPLAY_NAMES[need.header] ?? need.header;
      const exposed = headerValues(first.record.responseHeaders, 'access-control-expose-headers').join(', ');
      const toExpose = [...new Set([...PLAYER_EXPOSE_HEADERS, display])];
      const steps: Array<MessageRef | null> = [texts.text('fix.expose', { headers: listOf(toExpose, 5) })];
      if (group.some((facts) => facts.cdn.vendor?.id === 'cloudfront' && facts.cdn.corsLayer === 'cdn-policy')) steps.push(texts.text('fix.cloudfront', { headers: listOf(toExpose, 5) }));
      if (group.some((facts) => facts.cdn.storage.service === 's3' && facts.cdn.corsLayer !== 'cdn-policy')) {
        steps.push(s3CorsFixRef(first.record.url, { origins: context.pageOrigin ? [context.pageOrigin] : [], exposeHeaders: toExpose }));
      }
      steps.push(texts.text('fix.verify', { command: curlWithOrigin(first.record.url, context.pageOrigin), header: display }));
      texts.reportGroup(context, group, {
        messageId: 'notExposed',
        data: {
          host: first.host ?? first.record.url,
          header: display,
          exposedNote: exposed === '' ? '' : texts.text('exposedNote', { exposed }),
          why: texts.text(`why.${need.reason}`),
        },
        evidence: (facts) => [
          fact(facts, 'method', facts.record.method),
          requestHeader(facts, 'range'),
          fact(facts, 'status', facts.record.status),
          responseHeader(facts, need.header),
          responseHeader(facts, 'access-control-expose-headers'),
          responseHeader(facts, 'access-control-allow-origin'),
        ],
        confidence: need.confidence,
        fixSteps: steps,
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
