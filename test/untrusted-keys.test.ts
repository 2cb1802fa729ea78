/**
 * Keys from headers, URLs and files are looked up in Maps or as own properties: a name such as
 * `__proto__`, `constructor`, `toString` or `hasOwnProperty` finds nothing on Object.prototype, stays
 * the string it was, and survives a round trip through every export. Header names from imports are
 * RFC 9110 tokens, or their entry is skipped with a warning.
 */
import { describe, expect, test } from 'vitest';
import type { RequestRecord } from '../src/engine/model.ts';
import { analyze, classifyRequest, verdictForRecord } from '../src/engine/index.ts';
import { cdnFactsOf, vendorById } from '../src/engine/cdn/index.ts';
import { explainError } from '../src/engine/cors/explain.ts';
import { curlFor, importHar, importJson, toCsv, toHar, toJsonExport } from '../src/export/index.ts';
import { validateHar } from './export/har-validator.ts';
import { hlsRecord } from './export/records.ts';

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'] as const;

function devtoolsHar(entries: unknown[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } });
}

function harEntry(change: (entry: { request: Record<string, unknown>; response: Record<string, unknown> } & Record<string, unknown>) => void = () => undefined): unknown {
  const entry = {
    startedDateTime: '2026-11-28T11:46:59.402Z',
    time: 5,
    _resourceType: 'xhr',
    request: { method: 'GET', url: 'https://cdn.test/v/seg1.ts', httpVersion: 'http/1.1', headers: [{ name: 'Origin', value: 'https://site.test' }], cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'http/1.1',
      headers: [{ name: 'Access-Control-Allow-Origin', value: 'https://site.test' }],
      cookies: [],
      content: { size: 0, mimeType: 'video/mp2t' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 4, receive: 1 },
  };
  change(entry);
  return entry;
}

/** Every export of the records, each checked for shape: strings stay strings, the HAR stays valid. */
function expectExportsIntact(records: RequestRecord[]): void {
  const report = analyze(records);
  for (const redact of [true, false]) {
    const har = JSON.parse(JSON.stringify(toHar(records, report, { redact }))) as { log: { entries: Array<Record<string, unknown>> } };
    expect(validateHar(har)).toEqual([]);
    for (const entry of har.log.entries) expect(typeof entry._resourceType).toBe('string');
    const json = toJsonExport({ records, report, pageUrl: null, exportedAt: '2026-11-28T11:46:59.402Z', redact });
    expect(typeof JSON.stringify(json)).toBe('string');
  }
  expect(toCsv(records, report).split('\r\n').length).toBeGreaterThan(records.length);
  for (const record of records) expect(curlFor(record)).toMatch(/^curl /);
}

describe('prototype names as keys', () => {
  test.each(PROTOTYPE_KEYS)('_resourceType %s in a HAR stays that string, and the re-exported HAR is valid', (name) => {
    const { records, skipped } = importHar(devtoolsHar([harEntry((entry) => (entry._resourceType = name))]));
    expect(skipped).toBe(0);
    expect(records[0]!.resourceType).toBe(name);
    expectExportsIntact(records);
    const har = toHar(records, analyze(records), { redact: false });
    expect(har.log.entries[0]!._resourceType).toBe(name);
    // And back again: the file it wrote reads as the same resource type.
    expect(importHar(JSON.stringify(har)).records[0]!.resourceType).toBe(name);
  });

  test.each(PROTOTYPE_KEYS)('resourceType %s in a CORS Lens export stays that string', (name) => {
    const record = { ...hlsRecord(1), resourceType: name };
    const text = JSON.stringify(toJsonExport({ records: [record], report: analyze([record]), pageUrl: null, exportedAt: '2026-11-28T11:46:59.402Z', redact: false }));
    const imported = importJson(text).records;
    expect(imported[0]!.resourceType).toBe(name);
    expectExportsIntact(imported);
  });

  test.each(PROTOTYPE_KEYS)('a URL whose file extension is .%s is not media', (name) => {
    const media = classifyRequest(`https://cdn.test/live/seg1.${name}`, 'GET', null);
    expect(media).toEqual({ kind: 'other', format: 'unknown' });
    expect(classifyRequest(`https://cdn.test/live/seg1.${name}`, 'OPTIONS', null)).toEqual({ kind: 'other', format: 'unknown' });
  });

  test.each(PROTOTYPE_KEYS)('Content-Type %s classifies as nothing', (name) => {
    expect(classifyRequest('https://cdn.test/live/seg1', 'GET', [['content-type', name]])).toEqual({ kind: 'other', format: 'unknown' });
  });

  test.each(PROTOTYPE_KEYS)('a header named %s is a header like any other', (name) => {
    const plain = hlsRecord(7);
    const record: RequestRecord = {
      ...plain,
      requestHeaders: [...plain.requestHeaders!, [name, 'x']],
      responseHeaders: [...plain.responseHeaders!, [name, 'x']],
    };
    // An unknown request header makes the request preflighted; an unknown response header changes nothing.
    expect(verdictForRecord(record).outcome).toBe(verdictForRecord(plain).outcome);
    const facts = cdnFactsOf(record.responseHeaders);
    expect(facts.vendor?.id).toBe('cloudfront');
    expect(cdnFactsOf([[name, 'HIT']]).vendor).toBeNull();
    expectExportsIntact([record]);
  });

  test.each(PROTOTYPE_KEYS)('a HAR header named %s reads as that header', (name) => {
    const { records, skipped } = importHar(devtoolsHar([harEntry((entry) => (entry.response.headers as unknown[]).push({ name, value: 'x' }))]));
    expect(skipped).toBe(0);
    expect(records[0]!.responseHeaders).toContainEqual([name.toLowerCase(), 'x']);
    expectExportsIntact(records);
  });

  test.each(PROTOTYPE_KEYS)('vendor id and error name %s find nothing', (name) => {
    expect(vendorById(name)).toBeUndefined();
    expect(explainError(name, { detail: '', origin: null, where: 'the response' })).toBe(`The browser blocked the request (${name}).`);
  });

  test.each(PROTOTYPE_KEYS)('record id %s is an id like any other', (name) => {
    const records = [{ ...hlsRecord(7), id: name }, hlsRecord(14)];
    const report = analyze(records);
    expect(report.verdicts[0]!.recordId).toBe(name);
    expect(report.findings.some((finding) => finding.recordIds.includes(name))).toBe(true);
    expectExportsIntact(records);
  });
});

describe('header names from imports are tokens', () => {
  const BAD_NAMES = ['x a', 'x-a\nx-b', 'x-a:b', 'x-a\r\nInjected: 1', 'x"a', 'x(a)', 'ünïcode', 'x-\u212a'];

  test.each(BAD_NAMES)('a HAR request header named %j skips its entry with a warning; the rest is read', (name) => {
    const { records, skipped, warnings, warningTexts } = importHar(
      devtoolsHar([harEntry(), harEntry((entry) => (entry.request.headers as unknown[]).push({ name, value: '1' }))]),
    );
    expect(records).toHaveLength(1);
    expect(skipped).toBe(1);
    expect(warnings).toEqual([`Entry 2 was skipped: it has request headers with the header name ${JSON.stringify(name)}, which is not a valid token.`]);
    expect(warningTexts[0]).toEqual({
      id: 'import.warning.entry-skipped',
      data: { number: 2, reason: { id: 'import.entry.header-name-invalid', data: { field: { id: 'import.field.request-headers' }, name: JSON.stringify(name) } } },
    });
  });

  test('a HAR response header name that is not a token skips its entry too', () => {
    const { records, skipped, warningTexts } = importHar(devtoolsHar([harEntry((entry) => (entry.response.headers as unknown[]).push({ name: 'cache status', value: 'HIT' }))]));
    expect(records).toEqual([]);
    expect(skipped).toBe(1);
    expect(JSON.stringify(warningTexts)).toContain('import.field.response-headers');
  });

  test('names around which a tool left blanks, and HTTP/2 pseudo-headers, are read as before', () => {
    const { records, skipped } = importHar(
      devtoolsHar([harEntry((entry) => (entry.request.headers as unknown[]).push({ name: ' X-Player ', value: '1' }, { name: ':authority', value: 'cdn.test' }))]),
    );
    expect(skipped).toBe(0);
    expect(records[0]!.requestHeaders).toEqual([['origin', 'https://site.test'], ['x-player', '1']]);
  });

  test('a long shown name is cut to 40 characters', () => {
    const name = `x y${'z'.repeat(100)}`;
    const { warnings } = importHar(devtoolsHar([harEntry((entry) => (entry.request.headers as unknown[]).push({ name, value: '1' }))]));
    expect(warnings[0]).toContain(JSON.stringify(name.slice(0, 40)));
    expect(warnings[0]).not.toContain(name);
  });

  test.each(BAD_NAMES)('a CORS Lens record with a header named %j is skipped with a warning', (name) => {
    const bad = { ...hlsRecord(2), responseHeaders: [...hlsRecord(2).responseHeaders!, [name, '1']] };
    const good = hlsRecord(3);
    const text = JSON.stringify({ schemaVersion: 1, tool: 'cors-lens', exportedAt: '2026-11-28T11:46:59.402Z', pageUrl: null, redacted: false, report: {}, records: [good, bad] });
    const { records, skipped, warnings } = importJson(text);
    expect(records.map((record) => record.id)).toEqual([good.id]);
    expect(skipped).toBe(1);
    expect(warnings).toEqual([`Record 2 was skipped: it has responseHeaders with the header name ${JSON.stringify(name)}, which is not a valid token.`]);
  });

  test('a redirect hop header name that is not a token skips its record', () => {
    const record = { ...hlsRecord(2), redirects: [{ url: 'https://a.test/x', status: 302, redirectUrl: 'https://b.test/x', headers: [['location\nx', 'https://b.test/x']] }] };
    const text = JSON.stringify({ schemaVersion: 1, tool: 'cors-lens', records: [record] });
    const { records, skipped } = importJson(text);
    expect(records).toEqual([]);
    expect(skipped).toBe(1);
  });
});
