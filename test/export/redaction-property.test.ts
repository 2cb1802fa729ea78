/**
 * Redaction is a property of the export: secrets planted in every place a record can hold text (the
 * URL's query and user-info, secret request and response headers, redirect hops and their Location,
 * the document URL, the error text) never appear in any export with redaction on — in the records,
 * the report's findings (messages, fixes, message data, fix steps and their data), the verdicts,
 * the stream summaries and the counts — nor in what Copy fix and Copy as curl put on the clipboard,
 * nor in the export's file name.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { analyze } from '../../src/engine/index.ts';
import type { HeaderList, RequestRecord } from '../../src/engine/model.ts';
import { clipboardText, curlFor, exportFileName, toCsv, toHar, toJsonExport } from '../../src/export/index.ts';
import { findingFix } from '../../src/ui/components/localised.ts';
import { SCENARIOS } from '../engine/scenarios/scenarios.ts';

const SECRET_PARAMS = ['X-Amz-Signature', 'X-Amz-Security-Token', 'Signature', 'Policy', 'Key-Pair-Id', 'X-Goog-Signature', 'X-Goog-Credential', 'GoogleAccessId', 'sig', 'hdnts', '__token__', 'api_key', 'apikey', 'auth_key', 'client_secret', 'jwt', 'session_id', 'access_token', 'password'];
const SECRET_HEADERS = ['cookie', 'set-cookie', 'authorization', 'proxy-authorization', 'x-api-key', 'x-amz-security-token', 'x-auth-token', 'x-session-id', 'X-Client-Secret'];

/** A marker that cannot occur by chance and survives URL encoding unchanged. */
const markerArbitrary = fc.stringMatching(/^[a-z0-9]{8}$/).map((tail) => `zqsecret${tail}`);

function withQuery(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.href;
}

function withUserInfo(url: string, marker: string): string {
  const parsed = new URL(url);
  parsed.username = `${marker}u`;
  parsed.password = `${marker}p`;
  return parsed.href;
}

function planted(record: RequestRecord, marker: string, param: string, header: string, place: number): RequestRecord {
  const secretHeaders: HeaderList = [[header, `${marker}-value`]];
  const signed = withQuery(record.url, param, marker);
  const url = place % 3 === 0 ? withUserInfo(signed, marker) : signed;
  return {
    ...record,
    url,
    documentUrl: withQuery(`${record.pageOrigin ?? 'https://site.example'}/watch`, param, marker),
    requestHeaders: [...(record.requestHeaders ?? []), ...secretHeaders, ['referer', withQuery('https://site.example/page', param, marker)]],
    responseHeaders: record.responseHeaders === null ? null : [...record.responseHeaders, ...secretHeaders, ['location', `/next.ts?${encodeURIComponent(param)}=${marker}`]],
    redirects:
      place % 2 === 0
        ? [{ url: withQuery(record.url, param, marker), redirectUrl: url, status: 302, headers: [['location', url], ...secretHeaders] }]
        : record.redirects,
    error: record.error === null ? null : `${record.error} while loading ${url}`,
  };
}

describe('redacted exports hold no planted secret', () => {
  test('JSON, HAR and CSV of every scenario, secrets in every text a record holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIOS),
        markerArbitrary,
        fc.constantFrom(...SECRET_PARAMS),
        fc.constantFrom(...SECRET_HEADERS),
        fc.nat(5),
        (scenario, marker, param, header, place) => {
          const records = scenario.records.map((record, index) => planted(record, marker, param, header, place + index));
          const report = analyze(records);
          const exports = {
            json: JSON.stringify(toJsonExport({ records, report, pageUrl: records[0]!.documentUrl, exportedAt: '2026-01-01T00:00:00.000Z' })),
            har: JSON.stringify(toHar(records, report)),
            csv: toCsv(records, report),
            // What the Copy buttons copy without keep secrets: Copy fix (the English fix, no UI language here) and Copy as curl.
            copied: [
              ...report.findings.map((finding) => clipboardText(findingFix(finding, () => null), false)),
              ...records.flatMap((record) => [curlFor(record), curlFor(record, { preflight: true }), curlFor(record, { includeCredentials: true })]),
            ].join('\n'),
            fileName: exportFileName(records[0]!.documentUrl, '2026-01-01T00:00:00.000Z', 'har'),
          };
          for (const [format, text] of Object.entries(exports)) expect(text.includes(marker), `${format} of ${scenario.name} leaks ${param}/${header}`).toBe(false);
          // The markers did reach the report unredacted (the check above is not vacuous).
          const kept = JSON.stringify(toJsonExport({ records, report, pageUrl: null, exportedAt: '2026-01-01T00:00:00.000Z', redact: false }));
          expect(kept.includes(marker)).toBe(true);
          expect(records.some((record) => curlFor(record, { keepSecrets: true })?.includes(marker))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('a failing signed URL quoted by a fix step, its data and the stream keys is redacted in the report', () => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === 'cdn-cache-poisoned')!;
    const records = scenario.records.map((record, index) => planted(record, 'zqsecretfixsteps', 'X-Amz-Signature', 'cookie', index * 3));
    const report = analyze(records);
    expect(JSON.stringify(report.findings)).toContain('zqsecretfixsteps');
    const exported = toJsonExport({ records, report, pageUrl: null, exportedAt: '2026-01-01T00:00:00.000Z' });
    expect(JSON.stringify(exported.report.findings)).not.toContain('zqsecretfixsteps');
    expect(JSON.stringify(exported.report.streams)).not.toContain('zqsecretfixsteps');
  });
});
