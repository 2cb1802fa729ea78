import type { CorsVerdict, RequestRecord } from './model.ts';
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
  | 'both-pass'
  | 'now-fails' // the original passed, the re-test fails
  | 'inconclusive';

export interface RetestComparison {
  conclusion: RetestConclusion;
  original: { outcome: CorsVerdict['outcome']; cacheStatus: string | null; allowOrigin: string | null };
  retest: { outcome: CorsVerdict['outcome']; cacheStatus: string | null; allowOrigin: string | null };
  /** One or two plain sentences: what the difference proves. */
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

/**
 * Compares a request with its re-test (same URL plus a unique query parameter, fetched from the page's
 * own origin) and says what the difference proves (DESIGN §6).
 */
export function compareRetest(original: RequestRecord, originalVerdict: CorsVerdict, retest: RequestRecord, retestVerdict: CorsVerdict): RetestComparison {
  const before = sideOf(original, originalVerdict);
  const after = sideOf(retest, retestVerdict);
  const summary = {
    original: { outcome: before.outcome, cacheStatus: before.cacheStatus, allowOrigin: before.allowOrigin },
    retest: { outcome: after.outcome, cacheStatus: after.cacheStatus, allowOrigin: after.allowOrigin },
  };
  if (after.fromCdnCache === true) {
    return {
      conclusion: 'cache-key-ignores-query',
      ...summary,
      explanation:
        'The re-test was answered from the CDN cache although its URL was new: the cache key ignores query strings, so this comparison cannot tell the cached copy from what the origin sends now. Invalidate the path, then re-test.',
    };
  }
  if (before.outcome === 'fail' && after.outcome !== 'fail') {
    return {
      conclusion: before.fromCdnCache === true ? 'cached-copy-lacked-cors' : 'inconclusive',
      ...summary,
      explanation:
        before.fromCdnCache === true
          ? 'A fresh copy from the origin passes, but the copy the player got came from the CDN cache without usable CORS headers: the cache holds a copy made for another request (without Origin, or before a CORS change). Invalidate the path and key the cache on Origin, or add CORS at the edge.'
          : 'The re-test passes where the original failed, and the original was not served from the CDN cache: the answer varies between requests (another edge location, or a change in between).',
    };
  }
  if (after.outcome === 'fail') {
    return {
      conclusion: before.outcome === 'fail' ? 'origin-lacks-cors' : 'now-fails',
      ...summary,
      explanation:
        before.outcome === 'fail'
          ? 'A fresh copy, fetched with the page’s Origin past every cache, fails too: the origin (or the CDN policy in front of it) does not send the CORS headers this page needs. Fix the bucket CORS or the response headers policy; an invalidation alone will not help.'
          : 'The original passed but the fresh copy fails: what the origin sends has changed, or this request reached a different edge location or origin.',
    };
  }
  if (before.outcome === 'pass' && after.outcome === 'pass') {
    return { conclusion: 'both-pass', ...summary, explanation: 'The original and a fresh copy both pass CORS.' };
  }
  return { conclusion: 'inconclusive', ...summary, explanation: 'The re-test does not decide the question: one of the two verdicts is not known.' };
}
