import { originOf } from '../headers.ts';
import { ref } from './lib/text.ts';
import type { MessageRef } from '../model.ts';
import { s3CorsFixRef } from '../cdn/fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { textsOf } from './lib/localised.ts';
import { sentNullAfterRedirect } from './lib/redirects.ts';
import { isMisfitCachedPreflight } from './lib/preflight-cache.ts';
import { groupBy } from './lib/groups.ts';
import { cacheEvidence, fact, listOf, requestHeader, responseHeader, vendorName } from './lib/describe.ts';
import { isEchoForAnotherOrigin } from './lib/origin-cors.ts';

function isMismatch(facts: RecordFacts): boolean {
  // Origin: null after a redirect, and a cached preflight made for another origin, have rules of their own.
  return facts.isCorsRequest && facts.verdict.outcome === 'fail' && facts.verdict.chromiumError === 'AllowOriginMismatch' && !sentNullAfterRedirect(facts) && !isMisfitCachedPreflight(facts);
}

/**
 * `value` without its trailing slashes, scanned by hand: the pattern `/\/+$/` retries from every
 * slash of a long run (an ACAO of 100 000 slashes and a letter took seconds).
 */
function withoutTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end--;
  return value.slice(0, end);
}

/** Why a value that looks right still fails (case, trailing slash, default port differ: docs/cors-reference.md#access-check). */
function nearMissNote(value: string, pageOrigin: string | null): MessageRef | string {
  if (pageOrigin === null) return '';
  const trimmed = value.trim();
  if (trimmed.toLowerCase() === pageOrigin.toLowerCase()) return texts.text('nearMiss.case');
  if (withoutTrailingSlashes(trimmed) === pageOrigin) return texts.text('nearMiss.slash');
  if (originOf(trimmed) === pageOrigin) return texts.text('nearMiss.serialized');
  return '';
}

const rule: Rule = {
  meta: {
    id: 'allow-origin-mismatch',
    cause: 'origin-mismatch',
    category: 'cors',
    kind: 'cause',
    severity: 'error',
    title: 'Access-Control-Allow-Origin names another origin',
    description:
      'The browser compares Access-Control-Allow-Origin with the page origin character for character. A value for another site, a trailing slash or another letter case fails, and a cached copy made for another origin fails the same way. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSAllowOriginNotMatchingOrigin',
    messages: {
      mismatch:
        '{{count}} {{kind}} on {{host}} got Access-Control-Allow-Origin {{values}} but the page is {{pageOrigin}}{{cacheNote}}.{{nearMiss}}',
    },
    texts: {
      cacheNote: '; {{count}} came from the CDN cache without Vary: Origin, so a copy made for another origin was reused',
      'nearMiss.case': ' The value differs from the page origin only in letter case, which browsers do not ignore.',
      'nearMiss.slash': ' The value has a trailing slash; an origin has none.',
      'nearMiss.serialized': ' The value spells the port or path out; it must be the serialized origin exactly.',
      'fix.exactOrigin': 'List the page origin exactly (scheme://host[:port], no path, no trailing slash) where CORS is configured. {{s3Cors}}',
      'fix.cachedEcho':
        'The value is another page\'s origin on a copy from the {{vendor}} cache: the origin echoes each Origin it is sent, and the cache served the copy it made for that page. Fix the cache first (Origin in its key, then purge: see the cache card); change the CORS list only if a fresh response for this page lacks the header too.',
      'fix.vary': "Every response that echoes an origin must carry Vary: Origin, and a CDN in front must key on Origin; otherwise one origin's copy is served to another.",
    },
    requires: ['verdict'],
  },
  check(context) {
    for (const [host, group] of groupBy(context.facts.filter(isMismatch), (facts) => facts.host)) {
      const cachedWithoutVary = group.filter((facts) => facts.cdn.servedFromCache === true && !facts.cdn.varyHasOrigin);
      const pageOrigin = group[0]!.pageOrigin ?? context.pageOrigin;
      // Every copy is the cache's copy for another page, echoed by the origin: the cache is the cause
      // (cached-response-without-cors, cdn-ignores-vary-origin); the CORS list may be fine already.
      const cachedEchoes = group.every((facts) => isEchoForAnotherOrigin(facts, pageOrigin));
      const exactOrigin = texts.text('fix.exactOrigin', { s3Cors: s3CorsFixRef(group[0]!.record.url, { origins: pageOrigin ? [pageOrigin] : [] }) });
      texts.reportGroup(context, group, {
        messageId: 'mismatch',
        data: {
          host,
          values: listOf(group.map((facts) => `"${facts.allowOrigin[0] ?? ''}"`)),
          pageOrigin: pageOrigin ?? ref('phrase.unknown'),
          cacheNote: cachedWithoutVary.length > 0 ? texts.text('cacheNote', { count: cachedWithoutVary.length }) : '',
          nearMiss: nearMissNote(group[0]!.allowOrigin[0] ?? '', pageOrigin),
        },
        evidence: (facts) => [
          requestHeader(facts, 'origin'),
          responseHeader(facts, 'access-control-allow-origin'),
          responseHeader(facts, 'vary'),
          fact(facts, 'page-origin', facts.pageOrigin ?? context.pageOrigin),
          ...cacheEvidence(facts),
        ],
        confidence: cachedEchoes ? 'possible' : 'certain',
        fixSteps: cachedEchoes ? [texts.text('fix.cachedEcho', { vendor: vendorName(group) }), exactOrigin] : [exactOrigin, texts.text('fix.vary')],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
