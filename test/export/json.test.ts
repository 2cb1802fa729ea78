import { describe, expect, test } from 'vitest';
import { exportFileName, importJson, redactUrl, toJsonExport, REDACTED, type ExportedCounts } from '../../src/export/index.ts';
import { analyze } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { exportedCountsOf } from '../../src/ui/components/exactCounts.ts';
import { totalsOf } from '../../src/view/totals.ts';
import { hlsRecord } from './records.ts';

const secretRecord: RequestRecord = {
  id: '1',
  browser: 'chromium',
  tabId: 1,
  frameId: 0,
  method: 'GET',
  url: 'https://d1.cloudfront.net/v/seg1.ts?Policy=abc&Signature=def&Key-Pair-Id=K1&quality=hd',
  resourceType: 'xmlhttprequest',
  pageOrigin: 'https://site.test',
  documentUrl: 'https://user:pw@site.test/watch?token=xyz',
  requestHeaders: [
    ['origin', 'https://site.test'],
    ['cookie', 'session=1'],
    ['authorization', 'Bearer abc'],
  ],
  requestHeadersComplete: true,
  status: 200,
  statusLine: null,
  responseHeaders: [
    ['set-cookie', 'a=b'],
    ['access-control-allow-origin', '*'],
  ],
  fromCache: false,
  ip: null,
  redirects: [{ url: 'https://s3.test/seg1.ts?X-Amz-Signature=1', status: 302, redirectUrl: 'https://d1.cloudfront.net/v/seg1.ts', headers: [['proxy-authorization', 'Basic x']] }],
  error: null,
  timings: { start: 1 },
  state: 'complete',
  media: { kind: 'segment', format: 'hls' },
};

describe('JSON export', () => {
  test('redacts cookies, auth and signed-URL parameters by default, keeping everything else', () => {
    const file = toJsonExport({ records: [secretRecord], report: analyze([secretRecord]), pageUrl: secretRecord.documentUrl, exportedAt: '2026-11-28T10:00:00.000Z' });
    const text = JSON.stringify(file);
    for (const secret of ['session=1', 'Bearer abc', 'a=b', 'abc&', 'def', 'K1', 'xyz', 'pw@', 'Basic x', 'X-Amz-Signature=1']) expect(text).not.toContain(secret);
    expect(file.redacted).toBe(true);
    expect(file.records[0]!.url).toContain('quality=hd');
    expect(file.records[0]!.requestHeaders).toContainEqual(['origin', 'https://site.test']);
    expect(file.records[0]!.requestHeaders).toContainEqual(['cookie', REDACTED]);
    expect(file.report.counts.total).toBe(1);
    expect(file.schemaVersion).toBe(1);
  });

  test('counts a request the page cancelled before any check as cancelled, not as not-applicable', () => {
    const cancelled: RequestRecord = { ...hlsRecord(0), state: 'error', error: 'net::ERR_ABORTED' };
    const withoutOrigin: RequestRecord = { ...hlsRecord(2), requestHeaders: (hlsRecord(2).requestHeaders ?? []).filter(([name]) => name !== 'origin' && name !== 'sec-fetch-mode') };
    const records = [cancelled, hlsRecord(1), withoutOrigin];
    const report = analyze(records);
    expect(report.verdicts.map(({ verdict }) => [verdict.outcome, verdict.cancelled ?? false])).toEqual([
      ['not-applicable', true],
      ['pass', false],
      ['not-applicable', false],
    ]);
    const file = toJsonExport({ records, report, pageUrl: null, exportedAt: 'x' });
    expect(file.report.counts).toMatchObject({ total: 3, passing: 1, notApplicable: 1, cancelled: 1, failing: 0, unknown: 0 });
    expect(JSON.parse(JSON.stringify(file)).report.counts.cancelled).toBe(1);
    // The analysis itself is left as it was: the popup and the panel read it.
    expect(report.counts).not.toHaveProperty('cancelled');
    // The recorder's exact counts, written at the top level, count it apart the same way.
    const verdicts = new Map(report.verdicts.map(({ recordId, verdict }) => [recordId, verdict]));
    const totals = totalsOf(records, (record) => verdicts.get(record.id)!);
    const withCounts = toJsonExport({ records, report, pageUrl: null, exportedAt: 'x', counts: exportedCountsOf({ report, totals, evicted: 0 }) });
    expect(withCounts.counts).toMatchObject({ requests: 3, cancelled: 1, byOutcome: { pass: 1, 'not-applicable': 1, fail: 0, unknown: 0 } });
    // The recorder's own totals keep counting it under not-applicable (the badge and the popup read them).
    expect(totals.byOutcome['not-applicable']).toBe(2);
  });

  test('texts in the report that quote signed URLs are redacted too', () => {
    const report = analyze([secretRecord]);
    report.findings.push({ ruleId: 'r', cause: 'c', severity: 'info', kind: 'advice', confidence: 'possible', message: `See ${secretRecord.url}.`, recordIds: ['1'], evidence: [{ recordId: '1', name: 'cookie', value: 'session=1' }], fix: `curl '${secretRecord.url}'` });
    const text = JSON.stringify(toJsonExport({ records: [secretRecord], report, pageUrl: null, exportedAt: 'x' }).report);
    for (const secret of ['Signature=def', 'Policy=abc', 'session=1']) expect(text).not.toContain(secret);
    expect(text).toContain('quality=hd');
  });

  test('the opt-out keeps values as captured', () => {
    const file = toJsonExport({ records: [secretRecord], report: analyze([secretRecord]), pageUrl: null, exportedAt: 'x', redact: false });
    expect(JSON.stringify(file)).toContain('Bearer abc');
    expect(file.redacted).toBe(false);
  });

  test('redactUrl leaves unparsable and clean URLs alone', () => {
    expect(redactUrl('not a url')).toBe('not a url');
    expect(redactUrl('https://cdn.test/a.ts?x=1')).toBe('https://cdn.test/a.ts?x=1');
  });

  test('file names are safe', () => {
    expect(exportFileName('https://site.test:8443/watch', '2026-11-28T10:00:00.123Z', 'json')).toBe('cors-lens-site.test_8443-2026-11-28T10-00-00.json');
    expect(exportFileName(null, '2026-11-28T10:00:00.123Z', 'json')).toBe('cors-lens-tab-2026-11-28T10-00-00.json');
  });

  test('carries the exact counts additively; a stream key loses its user-info when redacted; the file still imports', () => {
    const counts: ExportedCounts = {
      evicted: 95,
      requests: 100,
      byOutcome: { pass: 60, fail: 40, unknown: 0, 'not-applicable': 0 },
      cancelled: 0,
      byKind: { segment: 100 },
      streams: [{ key: 'user:pw@cdn.test/live/', host: 'user:pw@cdn.test', path: '/live/', total: 100, failing: 40, unknown: 0, byKind: { segment: 100 } }],
      failuresByCause: { MissingAllowOriginHeader: 40 },
    };
    const report = analyze([secretRecord]);
    expect(toJsonExport({ records: [secretRecord], report, pageUrl: null, exportedAt: 'x' })).not.toHaveProperty('counts');
    const redacted = toJsonExport({ records: [secretRecord], report, pageUrl: null, exportedAt: 'x', counts });
    expect(redacted.counts).toEqual({ ...counts, streams: [{ ...counts.streams[0], key: 'cdn.test/live/', host: 'cdn.test' }] });
    expect(toJsonExport({ records: [secretRecord], report, pageUrl: null, exportedAt: 'x', counts, redact: false }).counts).toEqual(counts);
    const imported = importJson(new TextEncoder().encode(JSON.stringify(redacted)));
    expect(imported.records.map((r) => r.id)).toEqual(['1']);
  });

  test('round trip without redaction gives back the same records, re-test fields included', () => {
    const retest: RequestRecord = { ...secretRecord, id: '2', url: `${secretRecord.url}&cors-lens-retest=n1`, retest: true, retestOf: secretRecord.id };
    const records = [secretRecord, retest];
    const file = toJsonExport({ records, report: analyze(records), pageUrl: null, exportedAt: 'x', redact: false });
    const imported = importJson(JSON.stringify(file));
    expect(imported.warnings).toEqual([]);
    // Media is classified again on import, from the URL and Content-Type.
    expect(imported.records).toEqual(records.map((record, index) => ({ ...record, media: imported.records[index]!.media })));
    expect(imported.records[1]).toMatchObject({ retest: true, retestOf: '1' });
  });

  test('carries the rules that threw, their messages redacted; a report without ruleErrors (older exports) still imports', () => {
    const report = { ...analyze([secretRecord]), ruleErrors: [{ ruleId: 'broken-rule', message: `TypeError: cannot read ${secretRecord.url}` }] };
    const redacted = toJsonExport({ records: [secretRecord], report, pageUrl: null, exportedAt: 'x' });
    expect(redacted.report.ruleErrors).toEqual([{ ruleId: 'broken-rule', message: `TypeError: cannot read ${redactUrl(secretRecord.url)}` }]);
    expect(JSON.stringify(redacted.report.ruleErrors)).not.toContain('Signature=def');
    expect(toJsonExport({ records: [secretRecord], report, pageUrl: null, exportedAt: 'x', redact: false }).report.ruleErrors).toEqual(report.ruleErrors);
    const older = JSON.parse(JSON.stringify(redacted)) as { report: Record<string, unknown> };
    delete older.report['ruleErrors'];
    const imported = importJson(JSON.stringify(older));
    expect(imported.records.map((r) => r.id)).toEqual(['1']);
    expect(imported.warnings).toEqual([]);
  });
});
