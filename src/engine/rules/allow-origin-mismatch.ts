import { originOf } from '../headers.ts';
import { ref } from './lib/text.ts';
import type { MessageList, MessageRef } from '../model.ts';
import { s3CorsFixRef } from '../cdn/fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { textsOf } from './lib/localised.ts';
import { sentNullAfterRedirect } from './lib/redirects.ts';
import { isMisfitCachedPreflight } from './lib/preflight-cache.ts';
import { groupBy, pathPatternOf } from './lib/groups.ts';
import { cacheEvidence, fact, listOf, requestHeader, responseHeader, vendorName } from './lib/describe.ts';
import { isEchoForAnotherOrigin } from './lib/origin-cors.ts';
import { cacheSafeCorsSteps, purgeStep } from './lib/fixes.ts';

function isMismatch(facts: RecordFacts): boolean {
  // Origin: null after a redirect, and a cached preflight made for another origin, have rules of their own.
  return facts.isCorsRequest && facts.verdict.outcome === 'fail' && facts.verdict.chromiumError === 'AllowOriginMismatch' && !sentNullAfterRedirect(facts) && !isMisfitCachedPreflight(facts);
}

/** A CDN copy that says Vary: Origin yet names another origin: cdn-ignores-vary-origin's cause, not a setup error. */
function isIgnoredVaryCopy(facts: RecordFacts): boolean {
  return facts.cdn.servedFromCache === true && facts.cdn.varyHasOrigin;
}

/** A stored copy: from the CDN's cache or from the browser's own. */
function isStoredCopy(facts: RecordFacts): boolean {
  return facts.fromBrowserCache || facts.cdn.servedFromCache === true;
}

/** Fresh responses of each host that echo the origin the request was made from exactly: that host's CORS setup is right. */
function exactEchoesByHost(all: readonly RecordFacts[]): Map<string, RecordFacts[]> {
  return groupBy(
    all.filter((facts) => facts.corsHeadersOk && !isStoredCopy(facts) && facts.pageOrigin !== null && facts.allowOrigin.length === 1 && facts.allowOrigin[0]!.trim() === facts.pageOrigin),
    (facts) => facts.host,
  );
}

/** Which cache handed out the copy, as the message names it. */
function cacheWords(group: readonly RecordFacts[]): MessageRef {
  if (group.every((facts) => facts.fromBrowserCache)) return texts.text('cache.browser');
  const fromCdn = group.filter((facts) => facts.cdn.servedFromCache === true);
  if (fromCdn.length > 0) return texts.text('cache.cdn', { vendor: vendorName(fromCdn) });
  return texts.text('cache.unseen');
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
    lookedFor: 'allowOrigin',
    kind: 'cause',
    severity: 'error',
    title: 'Access-Control-Allow-Origin names another origin',
    description:
      'The browser compares Access-Control-Allow-Origin with the page origin character for character. A value for another site, a trailing slash or another letter case fails, and a cached copy made for another origin fails the same way. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSAllowOriginNotMatchingOrigin',
    messages: {
      mismatch:
        '{{count}} {{kind}} on {{host}} got Access-Control-Allow-Origin {{values}} but the page is {{pageOrigin}}{{cacheNote}}.{{nearMiss}}',
      copyForAnotherOrigin:
        '{{count}} {{kind}} on {{host}} got Access-Control-Allow-Origin {{values}} from {{cache}}, but the page is {{pageOrigin}}{{echoNote}}: a copy made for another origin was reused, the CORS setup itself is not what fails.',
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
      'cache.browser': "the browser's cache",
      'cache.cdn': 'the {{vendor}} cache',
      'cache.unseen': "a cache the capture does not name (no CDN headers: the browser's cache or a proxy)",
      echoNote: '; {{count}} fresh responses of the same host echo {{pageOrigin}} exactly',
      'fix.varyEverywhere':
        "Send Vary: Origin on every response that echoes an origin, and on the answer to requests without Origin, so no cache (browser, proxy or service worker) hands one origin's copy to another.",
      'fix.browserCache': 'Confirm with a hard reload or DevTools "Disable cache": if {{url}} then passes, the stored copy was the cause and nothing on the server has to change for it.',
    },
    requires: ['verdict'],
  },
  check(context) {
    const echoes = exactEchoesByHost(context.facts);
    for (const [host, group] of groupBy(context.facts.filter((facts) => isMismatch(facts) && !isIgnoredVaryCopy(facts)), (facts) => facts.host)) {
      // Origin: null after a cross-origin redirect is left out by isMismatch (redirect-taints-origin).
      const rest = group;
      const pageOrigin = rest[0]!.pageOrigin ?? context.pageOrigin;
      // What both messages say first: the host, the values received and the page they fail for.
      const named = { host, values: valuesOf(rest), pageOrigin: pageOrigin ?? ref('phrase.unknown') };
      const echoed = echoes.get(host) ?? [];
      // The host echoes the page exactly when asked afresh, or every copy is a stored one that varies on
      // Origin or sits in the browser's cache: a copy made for another origin was reused. A CDN copy
      // without Vary and no fresh echo may as well be a fixed wrong value, so it stays a plain mismatch.
      const reused = echoed.length > 0 || rest.every((facts) => facts.fromBrowserCache || (facts.cdn.servedFromCache === true && facts.cdn.varyHasOrigin));
      if (reused) {
        const stored = rest.filter(isStoredCopy);
        texts.reportGroup(context, rest, {
          messageId: 'copyForAnotherOrigin',
          data: {
            ...named,
            cache: cacheWords(stored.length > 0 ? stored : rest),
            echoNote: echoed.length > 0 ? texts.text('echoNote', { count: echoed.length, pageOrigin: named.pageOrigin }) : '',
          },
          evidence: (facts) => [
            requestHeader(facts, 'origin'),
            responseHeader(facts, 'access-control-allow-origin'),
            responseHeader(facts, 'vary'),
            fact(facts, 'browser-cache', facts.fromBrowserCache ? 'yes' : 'no'),
            ...cacheEvidence(facts),
          ],
          moreEvidence: echoed.slice(0, 2).flatMap((facts) => [responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts)]),
          // CDN copies that echo another page's origin: the cache's own card (poisoned copy) is the cause to lead with.
          confidence: stored.length > 0 && stored.every((facts) => facts.cdn.servedFromCache === true && isEchoForAnotherOrigin(facts, pageOrigin)) ? 'possible' : 'likely',
          fixSteps: reusedCopySteps(rest, stored),
        });
        continue;
      }
      const cachedWithoutVary = rest.filter((facts) => facts.cdn.servedFromCache === true && !facts.cdn.varyHasOrigin);
      // Every copy is the cache's copy for another page, echoed by the origin: the cache is the cause
      // (cached-response-without-cors, cdn-ignores-vary-origin); the CORS list may be fine already.
      const cachedEchoes = rest.every((facts) => isEchoForAnotherOrigin(facts, pageOrigin));
      const exactOrigin = texts.text('fix.exactOrigin', { s3Cors: s3CorsFixRef(rest[0]!.record.url, { origins: pageOrigin ? [pageOrigin] : [] }) });
      texts.reportGroup(context, rest, {
        messageId: 'mismatch',
        data: {
          ...named,
          cacheNote: cachedWithoutVary.length > 0 ? texts.text('cacheNote', { count: cachedWithoutVary.length }) : '',
          nearMiss: nearMissNote(rest[0]!.allowOrigin[0] ?? '', pageOrigin),
        },
        evidence: (facts) => [
          requestHeader(facts, 'origin'),
          responseHeader(facts, 'access-control-allow-origin'),
          responseHeader(facts, 'vary'),
          fact(facts, 'page-origin', facts.pageOrigin ?? context.pageOrigin),
          ...cacheEvidence(facts),
        ],
        confidence: cachedEchoes ? 'possible' : 'certain',
        fixSteps: cachedEchoes ? [texts.text('fix.cachedEcho', { vendor: vendorName(rest) }), exactOrigin] : [exactOrigin, texts.text('fix.vary')],
      });
    }
  },
};

/** Steps for a copy made for another origin: stop the cache from reusing it, then throw the copies away. */
function reusedCopySteps(group: readonly RecordFacts[], stored: readonly RecordFacts[]): MessageRef[] {
  const fromCdn = stored.filter((facts) => facts.cdn.servedFromCache === true);
  if (fromCdn.length > 0) return [...cacheSafeCorsSteps(fromCdn, pathPatternOf(fromCdn[0]!)), purgeStep(fromCdn)];
  return [texts.text('fix.varyEverywhere'), texts.text('fix.browserCache', { url: group[0]!.record.url })];
}

/** The ACAO values received, quoted. */
function valuesOf(group: readonly RecordFacts[]): MessageList {
  return listOf(group.map((facts) => `"${facts.allowOrigin[0] ?? ''}"`));
}

const texts = textsOf(rule.meta);

export default rule;
