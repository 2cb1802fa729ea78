import { describe, expect, test } from 'vitest';
import type { OutcomeEvidence, RequestRecord } from '../../../src/engine/model.ts';
import { analyze, verdictForRecord } from '../../../src/engine/index.ts';
import { resourceTimingEvidence, TIMING_MATCH_WINDOW_MS, verdictWithEvidence } from '../../../src/engine/cors/index.ts';
import { BASE_TIME_MS, makeRecord, PAGE_ORIGIN } from '../rules/support/make-record.ts';

const MEDIA = 'http://localhost:4000/hls/segment1.ts';

/** A Firefox record: it completes whether or not the CORS check passed (docs/capture.md#firefox-blocked). */
function firefoxRecord(allowOrigin: string, extra: { allowCredentials?: string; cookie?: string; id?: string; start?: number } = {}): RequestRecord {
  const responseHeaders: Record<string, string> = { 'access-control-allow-origin': allowOrigin, 'content-type': 'video/mp2t' };
  if (extra.allowCredentials !== undefined) responseHeaders['access-control-allow-credentials'] = extra.allowCredentials;
  const requestHeaders: Record<string, string> = { origin: PAGE_ORIGIN, 'sec-fetch-mode': 'cors' };
  if (extra.cookie !== undefined) requestHeaders.cookie = extra.cookie;
  return { ...makeRecord({ id: extra.id, url: MEDIA, requestHeaders, responseHeaders, start: extra.start }), browser: 'firefox' };
}

const read = (status: number): OutcomeEvidence => ({ source: 'resource-timing', ending: status > 0 ? 'allowed' : 'blocked', detail: `Resource Timing responseStatus ${status}` });

describe('verdictWithEvidence', () => {
  test.each([['*'], [PAGE_ORIGIN]])('ACAO %s without ACAC is undetermined from the headers in Firefox', (allowOrigin) => {
    expect(verdictForRecord(firefoxRecord(allowOrigin)).outcome).toBe('unknown');
  });

  test.each([['*'], [PAGE_ORIGIN]])('ACAO %s: the page read it → passed, inferred, with its evidence', (allowOrigin) => {
    const record = firefoxRecord(allowOrigin);
    const verdict = verdictWithEvidence(record, verdictForRecord(record), read(200));
    expect(verdict.outcome).toBe('pass');
    expect(verdict.inferred).toEqual(read(200));
    expect(verdict.explanation).toContain('Resource Timing responseStatus 200');
    expect(verdict.explanationText).toEqual({ id: 'verdict.inferred.pageRead', data: { detail: 'Resource Timing responseStatus 200' } });
  });

  test.each([
    ['*', 'WildcardOriginNotAllowed', 'CORSNotSupportingCredentials'],
    [PAGE_ORIGIN, 'InvalidAllowCredentials', 'CORSMissingAllowCredentials'],
  ])('ACAO %s: the page got a network error → rejected as a credentialed request (%s)', (allowOrigin, chromiumError, firefoxError) => {
    const record = firefoxRecord(allowOrigin);
    const verdict = verdictWithEvidence(record, verdictForRecord(record), read(0));
    expect(verdict).toMatchObject({ outcome: 'fail', chromiumError, firefoxError, inferred: read(0) });
  });

  test('a verdict the headers decide is never changed by evidence, even contradicting evidence', () => {
    const missing = { ...makeRecord({ url: MEDIA, requestHeaders: { origin: PAGE_ORIGIN }, responseHeaders: { 'content-type': 'video/mp2t' } }), browser: 'firefox' as const };
    const verdict = verdictForRecord(missing);
    expect(verdict.outcome).toBe('fail');
    expect(verdictWithEvidence(missing, verdict, read(200))).toBe(verdict);
    const passing = firefoxRecord(PAGE_ORIGIN, { allowCredentials: 'true' });
    expect(verdictWithEvidence(passing, verdictForRecord(passing), read(0)).outcome).toBe('pass');
  });

  test('evidence no credentials mode explains leaves the row undetermined', () => {
    // Unknown page origin: neither mode decides, so nothing is inferred.
    const record = { ...firefoxRecord(PAGE_ORIGIN), pageOrigin: null, requestHeaders: [['sec-fetch-mode', 'cors']] as RequestRecord['requestHeaders'] };
    const verdict = verdictForRecord(record);
    expect(verdict.outcome).toBe('unknown');
    expect(verdictWithEvidence(record, verdict, read(200)).outcome).toBe('unknown');
  });

  test('analyze applies the evidence given by record id, and counts the decided rows', () => {
    const records = [firefoxRecord('*', { id: 'a' }), firefoxRecord('*', { id: 'b', start: BASE_TIME_MS + 5000 }), firefoxRecord('*', { id: 'c', start: BASE_TIME_MS + 9000 })];
    const report = analyze(records, { evidence: new Map([['a', read(200)], ['b', read(0)]]) });
    expect(report.verdicts.map((entry) => entry.verdict.outcome)).toEqual(['pass', 'fail', 'unknown']);
    expect(report.counts).toMatchObject({ passing: 1, failing: 1, unknown: 1 });
  });
});

describe('resourceTimingEvidence', () => {
  test('matches each entry to the record of its URL that started closest, each used once', () => {
    const first = firefoxRecord('*', { id: 'first', start: BASE_TIME_MS });
    const retry = firefoxRecord('*', { id: 'retry', start: BASE_TIME_MS + 300 });
    const late = firefoxRecord('*', { id: 'late', start: BASE_TIME_MS + 10 * TIMING_MATCH_WINDOW_MS });
    const evidence = resourceTimingEvidence([first, retry, late], [
      { url: MEDIA, start: BASE_TIME_MS + 310, responseStatus: 0 },
      { url: MEDIA, start: BASE_TIME_MS + 12, responseStatus: 0 },
      { url: 'http://localhost:4000/other.ts', start: BASE_TIME_MS, responseStatus: 200 },
    ]);
    expect(evidence.get('first')).toEqual(read(0));
    expect(evidence.get('retry')).toEqual(read(0));
    expect(evidence.has('late')).toBe(false);
  });

  test('a status > 0 is allowed, 0 is blocked; records without a response get nothing', () => {
    const ok = firefoxRecord('*', { id: 'ok' });
    const noResponse = { ...firefoxRecord('*', { id: 'none', start: BASE_TIME_MS + 5000 }), status: null };
    const evidence = resourceTimingEvidence([ok, noResponse], [
      { url: MEDIA, start: BASE_TIME_MS + 5, responseStatus: 206 },
      { url: MEDIA, start: BASE_TIME_MS + 5000, responseStatus: 0 },
    ]);
    expect(evidence.get('ok')?.ending).toBe('allowed');
    expect(evidence.has('none')).toBe(false);
    const cancelled = { ...firefoxRecord('*', { id: 'cancelled' }), error: 'NS_BINDING_ABORTED', state: 'error' as const };
    expect(resourceTimingEvidence([cancelled], [{ url: MEDIA, start: BASE_TIME_MS, responseStatus: 0 }]).size).toBe(0);
  });
});
