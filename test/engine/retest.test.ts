import { describe, expect, test } from 'vitest';
import { compareRetest, retestNonceOf, retestUrlOf } from '../../src/engine/retest.ts';
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
  });

  test('re-test URLs carry a unique parameter that is found again, and only there', () => {
    const retestUrl = retestUrlOf('https://cdn.test/a.ts?x=1', 'abc');
    expect(retestUrl).toBe('https://cdn.test/a.ts?x=1&corsLensRetest=abc');
    expect(retestNonceOf(retestUrl)).toBe('abc');
    expect(retestNonceOf('https://cdn.test/a.ts?x=1')).toBeNull();
    expect(() => retestUrlOf('not a url', 'abc')).toThrow();
  });
});
