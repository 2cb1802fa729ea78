import { isMedia } from '../media/classify.ts';
import { curlWithOrigin } from '../cdn/fixes.ts';
import { keepsCopiesPerOrigin } from '../cdn/vendors.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { isSameOrigin } from './lib/facts.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, fact, listOf, requestHeader, responseHeader } from './lib/describe.ts';

/**
 * Requests a player or a script makes (media, XHR/fetch, or of no known type as in a curl or proxy
 * capture): a script, image or style sheet without Origin is the page's ordinary no-cors load, and
 * listing those would bury the answer.
 */
const SCRIPTED_TYPES: ReadonlySet<string> = new Set(['xmlhttprequest', 'fetch', 'other', 'media', 'preflight']);

/** A cross-origin request sent without Origin whose response has no ACAO: looks like a failure, is not. */
function looksBlockedButIsNot(facts: RecordFacts, pageOrigin: string | null): boolean {
  return (
    facts.verdict.outcome === 'not-applicable' &&
    // A response the browser withheld for its resource policy (COEP/CORP) is blocked: coep-blocks-media's.
    facts.verdict.explanationText?.id !== 'verdict.case.noCorsBlockedByResponse' &&
    facts.requestOrigin === null &&
    !facts.isPreflight &&
    (isMedia(facts.record.media) || facts.isOptions || SCRIPTED_TYPES.has(facts.record.resourceType)) &&
    facts.record.responseHeaders !== null &&
    facts.allowOrigin.length === 0 &&
    !isSameOrigin(facts, pageOrigin)
  );
}

const rule: Rule = {
  meta: {
    id: 'request-without-origin',
    cause: 'not-a-cors-request',
    category: 'cors',
    lookedFor: 'notCors',
    kind: 'advice',
    severity: 'info',
    title: 'Requests sent without Origin are not CORS failures',
    description:
      'A request without an Origin header (curl, a <video> without crossorigin, a navigation) is not a CORS request: S3 and CDN policies rightly send no Access-Control-Allow-Origin, and the browser does not check for one. Reading such a response as a CORS failure sends the investigation the wrong way. Learn more: https://fetch.spec.whatwg.org/#cors-request',
    messages: {
      notCors:
        '{{count}} cross-origin {{what}} went out without an Origin header (mode {{modes}}): no Access-Control-Allow-Origin is expected, so {{pronoun}} not a CORS failure.',
      notCorsFillsCache:
        '{{count}} cross-origin {{what}} went out without an Origin header (mode {{modes}}): no Access-Control-Allow-Origin is expected, so {{pronoun}} not a CORS failure. But {{cacheCount}} of them reached {{vendor}} as a cache Miss without Origin in Vary: such a request can fill the cache with a copy that later CORS requests get.',
    },
    texts: {
      'what.one': 'request',
      'what.many': 'requests',
      'pronoun.one': 'it is',
      'pronoun.many': 'they are',
      theCdn: 'the CDN',
      'fix.nothing': 'Nothing to change on the server for these requests.',
      'fix.useCors':
        'If the player reads the data (hls.js, MSE, canvas), it must request with CORS: add crossorigin="anonymous" to the <video>/<img>/<audio> element, or fetch with mode "cors".',
      'fix.test': 'To test the server, send Origin the way a browser does: {{command}}',
    },
    requires: ['request-headers', 'verdict'],
  },
  check(context) {
    const matches = context.facts.filter((facts) => looksBlockedButIsNot(facts, context.pageOrigin));
    if (matches.length === 0) return;
    const modes = listOf(matches.map((facts) => facts.requestMode));
    // Only a Miss (fetched from the origin into the cache) can store the CORS-less copy for others.
    const cacheFills = matches.filter((facts) => facts.cdn.cacheStatus === 'MISS' && !facts.cdn.varyHasOrigin && !keepsCopiesPerOrigin(facts.cdn.varyOrigin));
    const example = matches[0]!;
    const fixSteps = [
      texts.text('fix.nothing'),
      texts.text('fix.useCors'),
      texts.text('fix.test', { command: curlWithOrigin(example.record.url, context.pageOrigin) }),
    ];
    const count = matches.length;
    texts.reportGroup(context, matches, {
      messageId: cacheFills.length > 0 ? 'notCorsFillsCache' : 'notCors',
      data: {
        what: texts.text(count === 1 ? 'what.one' : 'what.many'),
        pronoun: texts.text(count === 1 ? 'pronoun.one' : 'pronoun.many'),
        modes,
        cacheCount: cacheFills.length,
        vendor: cacheFills[0]?.cdn.vendor?.name ?? texts.text('theCdn'),
      },
      evidence: (facts) => [
        requestHeader(facts, 'origin'),
        requestHeader(facts, 'sec-fetch-mode'),
        fact(facts, 'verdict', facts.verdict.outcome),
        responseHeader(facts, 'access-control-allow-origin'),
        responseHeader(facts, 'vary'),
        ...cacheEvidence(facts),
      ],
      confidence: 'certain',
      fixSteps,
    });
  },
};

const texts = textsOf(rule.meta);

export default rule;
