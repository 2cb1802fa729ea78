/** From captured records: mode/credentials derivation, and 'unknown' only where the unseen decides. */
import { describe, expect, it } from 'vitest';
import { credentialsModeOf, evaluateCors, evaluateCorsIn, exchangeFromRecord, findPreflightRecord, requestModeOf } from '../../../src/engine/cors/index.ts';
import type { HeaderList, RequestRecord } from '../../../src/engine/model.ts';
import { verdictForRecord } from '../../../src/engine/analyze.ts';
import { O, T, acac, acah, acao, exchange, ok, pick } from './fixtures.ts';
import type { Expected } from './fixtures.ts';

function record(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    id: '1', browser: 'chromium', tabId: 7, frameId: 0, method: 'GET', url: T, resourceType: 'xmlhttprequest',
    pageOrigin: O, documentUrl: null, requestHeaders: [], requestHeadersComplete: true, status: 200, statusLine: null,
    responseHeaders: [], fromCache: false, ip: null, redirects: [], error: null, timings: { start: 1000 }, state: 'complete',
    media: { kind: 'segment', format: 'hls' },
    ...overrides,
  };
}

const corsHeaders: HeaderList = [['origin', O], ['sec-fetch-mode', 'cors']];

describe('requestModeOf', () => {
  it.each<[string, Partial<RequestRecord>, string]>([
    ['sec-fetch-mode wins', { requestHeaders: [['sec-fetch-mode', 'no-cors'], ['origin', O]] }, 'no-cors'],
    ['sec-fetch-mode cors', { requestHeaders: [['sec-fetch-mode', 'cors']] }, 'cors'],
    ['Origin on a GET means cors', { requestHeaders: [['origin', O]] }, 'cors'],
    ['Origin on a POST proves nothing (no-cors POSTs carry it)', { method: 'POST', requestHeaders: [['origin', O]] }, 'unknown'],
    ['no Origin in a complete list: no CORS', { requestHeaders: [['accept', '*/*']] }, 'no-cors'],
    ['no Origin in an incomplete list proves nothing', { requestHeaders: [['accept', '*/*']], requestHeadersComplete: false }, 'unknown'],
    ['headers never seen', { requestHeaders: null }, 'unknown'],
    ['frames navigate', { resourceType: 'sub_frame' }, 'navigate'],
  ])('%s', (_name, overrides, expected) => {
    expect(requestModeOf(record(overrides))).toBe(expected);
  });
});

describe('credentialsModeOf', () => {
  it('a Cookie on the wire proves include', () => {
    expect(credentialsModeOf(record({ requestHeaders: [['cookie', 'a=1']] }))).toBe('include');
  });
  it('a script-set Authorization says nothing about the credentials mode', () => {
    expect(credentialsModeOf(record({ requestHeaders: [['authorization', 'Bearer t']] }))).toBe('unknown');
  });
});

describe('exchangeFromRecord', () => {
  it('starts at the original URL of a redirected record and keeps each Location', () => {
    const captured = record({
      url: 'https://cdn-b.example/seg1.ts',
      requestHeaders: corsHeaders,
      redirects: [{ url: T, status: 302, redirectUrl: 'https://cdn-b.example/seg1.ts', headers: [['access-control-allow-origin', O]] }],
      responseHeaders: [['access-control-allow-origin', O]],
    });
    const built = exchangeFromRecord(captured);
    expect(built.request.url).toBe(T);
    expect(built.redirects?.[0]?.headers).toContainEqual(['location', 'https://cdn-b.example/seg1.ts']);
    // The cross-origin hop taints the origin, so the exact origin no longer matches.
    expect(evaluateCors(built)).toMatchObject({ outcome: 'fail', chromiumError: 'AllowOriginMismatch', stage: 'response' });
  });

  it("takes the page origin from the request's Origin when the recorder had none", () => {
    const built = exchangeFromRecord(record({ pageOrigin: null, requestHeaders: corsHeaders, responseHeaders: [] }));
    expect(built.pageOrigin).toBe(O);
    expect(evaluateCors(built)).toMatchObject({ outcome: 'fail', chromiumError: 'MissingAllowOriginHeader' });
  });

  it('attaches the observed OPTIONS response and judges it', () => {
    const actual = record({ id: '2', method: 'PUT', requestHeaders: corsHeaders, status: null, responseHeaders: null, timings: { start: 1010 } });
    const options = record({
      id: '1', method: 'OPTIONS', requestHeaders: [['access-control-request-method', 'PUT'], ['origin', O]],
      status: 403, responseHeaders: [], media: { kind: 'preflight', format: 'hls' },
    });
    expect(findPreflightRecord(actual, [options, actual])).toBe(options);
    expect(evaluateCors(exchangeFromRecord(actual, options))).toMatchObject({ outcome: 'fail', chromiumError: 'PreflightMissingAllowOriginHeader', stage: 'preflight' });
  });

  it('a no-cors <video> request without ACAO is not a failure', () => {
    const media = record({ resourceType: 'media', requestHeaders: [['sec-fetch-mode', 'no-cors'], ['range', 'bytes=0-']], responseHeaders: [] });
    expect(evaluateCors(exchangeFromRecord(media)).outcome).toBe('not-applicable');
  });

  it('Chromium without extraHeaders: hidden Origin never turns a missing ACAO into a failure', () => {
    const hidden = record({ requestHeaders: [['accept', '*/*']], requestHeadersComplete: false, responseHeaders: [] });
    const verdict = evaluateCors(exchangeFromRecord(hidden));
    expect(verdict.outcome).toBe('unknown');
    expect(verdict.chromiumError).toBeUndefined();
  });

  it("Chromium's own ending tells the credentials mode when only one explains it", () => {
    const wildcard: HeaderList = [['access-control-allow-origin', '*']];
    const completed = record({ requestHeaders: corsHeaders, responseHeaders: wildcard });
    expect(exchangeFromRecord(completed).request.credentials).toBe('same-origin');
    expect(evaluateCors(exchangeFromRecord(completed)).outcome).toBe('pass');
    const blocked = record({ requestHeaders: corsHeaders, responseHeaders: wildcard, state: 'error', error: 'net::ERR_FAILED' });
    expect(evaluateCors(exchangeFromRecord(blocked))).toMatchObject({ outcome: 'fail', chromiumError: 'WildcardOriginNotAllowed' });
    // Firefox completes blocked requests too: no inference, the outcome stays open.
    expect(evaluateCors(exchangeFromRecord({ ...completed, browser: 'firefox' })).outcome).toBe('unknown');
  });

  it('verdictForRecord (one preparation, judgements reused) agrees with evaluating the exchange afresh', () => {
    let compared = 0;
    for (const allowOrigin of ['*', O, 'https://other.example', null]) {
      for (const allowCredentials of [null, 'true']) {
        for (const ending of [{}, { state: 'error' as const, error: 'net::ERR_FAILED' }, { state: 'error' as const, error: 'net::ERR_ABORTED' }]) {
          for (const browser of ['chromium', 'firefox'] as const) {
            for (const cookie of [false, true]) {
              const responseHeaders: HeaderList = [];
              if (allowOrigin !== null) responseHeaders.push(['access-control-allow-origin', allowOrigin]);
              if (allowCredentials !== null) responseHeaders.push(['access-control-allow-credentials', allowCredentials]);
              const captured = record({ browser, requestHeaders: cookie ? [...corsHeaders, ['cookie', 'a=1']] : corsHeaders, responseHeaders, ...ending });
              expect(verdictForRecord(captured), JSON.stringify({ allowOrigin, allowCredentials, ending, browser, cookie })).toEqual(evaluateCors(exchangeFromRecord(captured)));
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(96);
  });

  it('Chromium without extraHeaders: a response every mode accepts still passes', () => {
    const hidden = record({ requestHeaders: [['accept', '*/*']], requestHeadersComplete: false, responseHeaders: [['access-control-allow-origin', O], ['access-control-allow-credentials', 'true']] });
    expect(evaluateCors(exchangeFromRecord(hidden)).outcome).toBe('pass');
  });
});

describe("'unknown' only where the unknown decides", () => {
  const rows: Array<{ name: string; spec: Parameters<typeof exchange>[0]; expected: Expected }> = [
    { name: "ACAO * without ACAC, credentials unknown: depends on credentials", spec: { credentials: 'unknown', response: ok([acao('*')]) }, expected: { outcome: 'unknown', chromiumError: undefined } },
    { name: 'ACAO exact + ACAC true, credentials unknown: passes either way', spec: { credentials: 'unknown', response: ok([acao(O), acac('true')]) }, expected: { outcome: 'pass' } },
    { name: 'ACAO exact without ACAC, credentials unknown: depends', spec: { credentials: 'unknown', response: ok([acao(O)]) }, expected: { outcome: 'unknown' } },
    { name: 'missing ACAO, credentials unknown: fails either way', spec: { credentials: 'unknown', response: ok([]) }, expected: { outcome: 'fail', chromiumError: 'MissingAllowOriginHeader' } },
    { name: 'two ACAO lines, credentials unknown: fails either way', spec: { credentials: 'unknown', response: ok([acao(O), acao(O)]) }, expected: { outcome: 'fail', chromiumError: 'MultipleAllowOriginValues' } },
    { name: 'ACAH * with X-Token, credentials unknown: depends', spec: { credentials: 'unknown', headers: [['x-token', '1']], preflight: { status: 200, headers: [acao(O), acac('true'), acah('*')] }, response: ok([acao(O), acac('true')]) }, expected: { outcome: 'unknown' } },
    { name: 'page origin unknown, ACAO *: passes', spec: { page: null, response: ok([acao('*')]) }, expected: { outcome: 'pass' } },
    { name: 'page origin unknown, ACAO an origin: depends on the origin', spec: { page: null, response: ok([acao(O)]) }, expected: { outcome: 'unknown' } },
    { name: 'page origin unknown, missing ACAO: could be same-origin', spec: { page: null, response: ok([]) }, expected: { outcome: 'unknown' } },
    { name: 'mode unknown, missing ACAO: could be no-cors', spec: { mode: 'unknown', response: ok([]) }, expected: { outcome: 'unknown' } },
    { name: 'response never seen', spec: { response: null }, expected: { outcome: 'unknown' } },
    { name: 'preflight needed, neither it nor a response seen', spec: { method: 'PUT', response: null }, expected: { outcome: 'unknown', needsPreflight: true } },
    { name: 'preflight needed, not seen, the actual request went out: judged on the response', spec: { method: 'PUT', response: ok([acao(O)]) }, expected: { outcome: 'pass', needsPreflight: true } },
    { name: 'both credential modes fail for different reasons: still a failure', spec: { credentials: 'unknown', redirects: [{ status: 302, headers: [acao(O), ['location', 'https://cdn-b.example/x']] }], response: ok([acao(O)]) }, expected: { outcome: 'fail', chromiumError: 'AllowOriginMismatch' } },
    { name: 'navigation', spec: { mode: 'navigate', response: ok([]) }, expected: { outcome: 'not-applicable' } },
  ];
  it.each(rows)('$name', ({ spec, expected }) => {
    expect(pick(evaluateCors(exchange(spec)), expected)).toEqual(expected);
  });
});

describe('the Firefox view', () => {
  it('names the two-line ACAO failure with its own key and the one-line list as a mismatch', () => {
    expect(evaluateCorsIn(exchange({ response: ok([acao(O), acao(O)]) }), 'firefox')).toMatchObject({ outcome: 'fail', firefoxError: 'CORSMultipleAllowOriginNotAllowed' });
    expect(evaluateCorsIn(exchange({ response: ok([acao(`${O}, https://x.example`)]) }), 'firefox')).toMatchObject({ outcome: 'fail', firefoxError: 'CORSAllowOriginNotMatchingOrigin' });
  });
  it('checks the line count before the wildcard, unlike Chromium', () => {
    const input = exchange({ credentials: 'include', response: ok([acao('*'), acao('*')]) });
    expect(evaluateCorsIn(input, 'firefox').firefoxError).toBe('CORSMultipleAllowOriginNotAllowed');
    expect(evaluateCorsIn(input, 'chromium').chromiumError).toBe('MultipleAllowOriginValues');
  });
  it('sets browserDifference only when the outcomes differ', () => {
    expect(evaluateCors(exchange({ response: ok([acao(O), acao(O)]) })).browserDifference).toBeUndefined();
  });
});
