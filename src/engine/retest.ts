import type { CorsVerdict, MessageRef, RequestRecord } from './model.ts';
import { cdnFactsOf } from './cdn/index.ts';
import { headerValue } from './headers.ts';

/** The query parameter that makes a re-test URL unique, so no cache can answer it with an old copy. */
export const RETEST_PARAM = 'corsLensRetest';

/** The URL a re-test fetches: the original plus a unique cache-busting parameter. */
export function retestUrlOf(url: string, nonce: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(RETEST_PARAM, nonce);
  return parsed.toString();
}

/** The nonce of a re-test URL, or null for any other URL. */
export function retestNonceOf(url: string): string | null {
  const marker = `${RETEST_PARAM}=`;
  const at = url.indexOf(marker);
  if (at === -1) return null;
  try {
    return new URL(url).searchParams.get(RETEST_PARAM);
  } catch {
    return null;
  }
}

export type RetestConclusion =
  | 'cached-copy-lacked-cors' // original failed from cache; fresh copy passes
  | 'origin-lacks-cors' // fresh copy from the origin fails too
  | 'cache-key-ignores-query' // the re-test was answered from the cache too: it proves nothing about the origin
  | 'cdn-answered-from-cache' // a signed URL kept as it is: the CDN answered the re-test from its cache
  | 'both-pass'
  | 'now-fails' // the original passed, the re-test fails
  | 'inconclusive';

/**
 * English of every re-test text, by message id (`retest.<name>`, _locales `retest_<name>`): the UI
 * words the same ids in the user's language.
 */
export const RETEST_TEXT = {
  'retest.cache-key-ignores-query':
    'The re-test was answered from the CDN cache although its URL was new: the cache key ignores query strings, so this comparison cannot tell the cached copy from what the origin sends now. Invalidate the path, then re-test.',
  'retest.cdn-answered-from-cache':
    'The CDN answered the re-test from its cache again, so this comparison cannot tell the cached copy from what the origin sends now. Invalidate the path, then re-test.',
  'retest.cached-copy-lacked-cors':
    'A fresh copy from the origin passes, but the copy the player got came from the CDN cache without usable CORS headers: the cache holds a copy made for another request (without Origin, or before a CORS change). Invalidate the path and key the cache on Origin, or add CORS at the edge.',
  'retest.varies':
    'The re-test passes where the original failed, and the original was not served from the CDN cache: the answer varies between requests (another edge location, or a change in between).',
  'retest.origin-lacks-cors':
    'A fresh copy, fetched with the page’s Origin past every cache, fails too: the origin (or the CDN policy in front of it) does not send the CORS headers this page needs. Fix the bucket CORS or the response headers policy; an invalidation alone will not help.',
  'retest.kept-url-fails-too':
    'The re-test fails too. It reached the CDN with the page’s Origin, but nothing in its answer says whether the CDN took it from its cache or from the origin, so this does not prove the origin lacks CORS. Invalidate the path, then re-test.',
  'retest.now-fails':
    'The original passed but the fresh copy fails: what the origin sends has changed, or this request reached a different edge location or origin.',
  'retest.both-pass': 'The original and a fresh copy both pass CORS.',
  'retest.unknown': 'The re-test does not decide the question: one of the two verdicts is not known.',
  'retest.caveat-kept-url':
    'This URL is signed, so the re-test kept it exactly as it was (an added parameter would break the signature) and bypassed only the browser cache: a CDN may still answer it from its cache.',
} as const satisfies Readonly<Record<string, string>>;

export type RetestTextId = keyof typeof RETEST_TEXT;
/** A re-test sentence by id (no values: the sentences are whole). */
export type RetestText = MessageRef & { id: RetestTextId };

export interface RetestComparison {
  conclusion: RetestConclusion;
  original: { outcome: CorsVerdict['outcome']; cacheStatus: string | null; allowOrigin: string | null };
  retest: { outcome: CorsVerdict['outcome']; cacheStatus: string | null; allowOrigin: string | null };
  /**
   * True when the re-test fetched the original URL unchanged (a signed URL) and bypassed only the
   * browser cache: a CDN may still have answered from its cache.
   */
  keptUrl: boolean;
  /** What the difference proves, as a message id (the UI words it in the user's language). */
  text: RetestText;
  /** For a kept URL: the sentence that says a CDN may still answer from its cache. */
  caveat: RetestText | null;
  /** The same in English: `text`, then `caveat` when there is one. */
  explanation: string;
}

function sideOf(record: RequestRecord, verdict: CorsVerdict) {
  const cdn = cdnFactsOf(record.responseHeaders, record.method);
  return {
    outcome: verdict.outcome,
    cacheStatus: cdn.cacheStatus,
    allowOrigin: headerValue(record.responseHeaders, 'access-control-allow-origin'),
    fromCdnCache: cdn.servedFromCache,
    age: cdn.age,
  };
}

/** The URL a request was first sent to (a record's `url` is where its redirects ended). */
function firstUrlOf(record: RequestRecord): string {
  return record.redirects[0]?.url ?? record.url;
}

/** Whether a re-test fetched the original URL unchanged (no cache-busting parameter was added). */
export function retestKeptUrl(retest: RequestRecord): boolean {
  return retestNonceOf(firstUrlOf(retest)) === null;
}

type Side = ReturnType<typeof sideOf>;

function conclusionOf(before: Side, after: Side, keptUrl: boolean): { conclusion: RetestConclusion; text: RetestTextId } {
  if (after.fromCdnCache === true) {
    return keptUrl
      ? { conclusion: 'cdn-answered-from-cache', text: 'retest.cdn-answered-from-cache' }
      : { conclusion: 'cache-key-ignores-query', text: 'retest.cache-key-ignores-query' };
  }
  if (before.outcome === 'fail' && after.outcome !== 'fail') {
    return before.fromCdnCache === true
      ? { conclusion: 'cached-copy-lacked-cors', text: 'retest.cached-copy-lacked-cors' }
      : { conclusion: 'inconclusive', text: 'retest.varies' };
  }
  if (after.outcome === 'fail') {
    if (before.outcome !== 'fail') return { conclusion: 'now-fails', text: 'retest.now-fails' };
    // A new URL passes every cache; the same URL only when the CDN says it was a miss.
    if (keptUrl && after.fromCdnCache !== false) return { conclusion: 'inconclusive', text: 'retest.kept-url-fails-too' };
    return { conclusion: 'origin-lacks-cors', text: 'retest.origin-lacks-cors' };
  }
  if (before.outcome === 'pass' && after.outcome === 'pass') return { conclusion: 'both-pass', text: 'retest.both-pass' };
  return { conclusion: 'inconclusive', text: 'retest.unknown' };
}

/**
 * Compares a request with its re-test (fetched again from the page's own origin: with a unique query
 * parameter, or for a signed URL the same URL past the browser cache only) and says what the
 * difference proves. Both records are what the extension's webRequest listeners observed.
 */
export function compareRetest(original: RequestRecord, originalVerdict: CorsVerdict, retest: RequestRecord, retestVerdict: CorsVerdict): RetestComparison {
  const before = sideOf(original, originalVerdict);
  const after = sideOf(retest, retestVerdict);
  const keptUrl = retestKeptUrl(retest);
  const { conclusion, text } = conclusionOf(before, after, keptUrl);
  const caveat: RetestTextId | null = keptUrl ? 'retest.caveat-kept-url' : null;
  return {
    conclusion,
    original: { outcome: before.outcome, cacheStatus: before.cacheStatus, allowOrigin: before.allowOrigin },
    retest: { outcome: after.outcome, cacheStatus: after.cacheStatus, allowOrigin: after.allowOrigin },
    keptUrl,
    text: { id: text },
    caveat: caveat === null ? null : { id: caveat },
    explanation: caveat === null ? RETEST_TEXT[text] : `${RETEST_TEXT[text]} ${RETEST_TEXT[caveat]}`,
  };
}
