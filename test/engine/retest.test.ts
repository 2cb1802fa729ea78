import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RETEST_TEXT, compareRetest, retestNonceOf, retestUrlOf } from '../../src/engine/retest.ts';
import { localeKeyOf } from '../../src/engine/rules/lib/text.ts';
import type { CorsVerdict, HeaderList, RequestRecord } from '../../src/engine/model.ts';

function record(url: string, responseHeaders: HeaderList): RequestRecord {
  return {
    id: url,
    browser: 'chromium',
    tabId: 1,
    frameId: 0,
    method: 'GET',
    url,
    resourceType: 'xmlhttprequest',
    pageOrigin: 'https://site.test',
    documentUrl: null,
    requestHeaders: [['origin', 'https://site.test']],
    requestHeadersComplete: true,
    status: 200,
    statusLine: null,
    responseHeaders,
    fromCache: false,
    ip: null,
    redirects: [],
    error: null,
    timings: { start: 1 },
    state: 'complete',
    media: { kind: 'segment', format: 'hls' },
  };
}
const verdict = (outcome: CorsVerdict['outcome']): CorsVerdict => ({ outcome, needsPreflight: false, explanation: '' });
const hit: HeaderList = [['x-cache', 'Hit from cloudfront'], ['age', '500'], ['via', '1.1 x.cloudfront.net (CloudFront)']];
const miss: HeaderList = [['x-cache', 'Miss from cloudfront'], ['via', '1.1 x.cloudfront.net (CloudFront)']];
const acao: HeaderList = [['access-control-allow-origin', '*']];
const url = 'https://d1.cloudfront.net/v/seg1.ts';

describe('compareRetest', () => {
  test.each([
    ['cached copy lacked CORS', hit, 'fail', [...miss, ...acao], 'pass', 'cached-copy-lacked-cors'],
    ['origin lacks CORS', hit, 'fail', miss, 'fail', 'origin-lacks-cors'],
    ['cache key ignores the query string', hit, 'fail', hit, 'fail', 'cache-key-ignores-query'],
    ['both pass', [...miss, ...acao], 'pass', [...miss, ...acao], 'pass', 'both-pass'],
    ['now fails', [...miss, ...acao], 'pass', miss, 'fail', 'now-fails'],
    ['original from the origin failed, re-test passes: varies', miss, 'fail', [...miss, ...acao], 'pass', 'inconclusive'],
    ['unknown verdicts decide nothing', [...miss, ...acao], 'unknown', [...miss, ...acao], 'unknown', 'inconclusive'],
  ] as const)('%s', (_name, beforeHeaders, beforeOutcome, afterHeaders, afterOutcome, conclusion) => {
    const result = compareRetest(record(url, [...beforeHeaders]), verdict(beforeOutcome), record(retestUrlOf(url, 'n1'), [...afterHeaders]), verdict(afterOutcome));
    expect(result.conclusion).toBe(conclusion);
    expect(result.explanation.length).toBeGreaterThan(20);
    expect(result.keptUrl).toBe(false);
    expect(result.caveat).toBeNull();
    expect(result.explanation).toBe(RETEST_TEXT[result.text.id]);
  });

  test('re-test URLs carry a unique parameter that is found again, and only there', () => {
    const retestUrl = retestUrlOf('https://cdn.test/a.ts?x=1', 'abc');
    expect(retestUrl).toBe('https://cdn.test/a.ts?x=1&corsLensRetest=abc');
    expect(retestNonceOf(retestUrl)).toBe('abc');
    expect(retestNonceOf('https://cdn.test/a.ts?x=1')).toBeNull();
    expect(() => retestUrlOf('not a url', 'abc')).toThrow();
  });

  test('a redirected re-test is still known by the URL it was sent to', () => {
    const retest = record('https://cdn2.test/seg1.ts', [...miss, ...acao]);
    retest.redirects = [{ url: retestUrlOf(url, 'n1'), status: 302, redirectUrl: 'https://cdn2.test/seg1.ts', headers: [] }];
    expect(compareRetest(record(url, [...hit]), verdict('fail'), retest, verdict('pass')).keptUrl).toBe(false);
  });
});

describe('compareRetest on a signed URL (re-tested unchanged, past the browser cache only)', () => {
  const signed = 'https://d1.cloudfront.net/v/seg1.ts?Expires=1700000000&Signature=abc&Key-Pair-Id=K2';
  const caveat = 'a CDN may still answer it from its cache';

  test.each([
    ['the CDN answered from its cache again: nothing is proved about the origin', hit, 'fail', hit, 'fail', 'cdn-answered-from-cache'],
    ['the CDN says miss and it fails: the origin lacks CORS', hit, 'fail', miss, 'fail', 'origin-lacks-cors'],
    ['no CDN cache status and it fails: not proved', [], 'fail', [], 'fail', 'inconclusive'],
    ['a fresh copy passes: the cached one lacked CORS', hit, 'fail', [...miss, ...acao], 'pass', 'cached-copy-lacked-cors'],
    ['both pass', [...miss, ...acao], 'pass', [...miss, ...acao], 'pass', 'both-pass'],
  ] as const)('%s', (_name, beforeHeaders, beforeOutcome, afterHeaders, afterOutcome, conclusion) => {
    const result = compareRetest(record(signed, [...beforeHeaders]), verdict(beforeOutcome), record(signed, [...afterHeaders]), verdict(afterOutcome));
    expect(result.conclusion).toBe(conclusion);
    expect(result.keptUrl).toBe(true);
    expect(result.caveat).toEqual({ id: 'retest.caveat-kept-url' });
    expect(result.explanation).toContain(caveat);
    expect(result.explanation).toContain('bypassed only the browser cache');
  });

  test('a cache hit on a signed URL is not blamed on query strings (the URL did not change)', () => {
    const result = compareRetest(record(signed, [...hit]), verdict('fail'), record(signed, [...hit]), verdict('fail'));
    expect(result.explanation).not.toContain('ignores query strings');
    expect(result.explanation).toContain('answered the re-test from its cache');
  });

  test('when both fail and the CDN does not say where the answer came from, it does not claim the origin lacks CORS', () => {
    const result = compareRetest(record(signed, []), verdict('fail'), record(signed, []), verdict('fail'));
    expect(result.text.id).toBe('retest.kept-url-fails-too');
    expect(result.explanation).toContain('does not prove the origin lacks CORS');
  });
});

describe('re-test texts in every UI language', () => {
  type Messages = Record<string, { message: string; placeholders?: unknown }>;
  const load = (lang: string): Messages =>
    JSON.parse(readFileSync(fileURLToPath(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url)), 'utf8')) as Messages;
  const en = load('en');
  const ko = load('ko');

  test.each(Object.entries(RETEST_TEXT))('%s: en is the engine’s English, ko has its own words', (id, english) => {
    const key = localeKeyOf(id);
    expect(en[key]?.message).toBe(english);
    expect(ko[key]?.message).toBeTruthy();
    expect(ko[key]?.message).not.toBe(english);
  });
});
