import { describe, expect, test } from 'vitest';
import type { OutcomeEvidence, RequestRecord } from '../../../src/engine/model.ts';
import { analyze, verdictForRecord } from '../../../src/engine/index.ts';
import { evaluateCors, exchangeFromRecord, resourceTimingEvidence, TIMING_MATCH_WINDOW_MS, verdictWithEvidence } from '../../../src/engine/cors/index.ts';
import { withReceivedStatus } from '../../../src/engine/cors/inference.ts';
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

const blockedTwice: OutcomeEvidence = { source: 'resource-timing', ending: 'blocked', detail: 'Resource Timing responseStatus 0 ×2' };
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
    // Two loads of the URL that the page could not read: a rejection, retried.
    expect(evidence.get('first')).toEqual(blockedTwice);
    expect(evidence.get('retry')).toEqual(blockedTwice);
    expect(evidence.has('late')).toBe(false);
  });

  test('a single status 0 is not corroborated: "error-once", and the row stays undetermined, saying why', () => {
    // Measured: a page cancelling a load just as its response arrives leaves the same entry after onCompleted.
    const once = firefoxRecord('*', { id: 'once' });
    const read200 = firefoxRecord('*', { id: 'read', start: BASE_TIME_MS + 5000 });
    const evidence = resourceTimingEvidence([once, read200], [
      { url: MEDIA, start: BASE_TIME_MS + 4, responseStatus: 0 },
      { url: MEDIA, start: BASE_TIME_MS + 5003, responseStatus: 200 },
    ]);
    expect(evidence.get('once')).toEqual({ source: 'resource-timing', ending: 'error-once', detail: 'Resource Timing responseStatus 0' });
    expect(evidence.get('read')?.ending).toBe('allowed');
    const verdict = verdictWithEvidence(once, verdictForRecord(once), evidence.get('once'));
    expect(verdict.outcome).toBe('unknown');
    expect(verdict.inferred).toBeUndefined();
    expect(verdict.explanationText).toEqual({ id: 'verdict.inferred.errorOnce', data: { detail: 'Resource Timing responseStatus 0' } });
    expect(analyze([once, read200], { evidence }).counts).toMatchObject({ passing: 1, failing: 0, unknown: 1 });
  });

  test('Firefox ending a load with its CORS cancel (NS_ERROR_DOM_BAD_URI) and status 0 is a rejection on its own', () => {
    // A large body: Firefox's CORS check cancels the load while the response still arrives.
    const cancelledByCors = { ...firefoxRecord('*', { id: 'cors' }), error: 'NS_ERROR_DOM_BAD_URI', state: 'error' as const };
    const evidence = resourceTimingEvidence([cancelledByCors], [{ url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0 }]);
    expect(evidence.get('cors')).toEqual({ source: 'resource-timing', ending: 'blocked', detail: 'Resource Timing responseStatus 0, NS_ERROR_DOM_BAD_URI' });
    expect(verdictWithEvidence(cancelledByCors, verdictForRecord(cancelledByCors), evidence.get('cors'))).toMatchObject({ outcome: 'fail', chromiumError: 'WildcardOriginNotAllowed' });
  });

  test('a cancelled load keeps its own status-0 entry: it neither lends it to a completed load of the URL nor corroborates one', () => {
    // Session 5's false red: the completed load, its own entry not there yet, took the cancelled one's 0.
    const cancelled = { ...firefoxRecord('*', { id: 'cancelled' }), status: null, error: 'NS_BINDING_ABORTED', state: 'error' as const };
    const completed = firefoxRecord('*', { id: 'completed', start: BASE_TIME_MS + 300 });
    expect(resourceTimingEvidence([cancelled, completed], [{ url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0 }]).size).toBe(0);
    // With its own entry (0) too: one failed completed load, not two.
    const evidence = resourceTimingEvidence([cancelled, completed], [
      { url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0 },
      { url: MEDIA, start: BASE_TIME_MS + 302, responseStatus: 0 },
    ]);
    expect(evidence.get('completed')?.ending).toBe('error-once');
  });

  test('two status-0 entries of the URL are counted in the detail, whichever record is judged', () => {
    const only = firefoxRecord(PAGE_ORIGIN, { id: 'only' });
    // The retry's record may not be among those given: its entry still counts.
    const evidence = resourceTimingEvidence([only], [
      { url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 0 },
      { url: MEDIA, start: BASE_TIME_MS + 400, responseStatus: 0 },
    ]);
    expect(evidence.get('only')).toEqual(blockedTwice);
    expect(verdictWithEvidence(only, verdictForRecord(only), blockedTwice)).toMatchObject({ outcome: 'fail', chromiumError: 'InvalidAllowCredentials' });
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

  test('Firefox: a load aborted before any response is cancelled from its ending; with a preflight seen, its entry decides', () => {
    // dash.js cancelling a pending load as it gives up: NS_BINDING_ABORTED, no response in webRequest.
    const aborted: RequestRecord = { ...firefoxRecord('*', { id: 'aborted' }), status: null, responseHeaders: null, error: 'NS_BINDING_ABORTED', state: 'error' };
    expect(verdictForRecord(aborted)).toMatchObject({ outcome: 'not-applicable', cancelled: true, explanationText: { id: 'verdict.case.cancelledBeforeResponse' } });
    // Another error before any response is no cancel: it stays undetermined.
    expect(verdictForRecord({ ...aborted, error: 'NS_ERROR_CONNECTION_REFUSED' }).outcome).toBe('unknown');
    // A preflight seen (it passed): the ending alone does not decide, the entry showing nothing received does.
    const preflight: RequestRecord = { ...firefoxRecord('*', { id: 'preflight' }), method: 'OPTIONS', requestHeaders: [['origin', PAGE_ORIGIN], ['access-control-request-method', 'GET'], ['access-control-request-headers', 'x-token']], responseHeaders: [['access-control-allow-origin', '*'], ['access-control-allow-headers', 'x-token']], status: 204 };
    const before = evaluateCors(exchangeFromRecord(aborted, preflight));
    expect(before.outcome).toBe('unknown');
    const evidence = resourceTimingEvidence([aborted], [{ url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 0, receivedStatus: 0 }]);
    expect(evidence.get('aborted')?.ending).toBe('not-received');
    const verdict = verdictWithEvidence(aborted, before, evidence.get('aborted'), preflight);
    expect(verdict).toMatchObject({ outcome: 'not-applicable', cancelled: true, inferred: evidence.get('aborted'), explanationText: { id: 'verdict.inferred.notReceived' } });
    // Without the received status, or with another error before any response, nothing is said.
    expect(resourceTimingEvidence([aborted], [{ url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 0 }]).size).toBe(0);
    const refused = { ...aborted, error: 'NS_ERROR_CONNECTION_REFUSED' };
    expect(resourceTimingEvidence([refused], [{ url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 0, receivedStatus: 0 }]).size).toBe(0);
  });

  test('Firefox: status 0 for the page with a received status is a rejection on its own (the response reached the page)', () => {
    // Measured (scripts/measure-cancel-race.ts): every CORS-blocked load read 200 from the isolated world.
    const once = firefoxRecord('*', { id: 'once' });
    const evidence = resourceTimingEvidence([once], [{ url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0, receivedStatus: 200 }]);
    expect(evidence.get('once')).toEqual({ source: 'resource-timing', ending: 'blocked', detail: 'Resource Timing responseStatus 0 for the page, 200 received' });
    expect(verdictWithEvidence(once, verdictForRecord(once), evidence.get('once'))).toMatchObject({ outcome: 'fail', chromiumError: 'WildcardOriginNotAllowed', inferred: evidence.get('once') });
  });

  test('Firefox: status 0 with nothing received is a load the page ended before its response: cancelled, not a rejection, and it corroborates nothing', () => {
    // Measured: every page cancel that webRequest saw complete read 0 from the isolated world too.
    const cancelled = firefoxRecord('*', { id: 'cancelled' });
    const retry = firefoxRecord('*', { id: 'retry', start: BASE_TIME_MS + 400 });
    const evidence = resourceTimingEvidence([cancelled, retry], [
      { url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0, receivedStatus: 0 },
      { url: MEDIA, start: BASE_TIME_MS + 402, responseStatus: 0 },
    ]);
    expect(evidence.get('cancelled')).toEqual({ source: 'resource-timing', ending: 'not-received', detail: 'Resource Timing responseStatus 0, no response received by the page' });
    // Without the cancel's 0, the other load's single error is still one error.
    expect(evidence.get('retry')?.ending).toBe('error-once');
    const verdict = verdictWithEvidence(cancelled, verdictForRecord(cancelled), evidence.get('cancelled'));
    expect(verdict).toMatchObject({ outcome: 'not-applicable', cancelled: true, inferred: evidence.get('cancelled') });
    expect(verdict.chromiumError).toBeUndefined();
    expect(verdict.explanationText).toEqual({ id: 'verdict.inferred.notReceived', data: { detail: 'Resource Timing responseStatus 0, no response received by the page' } });
    expect(verdict.explanation).toContain('no CORS check ran');
  });

  test('a received status is ignored outside Firefox (the isolated world of Chromium reads the filtered 0 for a blocked load too)', () => {
    const chromium = { ...firefoxRecord('*', { id: 'c' }), browser: 'chromium' as const };
    const evidence = resourceTimingEvidence([chromium], [{ url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0, receivedStatus: 200 }]);
    expect(evidence.get('c')?.ending).toBe('error-once');
    const zero = resourceTimingEvidence([chromium], [{ url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0, receivedStatus: 0 }]);
    expect(zero.get('c')?.ending).toBe('error-once');
    // An entry no record took counts as a failed load of its URL, whatever Chromium's isolated world
    // read: with one, the load's own 0 is its second.
    const unmatched = { url: MEDIA, start: BASE_TIME_MS + 5_000, responseStatus: 0, receivedStatus: 0 };
    const two = resourceTimingEvidence([chromium], [{ url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0 }, unmatched]);
    expect(two.get('c')?.ending).toBe('blocked');
    // In Firefox a received 0 says the page ended that load before its response: it corroborates nothing.
    const firefox = firefoxRecord('*', { id: 'f' });
    const notReceived = resourceTimingEvidence([firefox], [{ url: MEDIA, start: BASE_TIME_MS + 3, responseStatus: 0 }, unmatched]);
    expect(notReceived.get('f')?.ending).toBe('error-once');
  });

  test('Chromium, a completed request whose headers were not seen whole (it started before the listeners): the page\'s entry decides it', () => {
    // What a request that starts while a restarted worker adds its listeners leaves (docs/capture.md#header-recording).
    const record: RequestRecord = { ...firefoxRecord('*', { id: 'early' }), browser: 'chromium', requestHeaders: [['accept', '*/*']], requestHeadersComplete: false };
    expect(verdictForRecord(record).outcome).toBe('unknown');
    const evidence = resourceTimingEvidence([record], [{ url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 200 }]);
    expect(verdictWithEvidence(record, verdictForRecord(record), evidence.get('early'))).toMatchObject({ outcome: 'pass', inferred: { ending: 'allowed' } });
  });

  test('Chromium, ACAO * without cookies and the request\'s ending unknown: the page\'s entry decides it, as in Firefox', () => {
    // Chromium's ending decides a completed or ERR_FAILED load on its own; one whose completion was not
    // seen (the worker stopped mid-load, state 'pending') is undetermined from its headers.
    const pending = (id: string, start: number): RequestRecord => ({ ...firefoxRecord('*', { id, start }), browser: 'chromium', state: 'pending' });
    const read200 = pending('read', BASE_TIME_MS);
    expect(verdictForRecord(read200).outcome).toBe('unknown');
    const readEvidence = resourceTimingEvidence([read200], [{ url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 200 }]);
    expect(verdictWithEvidence(read200, verdictForRecord(read200), readEvidence.get('read'))).toMatchObject({ outcome: 'pass', inferred: { ending: 'allowed' } });
    const first = pending('first', BASE_TIME_MS);
    const retry = pending('retry', BASE_TIME_MS + 400);
    const twice = resourceTimingEvidence([first, retry], [
      { url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 0 },
      { url: MEDIA, start: BASE_TIME_MS + 402, responseStatus: 0 },
    ]);
    expect(verdictWithEvidence(first, verdictForRecord(first), twice.get('first'))).toMatchObject({ outcome: 'fail', chromiumError: 'WildcardOriginNotAllowed' });
    // A page cancel after the response (net::ERR_ABORTED) gets no evidence: the browser rejected nothing.
    const aborted = { ...pending('aborted', BASE_TIME_MS), state: 'error' as const, error: 'net::ERR_ABORTED' };
    expect(resourceTimingEvidence([aborted], [{ url: MEDIA, start: BASE_TIME_MS + 2, responseStatus: 0 }]).size).toBe(0);
  });
});


describe('withReceivedStatus: the page\'s entries paired with the isolated world\'s', () => {
  test('same URL and start pair in order; an entry the isolated world lacks gets -1; an isolated entry alone adds nothing', () => {
    const a = 'https://cdn.example.com/a.ts';
    const b = 'https://cdn.example.com/b.ts';
    expect(
      withReceivedStatus(
        [[a, 10, 0], [a, 10, 0], [b, 20, 200], [a, 30, 0]],
        [[a, 10, 200], [a, 10, 0], [b, 20, 200], [b, 99, 200]],
      ),
    ).toEqual([[a, 10, 0, 200], [a, 10, 0, 0], [b, 20, 200, 200], [a, 30, 0, -1]]);
  });
});
