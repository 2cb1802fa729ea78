import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { validateHar } from './har-validator.ts';
import { analyze } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { REDACTED, importHar, recordsFromHar, redactRecord, redactUrl, toHar, type Har } from '../../src/export/index.ts';
import { loadRecordedEvents, replay } from '../background/replay.ts';
import { PAGE_ORIGIN, hlsRecord, redirectedRecord } from './records.ts';



function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/har/${name}`, import.meta.url), 'utf8');
}

const sample: RequestRecord[] = [hlsRecord(0), hlsRecord(1), hlsRecord(7), redirectedRecord(), hlsRecord(3, { fromCache: true, id: 'cached' })];

describe('toHar', () => {
  test('is a valid HAR 1.2 log (har-schema) with non-negative times', () => {
    const har = toHar(sample, analyze(sample));
    expect(validateHar(har)).toEqual([]);
    for (const entry of har.log.entries) {
      expect(entry.time).toBeGreaterThanOrEqual(0);
      for (const phase of ['send', 'wait', 'receive'] as const) expect(entry.timings[phase]).toBeGreaterThanOrEqual(0);
    }
  });

  test('log._corsLens.counts count a request the page cancelled before any check as cancelled, as the JSON report does', () => {
    const cancelled: RequestRecord = { ...hlsRecord(0), state: 'error', error: 'net::ERR_ABORTED' };
    const records = [cancelled, hlsRecord(1)];
    const report = analyze(records);
    expect(report.verdicts[0]!.verdict).toMatchObject({ outcome: 'not-applicable', cancelled: true });
    const har = toHar(records, report);
    expect(har.log._corsLens.counts).toMatchObject({ total: 2, passing: 1, notApplicable: 0, cancelled: 1 });
    expect(validateHar(har)).toEqual([]);
  });

  test('the schema check can fail: a broken log is reported', () => {
    const har = toHar(sample, analyze(sample)) as unknown as { log: { entries: Array<Record<string, unknown>> } };
    delete har.log.entries[0]!['request'];
    har.log.entries[1]!['serverIPAddress'] = 'not-an-ip';
    expect(validateHar(har).length).toBeGreaterThanOrEqual(2);
  });

  test('carries creator, pages, DevTools fields, verdict and causes', () => {
    const report = analyze(sample);
    const har = toHar(sample, report, { creatorVersion: '0.1.0' });
    expect(har.log.creator).toEqual({ name: 'CORS Lens', version: '0.1.0' });
    expect(har.log.pages).toHaveLength(1);
    expect(har.log.pages[0]!.title).toBe(PAGE_ORIGIN);
    // One entry per redirect hop plus one per record, as DevTools writes them.
    expect(har.log.entries).toHaveLength(sample.length + 1);
    const failing = har.log.entries.find((entry) => entry._corsLens.recordId === hlsRecord(7).id)!;
    expect(failing._resourceType).toBe('xhr');
    expect(failing._initiator).toEqual({ type: 'other', url: PAGE_ORIGIN });
    expect(failing.serverIPAddress).toBe('2600:9000:2250:a800:1f:2d1b:8c40:93a1');
    expect(failing.response._error).toBe('net::ERR_FAILED');
    expect(failing.response.httpVersion).toBe('HTTP/1.1');
    const reportVerdict = report.verdicts.find((entry) => entry.recordId === hlsRecord(7).id)!.verdict;
    expect(failing._corsLens.verdict).toMatchObject({ outcome: 'fail', chromiumError: 'MissingAllowOriginHeader', firefoxError: reportVerdict.firefoxError });
    expect(reportVerdict.firefoxError).toMatch(/^CORSMissingAllowOrigin/);
    expect(failing._corsLens.verdict!.explanation.length).toBeGreaterThan(10);
    // Record 0 is a cache hit without ACAO: the report names it in a finding.
    const poisoned = har.log.entries.find((entry) => entry._corsLens.recordId === hlsRecord(0).id)!;
    const causeIds = report.findings.filter((finding) => finding.recordIds.includes(hlsRecord(0).id)).map((finding) => finding.ruleId);
    expect(causeIds).toContain('cached-response-without-cors');
    expect(poisoned._corsLens.causes!.map((cause) => cause.ruleId)).toEqual(causeIds);
    expect(failing._corsLens.causes).toEqual([]);
    expect(har.log.entries.find((entry) => entry._corsLens.recordId === 'cached')!._fromCache).toBe('disk');
    const hop = har.log.entries.find((entry) => entry._corsLens.redirectHop === 0)!;
    expect(hop.response.status).toBe(302);
    expect(hop.response.redirectURL).toBe('https://d111111abcdef8.cloudfront.net/live/720p/seg1.ts');
    expect(har.log._corsLens.counts).toEqual({ ...report.counts, cancelled: 0 });
    expect(har.log._corsLens.findings.map((finding) => finding.ruleId)).toEqual(report.findings.map((finding) => finding.ruleId));
  });

  test('body and transfer sizes: Content-Length on the wire, 0 from the cache, unknown without a length', () => {
    const noLength = hlsRecord(4);
    noLength.responseHeaders = noLength.responseHeaders!.filter(([name]) => name !== 'content-length');
    const records = [hlsRecord(2), hlsRecord(3, { fromCache: true, id: 'cached' }), noLength];
    const [sent, cached, unknown] = toHar(records, analyze(records)).log.entries;
    expect([sent!.response.bodySize, sent!.response._transferSize]).toEqual([1_880_000, 1_880_000]);
    expect([cached!.response.bodySize, cached!.response._transferSize]).toEqual([0, 0]);
    expect(unknown!.response.bodySize).toBe(-1);
    expect(unknown!.response).not.toHaveProperty('_transferSize');
  });

  test('entry timings follow the record marks', () => {
    const record = hlsRecord(2);
    const [entry] = toHar([record], analyze([record])).log.entries;
    expect(entry!.startedDateTime).toBe(new Date(record.timings.start).toISOString());
    expect(entry!.timings.blocked).toBeCloseTo(1.25);
    expect(entry!.timings.wait).toBeCloseTo(29.25);
    expect(entry!.timings.receive).toBeCloseTo(17.625);
    expect(entry!.time).toBeCloseTo(48.125);
  });

  test('redacts by default: cookies, auth, signed URLs, and URLs quoted in the report', () => {
    const secret = hlsRecord(50, {
      requestHeaders: [['origin', PAGE_ORIGIN], ['cookie', 'CloudFront-Policy=secretcookie'], ['authorization', 'Bearer tok3n']],
    });
    const withSecrets = [secret, redirectedRecord()];
    const report = analyze(withSecrets);
    const text = JSON.stringify(toHar(withSecrets, report));
    for (const leaked of ['secretcookie', 'tok3n', 'eyJTdGF0ZW1lbnQi', 'Zm9v~bar', 'K2JCJMDEHXQW5F', 'abc123']) expect(text).not.toContain(leaked);
    expect(text).toContain(REDACTED.replace(/[[\]]/g, '')); // still says something was there
    const open = JSON.stringify(toHar(withSecrets, report, { redact: false }));
    for (const kept of ['secretcookie', 'tok3n', 'Zm9v~bar', 'abc123']) expect(open).toContain(kept);
  });

  test('redaction: a Referer or Location with a signed query, odd casing; untouched records are shared, never changed', () => {
    const signedReferer = hlsRecord(51, {
      requestHeaders: [['origin', PAGE_ORIGIN], ['referer', `${PAGE_ORIGIN}/watch?token=reftok3n&v=1`]],
      responseHeaders: [['location', '/next.ts?Signature=locsig'], ['content-type', 'video/mp2t']],
    });
    // Records name headers in lower case; an imported or hand-made one may not.
    const oddCasing = hlsRecord(53, { requestHeaders: [['origin', PAGE_ORIGIN], ['Cookie', 'odd=casedsecret']] });
    const before = JSON.stringify(signedReferer);
    const text = JSON.stringify([redactRecord(signedReferer), redactRecord(oddCasing)]);
    for (const leaked of ['reftok3n', 'casedsecret', 'locsig']) expect(text).not.toContain(leaked);
    expect(text).toContain('v=1');
    expect(JSON.stringify(signedReferer)).toBe(before);
    // A plain Referer (every request has one) is no secret: nothing to redact, nothing copied.
    const plain = hlsRecord(52);
    expect(plain.requestHeaders!.some(([name]) => name === 'referer')).toBe(true);
    expect(redactRecord(plain)).toBe(plain);
  });

  test('a broken timestamp or IP does not break the export', () => {
    const odd = hlsRecord(4, { timings: { start: Number.NaN }, ip: 'garbage', status: null, responseHeaders: null, state: 'pending', error: null });
    const har = toHar([odd], analyze([odd]));
    expect(validateHar(har)).toEqual([]);
    expect(har.log.entries[0]!.serverIPAddress).toBeUndefined();
    expect(har.log.entries[0]!.response.status).toBe(0);
  });
});

describe('rule errors in a HAR', () => {
  test('the log carries the rules that threw, their messages redacted; a HAR without them (older files) still imports', () => {
    const signedUrl = sample[0]!.url;
    expect(signedUrl).toContain('Signature=');
    const report = { ...analyze(sample), ruleErrors: [{ ruleId: 'broken-rule', message: `TypeError: cannot read ${signedUrl}` }] };
    const har = toHar(sample, report);
    expect(har.log._corsLens.ruleErrors).toEqual([{ ruleId: 'broken-rule', message: `TypeError: cannot read ${redactUrl(signedUrl)}` }]);
    expect(JSON.stringify(har.log._corsLens.ruleErrors)).not.toContain('Signature=Zm9v');
    expect(toHar(sample, report, { redact: false }).log._corsLens.ruleErrors).toEqual(report.ruleErrors);
    expect(toHar(sample, analyze(sample)).log._corsLens.ruleErrors).toEqual([]);
    const older = JSON.parse(JSON.stringify(har)) as Har;
    delete older.log._corsLens.ruleErrors;
    const imported = importHar(older);
    expect(imported.records.map((record) => record.id)).toEqual(sample.map((record) => record.id));
    expect(imported.warnings).toEqual([]);
  });
});

describe('round trip toHar → recordsFromHar', () => {
  test('without redaction gives back the same records', () => {
    // A re-test of the first record, still in flight: both re-test fields must come back.
    const pending = hlsRecord(5, { status: null, statusLine: null, responseHeaders: null, state: 'pending', error: null, requestHeaders: null, timings: { start: 1 }, retest: true, retestOf: sample[0]!.id });
    const records = [...sample, pending, hlsRecord(6, { browser: 'firefox', documentUrl: `${PAGE_ORIGIN}/watch/42`, ip: null })];
    const har = JSON.parse(JSON.stringify(toHar(records, analyze(records), { redact: false }))) as Har;
    const imported = importHar(har);
    expect(imported.skipped).toBe(0);
    expect(imported.warnings).toEqual([]);
    // Media is classified again on import; a pending record had not been classified yet.
    expect(imported.records).toEqual(records.map((record) => (record === pending ? { ...record, media: imported.records[5]!.media } : record)));
    expect(imported.records[5]).toMatchObject({ retest: true, retestOf: sample[0]!.id });
  });

  test('with redaction gives back the redacted records and the same verdicts', () => {
    const report = analyze(sample);
    const imported = recordsFromHar(JSON.stringify(toHar(sample, report)));
    expect(imported).toEqual(sample.map(redactRecord));
    expect(analyze(imported).verdicts.map((entry) => entry.verdict.outcome)).toEqual(report.verdicts.map((entry) => entry.verdict.outcome));
  });

  test('records the recorder built from real Chromium and Firefox events survive the trip', () => {
    for (const [name, browser] of [['chromium-hls-segment2-no-acao.json', 'chromium'], ['firefox-hls-segment2-no-acao.json', 'firefox']] as const) {
      const { records } = replay(loadRecordedEvents(name), browser);
      expect(records.length).toBeGreaterThan(3);
      const back = recordsFromHar(JSON.stringify(toHar(records, analyze(records), { redact: false })));
      expect(back).toEqual(records);
      expect(analyze(back).findings).toEqual(analyze(records).findings);
    }
  });
});

describe('recordsFromHar on DevTools files', () => {
  test('Chrome DevTools: origin, browser, resource types, cache, errors, redirects, no pseudo-headers', () => {
    const result = importHar(fixture('chrome-devtools-hls.har'));
    expect(result.creator).toBe('WebInspector');
    expect(result.browser).toBe('chromium');
    expect(result.skipped).toBe(0);
    // Six entries, one redirect chain of two: five records.
    expect(result.records.map((record) => [record.id, record.method, record.media.kind, record.status, record.error])).toEqual([
      ['har-1', 'GET', 'master-playlist', 200, null],
      ['har-2', 'GET', 'segment', 200, 'net::ERR_FAILED'],
      ['har-3', 'OPTIONS', 'preflight', 403, 'net::ERR_FAILED'],
      ['har-4', 'GET', 'segment', 200, 'net::ERR_FAILED'],
      ['har-6', 'GET', 'progressive', 206, null],
    ]);
    const [playlist, segment, preflight, redirected, video] = result.records as [RequestRecord, RequestRecord, RequestRecord, RequestRecord, RequestRecord];
    expect(playlist.pageOrigin).toBe(PAGE_ORIGIN);
    expect(playlist.documentUrl).toBe(`${PAGE_ORIGIN}/watch/42`);
    expect(playlist.resourceType).toBe('xmlhttprequest');
    expect(playlist.requestHeaders!.some(([name]) => name.startsWith(':'))).toBe(false);
    expect(playlist.ip).toBe('2600:9000:2250:a800:1f:2d1b:8c40:93a1');
    expect(playlist.timings.start).toBe(Date.parse('2026-11-28T11:46:59.402Z'));
    expect(playlist.timings.end).toBeCloseTo(Date.parse('2026-11-28T11:46:59.402Z') + 38.21);
    expect(segment.state).toBe('error');
    expect(preflight.requestHeaders).toContainEqual(['access-control-request-method', 'GET']);
    expect(redirected.url).toBe('https://d111111abcdef8.cloudfront.net/live/720p/seg3.ts');
    expect(redirected.redirects).toEqual([
      {
        url: 'https://player.example.com/go/seg3.ts?token=abc123',
        status: 302,
        redirectUrl: 'https://d111111abcdef8.cloudfront.net/live/720p/seg3.ts',
        headers: [
          ['location', 'https://d111111abcdef8.cloudfront.net/live/720p/seg3.ts'],
          ['access-control-allow-origin', PAGE_ORIGIN],
        ],
      },
    ]);
    expect(redirected.fromCache).toBe(true);
    expect(redirected.timings.start).toBe(Date.parse('2026-11-28T11:47:00.200Z'));
    expect(video.resourceType).toBe('media');
    expect(video.pageOrigin).toBe(PAGE_ORIGIN); // from the parser initiator
  });

  test('Chrome DevTools HAR gets the diagnosis the engine gives live', () => {
    const records = recordsFromHar(fixture('chrome-devtools-hls.har'));
    const report = analyze(records);
    const outcome = (id: string): string | undefined => report.verdicts.find((entry) => entry.recordId === id)?.verdict.outcome;
    expect(outcome('har-1')).toBe('pass');
    expect(outcome('har-2')).toBe('fail');
    expect(report.verdicts.find((entry) => entry.recordId === 'har-2')!.verdict.chromiumError).toBe('MissingAllowOriginHeader');
    // A cross-origin redirect taints the origin to null; ACAO names the page: the browser rejects it.
    expect(outcome('har-4')).toBe('fail');
    // <video> without crossorigin: not a CORS request, never red.
    expect(outcome('har-6')).toBe('not-applicable');
    expect(report.pageOrigin).toBe(PAGE_ORIGIN);
  });

  test('Firefox DevTools: browser from creator, original-case headers lower-cased, cache and aborted entries', () => {
    const result = importHar(fixture('firefox-devtools-hls.har'));
    expect(result.browser).toBe('firefox');
    expect(result.skipped).toBe(0);
    const [playlist, segment, cached, aborted] = result.records as [RequestRecord, RequestRecord, RequestRecord, RequestRecord];
    expect(playlist.requestHeaders).toContainEqual(['origin', PAGE_ORIGIN]);
    expect(playlist.pageOrigin).toBe(PAGE_ORIGIN);
    expect(playlist.timings.start).toBe(Date.parse('2026-11-28T11:46:59.410Z'));
    expect(playlist.statusLine).toBe('HTTP/2 200');
    expect(segment.media.kind).toBe('segment');
    expect(cached.fromCache).toBe(true);
    expect(aborted.status).toBeNull();
    expect(aborted.responseHeaders).toBeNull();
    expect(aborted.state).toBe('error');
    const report = analyze(result.records);
    // `*` passes only without credentials, and nothing in a Firefox HAR proves there were none.
    expect(report.verdicts.map((entry) => entry.verdict.outcome)).toEqual(['unknown', 'fail', 'unknown', 'unknown']);
    expect(report.verdicts[1]!.verdict.firefoxError).toMatch(/^CORSMissingAllowOrigin/);
  });

  test('browsers built from Firefox name themselves as the creator: read as Firefox', () => {
    for (const name of ['LibreWolf', 'Waterfox', 'Floorp', 'Mullvad Browser']) {
      const har = JSON.parse(fixture('firefox-devtools-hls.har')) as { log: { creator: { name: string }; browser?: unknown } };
      har.log.creator.name = name;
      delete har.log.browser;
      expect(importHar(JSON.stringify(har)).browser, name).toBe('firefox');
    }
    // A name that merely contains one of theirs is not one of them.
    const proxy = JSON.parse(fixture('firefox-devtools-hls.har')) as { log: { creator: { name: string }; browser?: unknown } };
    proxy.log.creator.name = 'Zenith Proxy';
    delete proxy.log.browser;
    expect(importHar(JSON.stringify(proxy)).browser).toBe('unknown');
  });

  test('Safari’s Web Inspector says a response came from its cache with `_fetchType`', () => {
    const har = JSON.parse(fixture('firefox-devtools-hls.har')) as { log: { creator: { name: string }; entries: Array<Record<string, unknown>> } };
    har.log.creator.name = 'WebKit Web Inspector';
    har.log.entries[0]!._fetchType = 'Disk Cache';
    har.log.entries[1]!._fetchType = 'Network Load';
    delete har.log.entries[0]!.cache;
    delete har.log.entries[1]!.cache;
    const [cached, loaded] = importHar(JSON.stringify(har)).records;
    expect(cached!.fromCache).toBe(true);
    expect(loaded!.fromCache).toBe(false);
  });

  test('other tools’ ways: version as a number (1.2), and Playwright’s `_failureText` for the network error', () => {
    const har = JSON.parse(fixture('firefox-devtools-hls.har')) as { log: { version: unknown; entries: Array<{ response: Record<string, unknown> }> } };
    har.log.version = 1.2;
    const aborted = har.log.entries[3]!.response;
    aborted.status = -1;
    delete aborted._error;
    aborted._failureText = 'net::ERR_ABORTED';
    const result = importHar(JSON.stringify(har));
    expect(result.skipped).toBe(0);
    expect(result.records[3]!.error).toBe('net::ERR_ABORTED');
  });

  test("page origin: the Origin sent, else the file's page; a stylesheet's parser initiator is not the page", () => {
    const stylesheet = 'https://static.cdn.example/css/site.css';
    const entryFrom = (url: string, headers: Array<{ name: string; value: string }>) => ({
      pageref: 'page_1',
      startedDateTime: '2026-11-30T10:00:00.000Z',
      time: 5,
      _initiator: { type: 'parser', url: stylesheet },
      request: { method: 'GET', url, headers },
      response: { status: 200, headers: [{ name: 'content-type', value: 'font/woff2' }], redirectURL: '' },
    });
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        pages: [{ id: 'page_1', title: 'https://www.site.example/watch', startedDateTime: '2026-11-30T10:00:00.000Z' }],
        entries: [entryFrom('https://fonts.example/a.woff2', [{ name: 'Origin', value: 'https://www.site.example' }]), entryFrom('https://img.example/bg.png', [])],
      },
    };
    expect(recordsFromHar(har).map((record) => record.pageOrigin)).toEqual(['https://www.site.example', 'https://www.site.example']);
  });

  test('page origin falls back to the page entry when a request names none (no Origin, no initiator)', () => {
    const har = JSON.parse(fixture('firefox-devtools-hls.har')) as { log: { entries: Array<{ request: { headers: Array<{ name: string }> } }> } };
    har.log.entries[0]!.request.headers = har.log.entries[0]!.request.headers.filter((header) => header.name !== 'Origin');
    expect(recordsFromHar(har)[0]!.pageOrigin).toBe(PAGE_ORIGIN);
  });
});

describe('request headers: what an entry proves was sent', () => {
  const entry = (requestHeaders: Array<[string, string]>, status: number, responseHeaders: Array<[string, string]> = []) => ({
    startedDateTime: '2026-11-30T10:00:00.000Z',
    time: 10,
    request: { method: 'GET', url: 'https://media.example.org/a/seg-1.m4s', headers: requestHeaders.map(([name, value]) => ({ name, value })) },
    response: { status, headers: responseHeaders.map(([name, value]) => ({ name, value })), redirectURL: '' },
  });
  const harOf = (creator: string, entries: unknown[]) => ({ log: { version: '1.2', creator: { name: creator, version: '1' }, entries } });

  test('Chrome DevTools: a request without response and without Sec-Fetch-Mode shows provisional headers, so no Origin proves nothing', () => {
    const [stopped, sent] = recordsFromHar(harOf('WebInspector', [entry([['referer', 'https://watch.example.org/'], ['cmcd-request', 'bl=1']], 0), entry([['accept', '*/*'], ['sec-fetch-mode', 'no-cors']], 0)]));
    expect(stopped!.requestHeadersComplete).toBe(false);
    expect(analyze([stopped!]).verdicts[0]!.verdict.outcome).toBe('unknown');
    // The same list with the Sec-Fetch-Mode the network stack adds went on the wire.
    expect(sent!.requestHeadersComplete).toBe(true);
  });

  test('Chrome DevTools: a response from the browser cache shows provisional headers too, so no Origin proves no no-cors', () => {
    // DevTools: "Provisional headers are shown. Disable cache to see full headers."
    const cached = { ...entry([['referer', 'https://watch.example.org/']], 200, [['content-type', 'video/mp4']]), _fromCache: 'disk', _resourceType: 'xhr', response: { status: 200, headers: [{ name: 'content-type', value: 'video/mp4' }], redirectURL: '', _error: 'net::ERR_FAILED' } };
    const [record] = recordsFromHar(harOf('WebInspector', [cached]));
    expect(record!.fromCache).toBe(true);
    expect(record!.requestHeadersComplete).toBe(false);
    expect(analyze([record!]).verdicts[0]!.verdict.outcome).not.toBe('not-applicable');
  });

  test('a tool outside the browser (curl, a proxy) lists what it sent, even nothing; DevTools with an empty list saw nothing', () => {
    const curl = recordsFromHar(harOf('curl-to-har', [entry([], 200, [['content-type', 'application/vnd.apple.mpegurl']])]))[0]!;
    expect(curl.requestHeaders).toEqual([]);
    expect(analyze([curl]).verdicts[0]!.verdict.outcome).toBe('not-applicable');
    const devtools = recordsFromHar(harOf('WebInspector', [entry([], 200, [['content-type', 'application/vnd.apple.mpegurl']])]))[0]!;
    expect(devtools.requestHeaders).toBeNull();
    expect(analyze([devtools]).verdicts[0]!.verdict.outcome).toBe('unknown');
  });
});
