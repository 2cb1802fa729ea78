/**
 * A request the page cancelled (Chromium net::ERR_ABORTED) after the extension saw its headers but
 * before Chromium's CORS check: Chromium reports no CORS error, so neither may the verdict
 * (docs/capture.md#cancelled; found by the player e2e, hls.js aborting a byte-range load).
 */
import { describe, expect, it } from 'vitest';
import { evaluateCors, exchangeFromRecord } from '../../../src/engine/cors/index.ts';
import { verdictForRecord } from '../../../src/engine/analyze.ts';
import type { HeaderList, RequestRecord } from '../../../src/engine/model.ts';
import { O, T } from './fixtures.ts';

function record(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    id: '1', browser: 'chromium', tabId: 7, frameId: 0, method: 'GET', url: T, resourceType: 'xmlhttprequest',
    pageOrigin: O, documentUrl: null, requestHeaders: [['origin', O], ['sec-fetch-mode', 'cors'], ['range', 'bytes=1355-15150']],
    requestHeadersComplete: true, status: 206, statusLine: null, responseHeaders: [], fromCache: false, ip: null, redirects: [],
    error: null, timings: { start: 1000 }, state: 'complete', media: { kind: 'segment', format: 'hls' },
    ...overrides,
  };
}

const cancelled = { state: 'error' as const, error: 'net::ERR_ABORTED' };
const noAcao: HeaderList = [['content-range', 'bytes 1355-15150/60410']];

describe('a request cancelled before the CORS check', () => {
  it('Chromium: headers that would fail give "cancelled" with the reason, neither a rejection nor undetermined', () => {
    const verdict = verdictForRecord(record({ responseHeaders: noAcao, ...cancelled }));
    expect(verdict.outcome).toBe('not-applicable');
    expect(verdict.cancelled).toBe(true);
    expect(verdict.chromiumError).toBeUndefined();
    expect(verdict.explanationText).toEqual({ id: 'verdict.case.cancelledBeforeCheck' });
    expect(evaluateCors(exchangeFromRecord(record({ responseHeaders: noAcao, ...cancelled })))).toEqual(verdict);
  });

  it('Chromium: headers that pass still pass (cancelled after the check, mid-body)', () => {
    expect(verdictForRecord(record({ responseHeaders: [['access-control-allow-origin', O], ['access-control-allow-credentials', 'true']], ...cancelled })).outcome).toBe('pass');
  });

  it('Chromium: cancelled before any response is cancelled too, not undetermined', () => {
    const verdict = verdictForRecord(record({ status: null, responseHeaders: null, ...cancelled }));
    expect(verdict).toMatchObject({ outcome: 'not-applicable', cancelled: true, explanationText: { id: 'verdict.case.cancelledBeforeResponse' } });
    // The same request ended by another error stays undetermined.
    expect(verdictForRecord(record({ status: null, responseHeaders: null, state: 'error', error: 'net::ERR_CONNECTION_RESET' })).outcome).toBe('unknown');
  });

  it('the same headers blocked by Chromium (net::ERR_FAILED) are a rejection', () => {
    expect(verdictForRecord(record({ responseHeaders: noAcao, state: 'error', error: 'net::ERR_FAILED' }))).toMatchObject({ outcome: 'fail', chromiumError: 'MissingAllowOriginHeader' });
  });

  it('Firefox never reports a cancel this way: its verdict is unchanged', () => {
    expect(verdictForRecord(record({ browser: 'firefox', responseHeaders: noAcao, ...cancelled })).outcome).toBe('fail');
  });
});
