/**
 * A load Chromium's Local Network Access stopped before it was sent (webRequest
 * net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS, no response): Chromium reports a CORS error
 * (CDP corsErrorStatus), LocalNetworkAccessPermissionDenied for a secure page, InsecureLocalNetwork
 * otherwise. The verdict rejects it and names the error as far as the page origin settles it
 * (measured in test/e2e/local-network-access.e2e.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { evaluateCors, evaluateCorsIn, exchangeFromRecord } from '../../../src/engine/cors/index.ts';
import { verdictForRecord } from '../../../src/engine/analyze.ts';
import type { RequestRecord } from '../../../src/engine/model.ts';

const LOOPBACK = 'http://127.0.0.1:8080/hls/stream.m3u8';

function blocked(pageOrigin: string | null, overrides: Partial<RequestRecord> = {}): RequestRecord {
  const origin = pageOrigin ?? 'https://player.example';
  return {
    id: '1', browser: 'chromium', tabId: 7, frameId: 0, method: 'GET', url: LOOPBACK, resourceType: 'xmlhttprequest',
    pageOrigin, documentUrl: null, requestHeaders: pageOrigin === null ? null : [['origin', origin], ['sec-fetch-mode', 'cors'], ['sec-fetch-site', 'cross-site']],
    requestHeadersComplete: pageOrigin !== null, status: null, statusLine: null, responseHeaders: null, fromCache: false, ip: null, redirects: [],
    error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', timings: { start: 1000, end: 1003 }, state: 'error', media: { kind: 'playlist', format: 'hls' },
    ...overrides,
  };
}

describe('a load stopped by Local Network Access before it was sent', () => {
  it('from an https top-level page: rejected, LocalNetworkAccessPermissionDenied, not inferred', () => {
    const verdict = verdictForRecord(blocked('https://player.example'));
    expect(verdict).toMatchObject({ outcome: 'fail', chromiumError: 'LocalNetworkAccessPermissionDenied' });
    expect(verdict.chromiumErrorInferred).toBeUndefined();
    expect(verdict.explanationText).toEqual({ id: 'verdict.case.localNetworkDenied', data: { origin: 'https://player.example' } });
    expect(verdict.explanation).toContain('before it was sent');
    // Chromium's report is the verdict: no Firefox judgement of a response that never came.
    expect(verdict.browserDifference).toBeUndefined();
    expect(verdict.firefoxError).toBeUndefined();
  });

  it('from a plain http page on a DNS name: InsecureLocalNetwork, inferred, and the row says why and what the other name is', () => {
    const verdict = verdictForRecord(blocked('http://lab-public.test:8000'));
    expect(verdict).toMatchObject({ outcome: 'fail', chromiumError: 'InsecureLocalNetwork', chromiumErrorInferred: true });
    expect(verdict.explanation).toContain('--unsafely-treat-insecure-origin-as-secure');
    expect(verdict.explanation).toContain('LocalNetworkAccessPermissionDenied');
    expect(verdict.explanationText).toEqual({ id: 'verdict.case.localNetworkInsecure', data: { origin: 'http://lab-public.test:8000' } });
  });

  it('from an http page on a private address: InsecureLocalNetwork, inferred', () => {
    expect(verdictForRecord(blocked('http://192.168.1.20'))).toMatchObject({ outcome: 'fail', chromiumError: 'InsecureLocalNetwork', chromiumErrorInferred: true });
  });

  it('http on localhost is potentially trustworthy: a secure context', () => {
    for (const origin of ['http://localhost:3000', 'http://app.localhost', 'http://127.0.0.2:9000', 'http://[::1]:8080']) {
      const verdict = verdictForRecord(blocked(origin));
      expect(verdict.chromiumError, origin).toBe('LocalNetworkAccessPermissionDenied');
      expect(verdict.chromiumErrorInferred, origin).toBeUndefined();
    }
  });

  it('from an https frame: LocalNetworkAccessPermissionDenied, inferred (its ancestors decide)', () => {
    const verdict = verdictForRecord(blocked('https://widget.example', { frameId: 3 }));
    expect(verdict).toMatchObject({ outcome: 'fail', chromiumError: 'LocalNetworkAccessPermissionDenied', chromiumErrorInferred: true });
    expect(verdict.explanationText?.id).toBe('verdict.case.localNetworkDeniedInFrame');
  });

  it('without a page origin: rejected, no name asserted', () => {
    for (const origin of [null, 'null']) {
      const verdict = verdictForRecord(blocked(origin));
      expect(verdict.outcome, String(origin)).toBe('fail');
      expect(verdict.chromiumError, String(origin)).toBeUndefined();
      expect(verdict.explanationText, String(origin)).toEqual({ id: 'verdict.case.localNetworkPageUnknown' });
    }
  });

  it('evaluateCors of the exchange and Chromium\'s own verdict agree with the record\'s', () => {
    const record = blocked('https://player.example');
    expect(evaluateCors(exchangeFromRecord(record))).toEqual(verdictForRecord(record));
    expect(evaluateCorsIn(exchangeFromRecord(record), 'chromium')).toEqual(verdictForRecord(record));
  });

  it('other endings without a response stay undetermined', () => {
    expect(verdictForRecord(blocked('https://player.example', { error: 'net::ERR_FAILED' })).outcome).toBe('unknown');
    expect(verdictForRecord(blocked('https://player.example', { error: 'net::ERR_CONNECTION_REFUSED' })).outcome).toBe('unknown');
    // Firefox does not report Chromium's error; nothing is inferred from it there.
    expect(verdictForRecord(blocked('https://player.example', { browser: 'firefox' })).outcome).toBe('unknown');
  });

  it('a response that did arrive is judged from its headers', () => {
    const verdict = verdictForRecord(blocked('https://player.example', { status: 200, responseHeaders: [['access-control-allow-origin', '*']], state: 'complete', error: null }));
    expect(verdict.outcome).toBe('pass');
  });
});

describe('a no-cors response the browser withheld for its resource policy', () => {
  const withheld = (error: string, browser: RequestRecord['browser']): RequestRecord => ({
    ...blocked('http://127.0.0.1:3010'),
    browser,
    url: 'http://127.0.0.1:4020/v/segment0.ts',
    resourceType: 'media',
    requestHeaders: [['range', 'bytes=0-'], ['sec-fetch-mode', 'no-cors'], ['sec-fetch-dest', 'video']],
    status: 206,
    responseHeaders: [['content-type', 'video/mp2t']],
    error,
    media: { kind: 'segment', format: 'hls' },
  });

  it('is not CORS, and says the page got nothing rather than that nothing is needed (Firefox ESR 153 and Chromium)', () => {
    for (const [error, browser] of [['NS_ERROR_DOM_CORP_FAILED', 'firefox'], ['net::ERR_BLOCKED_BY_RESPONSE', 'chromium']] as const) {
      const verdict = verdictForRecord(withheld(error, browser));
      expect(verdict.outcome, error).toBe('not-applicable');
      expect(verdict.explanationText, error).toEqual({ id: 'verdict.case.noCorsBlockedByResponse' });
      expect(verdict.explanation, error).toContain('withheld its response');
    }
  });

  it('a no-cors response that reached the page stays a plain no-cors verdict', () => {
    expect(verdictForRecord({ ...withheld('NS_ERROR_DOM_CORP_FAILED', 'firefox'), error: null, state: 'complete' }).explanationText).toEqual({ id: 'verdict.case.noCors' });
  });
});
