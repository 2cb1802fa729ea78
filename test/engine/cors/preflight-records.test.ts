/**
 * An OPTIONS record is judged as the preflight it is (Chromium's Preflight… names, as CDP's
 * Network.loadingFailed.corsErrorStatus gives them for a refused preflight), and the real request it
 * stopped gets the same failure, even when its own headers were not seen.
 */
import { describe, expect, it } from 'vitest';
import type { HeaderList, RequestRecord } from '../../../src/engine/model.ts';
import { analyze, verdictsOf } from '../../../src/engine/analyze.ts';
import { credentialsModeOf, findPreflightRecord } from '../../../src/engine/cors/index.ts';

const PAGE = 'https://watch.example.org';
const URL_ = 'https://media.example.org/vod/seg-1.m4s';

function record(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    id: 'r', browser: 'chromium', tabId: 3, frameId: 0, method: 'GET', url: URL_, resourceType: 'xmlhttprequest',
    pageOrigin: PAGE, documentUrl: null, requestHeaders: [], requestHeadersComplete: true, status: 200, statusLine: null,
    responseHeaders: [], fromCache: false, ip: null, redirects: [], error: null, timings: { start: 1000, end: 1040 }, state: 'complete',
    media: { kind: 'segment', format: 'dash' },
    ...overrides,
  };
}

function preflight(status: number | null, responseHeaders: HeaderList, requestedHeaders = 'cmcd-request', start = 1002): RequestRecord {
  return record({
    id: 'options', method: 'OPTIONS', status, responseHeaders: status === null ? null : responseHeaders,
    requestHeaders: [['origin', PAGE], ['access-control-request-method', 'GET'], ['access-control-request-headers', requestedHeaders], ['sec-fetch-mode', 'cors']],
    timings: { start, end: start + 10 }, media: { kind: 'preflight', format: 'dash' },
  });
}

/** The real request as Chromium reports one its preflight stopped: started first, no headers sent, net::ERR_FAILED. */
const stopped = record({ id: 'get', requestHeaders: null, requestHeadersComplete: false, status: null, responseHeaders: null, state: 'error', error: 'net::ERR_FAILED', timings: { start: 1000, end: 1020 } });

describe('a preflight record judged on its own', () => {
  it('a 403 without CORS headers fails with PreflightMissingAllowOriginHeader, on the OPTIONS and on the request it stopped', () => {
    const verdicts = verdictsOf([stopped, preflight(403, [['content-type', 'text/html'], ['x-varnish', '32773']])]);
    expect(verdicts.map((verdict) => [verdict.outcome, verdict.chromiumError, verdict.stage])).toEqual([
      ['fail', 'PreflightMissingAllowOriginHeader', 'preflight'],
      ['fail', 'PreflightMissingAllowOriginHeader', 'preflight'],
    ]);
  });

  it('an answer that allows the origin but not the requested header fails with HeaderDisallowedByPreflightResponse naming it', () => {
    const [verdict] = verdictsOf([preflight(200, [['access-control-allow-origin', '*'], ['access-control-allow-methods', 'GET, HEAD']], 'range')]);
    expect(verdict).toMatchObject({ outcome: 'fail', chromiumError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'range', stage: 'preflight' });
  });

  it('an answer that allows everything it asks passes, and no answer is unknown', () => {
    const allowing: HeaderList = [['access-control-allow-origin', PAGE], ['access-control-allow-credentials', 'true'], ['access-control-allow-headers', 'cmcd-request']];
    expect(verdictsOf([preflight(204, allowing)])[0]).toMatchObject({ outcome: 'pass', explanationText: { id: 'verdict.case.preflightPassed' } });
    expect(verdictsOf([preflight(null, [])])[0]).toMatchObject({ outcome: 'unknown', explanationText: { id: 'verdict.case.preflightUnanswered' } });
  });

  it('an exact ACAO without Allow-Credentials is unknown alone, and passes once its real request got a response', () => {
    const exact: HeaderList = [['access-control-allow-origin', PAGE], ['access-control-allow-headers', 'cmcd-request']];
    expect(verdictsOf([preflight(204, exact)])[0]!.outcome).toBe('unknown');
    const sent = record({ id: 'get', requestHeaders: [['origin', PAGE], ['sec-fetch-mode', 'cors'], ['cmcd-request', 'bl=1']], responseHeaders: [['access-control-allow-origin', PAGE]] });
    expect(verdictsOf([sent, preflight(204, exact)]).map((verdict) => verdict.outcome)).toEqual(['pass', 'pass']);
  });

  it('a preflight that started after its real request (as Chromium reports them) is found; one after the request ended is not', () => {
    const options = preflight(403, []);
    expect(findPreflightRecord(stopped, [options])).toBe(options);
    expect(findPreflightRecord(stopped, [preflight(403, [], 'cmcd-request', 1030)])).toBeNull();
  });

  it('without a preflight in the log, a request whose headers were not seen stays unknown', () => {
    expect(analyze([stopped]).verdicts[0]!.verdict.outcome).toBe('unknown');
  });
});

describe('credentials of a capture made outside a browser', () => {
  it('curl without Cookie sent no credentials; a browser capture without Cookie proves nothing', () => {
    const curl = record({ browser: 'unknown', requestHeaders: [['origin', PAGE]] });
    expect(credentialsModeOf(curl)).toBe('omit');
    expect(credentialsModeOf({ ...curl, browser: 'firefox' })).toBe('unknown');
    expect(credentialsModeOf({ ...curl, requestHeaders: [['origin', PAGE], ['cookie', 'a=1']] })).toBe('include');
    const wildcard = { ...curl, responseHeaders: [['access-control-allow-origin', '*']] as HeaderList };
    expect(analyze([wildcard]).verdicts[0]!.verdict.outcome).toBe('pass');
    expect(analyze([{ ...wildcard, browser: 'firefox' }]).verdicts[0]!.verdict.outcome).toBe('unknown');
  });
});
