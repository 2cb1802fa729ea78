import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { analyze } from '../../src/engine/index.ts';
import { HarImportError, ImportError, JsonImportError, importHar, importJson, recordsFromHar, toHar, toJsonExport } from '../../src/export/index.ts';
import { hlsRecord } from './records.ts';

const validHar = (): { log: { version: string; creator: { name: string; version: string }; entries: unknown[] } } =>
  JSON.parse(JSON.stringify(toHar([hlsRecord(1), hlsRecord(2)], analyze([hlsRecord(1), hlsRecord(2)]))));

function entry(url: string, headers: unknown = [{ name: 'Origin', value: 'https://site.test' }]): Record<string, unknown> {
  return {
    startedDateTime: '2026-11-28T11:46:59.402Z',
    time: 5,
    request: { method: 'GET', url, httpVersion: 'http/1.1', headers, cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
    response: { status: 200, statusText: 'OK', httpVersion: 'http/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1 },
    cache: {},
    timings: { send: 0, wait: 4, receive: 1 },
  };
}
const devtoolsHar = (entries: unknown[]): unknown => ({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } });

function errorOf(run: () => unknown): ImportError | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
}

describe('importHar: files that cannot be imported get one clear error', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['empty text', '', 'not-json', /not valid JSON/],
    ['truncated JSON', JSON.stringify(validHar()).slice(0, 200), 'not-json', /truncated/],
    ['a JSON array', '[]', 'not-har', /no "log"/],
    ['null', 'null', 'not-har', /no "log"/],
    ['log without entries', '{"log":{"version":"1.2"}}', 'not-har', /no "entries"/],
    ['entries not a list', '{"log":{"entries":{}}}', 'not-har', /no "entries"/],
    ['HAR 2.0', '{"log":{"version":"2.0","entries":[]}}', 'unsupported-version', /HAR 1\.x/],
    ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'not-utf8', /UTF-8/],
    // V8's JSON.parse is not recursive: deep nesting parses, and is then simply not a HAR.
    ['deep nesting', '['.repeat(200_000) + ']'.repeat(200_000), 'not-har', /no "log"/],
  ];
  test.each(cases)('%s', (_name, input, code, message) => {
    const error = errorOf(() => importHar(input));
    expect(error).toBeInstanceOf(HarImportError);
    expect(error!.code).toBe(code);
    expect(error!.message).toMatch(message);
  });

  test('size and entry limits', () => {
    const text = JSON.stringify(validHar());
    expect(errorOf(() => importHar(text, { maxChars: 100 }))?.code).toBe('too-large');
    expect(errorOf(() => importHar(new TextEncoder().encode(text), { maxChars: 100 }))?.code).toBe('too-large');
    expect(errorOf(() => importHar(text, { maxEntries: 1 }))?.message).toMatch(/has 2 entries; the limit is 1/);
    expect(importHar(text, { maxEntries: 2 }).records).toHaveLength(2);
  });

  test('a BOM and byte input are accepted', () => {
    const text = JSON.stringify(validHar());
    expect(importHar(`\uFEFF${text}`).records).toHaveLength(2);
    expect(importHar(new TextEncoder().encode(text).buffer).records).toHaveLength(2);
  });

  test('exotic objects (a throwing getter) end as HarImportError, not TypeError', () => {
    const hostile = { get log(): never { throw new TypeError('boom'); } };
    expect(errorOf(() => importHar(hostile))).toBeInstanceOf(HarImportError);
    expect(errorOf(() => recordsFromHar(undefined))).toBeInstanceOf(HarImportError);
  });
});

describe('importHar: one bad entry never costs the good ones', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', 42, /not an object/],
    ['no request', { ...entry('https://a.test/x.ts'), request: undefined }, /no request/],
    ['no URL', entry(''), /no URL/],
    ['method with a newline', { ...entry('https://a.test/x.ts'), request: { ...(entry('https://a.test/x.ts').request as object), method: 'GET\r\nX: y' } }, /method/],
    ['header value not text', entry('https://a.test/x.ts', [{ name: 'origin', value: 7 }]), /header/],
    ['too many headers', entry('https://a.test/x.ts', Array.from({ length: 1001 }, (_, i) => ({ name: `x-${i}`, value: 'v' }))), /1001 request headers \(limit 1000\)/],
    ['giant header', entry('https://a.test/x.ts', [{ name: 'x-big', value: 'a'.repeat(300 * 1024) }]), /KiB/],
    ['URL over 2 MiB', entry(`https://a.test/${'a'.repeat(2 * 1024 * 1024)}`), /2 MiB/],
    ['no date', { ...entry('https://a.test/x.ts'), startedDateTime: 'yesterday' }, /startedDateTime/],
  ];
  test.each(bad)('%s', (_name, badEntry, reason) => {
    const result = importHar(devtoolsHar([entry('https://a.test/1.ts'), badEntry, entry('https://a.test/2.ts')]));
    expect(result.records.map((record) => record.url)).toEqual(['https://a.test/1.ts', 'https://a.test/2.ts']);
    expect(result.skipped).toBe(1);
    expect(result.warnings[0]).toMatch(/^Entry 2 was skipped: it /);
    expect(result.warnings[0]).toMatch(reason);
  });

  test('repeated and oddly cased headers are kept, names lower-cased, values untouched', () => {
    const [record] = recordsFromHar(devtoolsHar([entry('https://a.test/x.m3u8', [
      { name: '  ORIGIN ', value: ' https://site.test ' },
      { name: 'X-Dup', value: 'a' },
      { name: 'x-dup', value: 'b' },
    ])]));
    expect(record!.requestHeaders).toEqual([['origin', ' https://site.test '], ['x-dup', 'a'], ['x-dup', 'b']]);
    expect(record!.pageOrigin).toBe('https://site.test');
  });

  test('data:, blob: and other schemes import as non-media records', () => {
    const records = recordsFromHar(devtoolsHar([entry('data:video/mp2t;base64,AAAA'), entry('blob:https://site.test/1234'), entry('chrome-extension://abc/x.ts')]));
    expect(records.map((record) => record.media.kind)).toEqual(['other', 'other', 'other']);
  });

  test('warnings stay bounded while the skipped count stays exact', () => {
    const result = importHar(devtoolsHar(Array.from({ length: 500 }, () => 1)));
    expect(result.skipped).toBe(500);
    expect(result.warnings.length).toBeLessThanOrEqual(21);
    expect(result.warnings.at(-1)).toMatch(/480 more/);
  });

  test('a redirect whose target is not in the file stays a record of its own', () => {
    const hop = entry('https://a.test/old.ts');
    (hop['response'] as Record<string, unknown>)['status'] = 302;
    (hop['response'] as Record<string, unknown>)['redirectURL'] = '/new.ts';
    const result = importHar(devtoolsHar([hop, entry('https://a.test/other.ts')]));
    expect(result.records.map((record) => [record.url, record.status])).toEqual([['https://a.test/old.ts', 302], ['https://a.test/other.ts', 200]]);
    expect(result.warnings.join(' ')).toMatch(/redirect chain/);
  });

  test('duplicate CORS Lens record ids are renamed, not merged', () => {
    const har = validHar();
    (har.log.entries[1] as { _corsLens: { recordId: string } })._corsLens.recordId = '10001';
    const records = recordsFromHar(har);
    expect(records.map((record) => record.id)).toEqual(['10001', '10001#2']);
  });
});

describe('importJson', () => {
  const exportText = (): string => JSON.stringify(toJsonExport({ records: [hlsRecord(1), hlsRecord(2)], report: analyze([hlsRecord(1), hlsRecord(2)]), pageUrl: null, exportedAt: '2026-11-28T10:00:00.000Z', redact: false }));

  test('reads an export back into the same records', () => {
    const result = importJson(exportText());
    expect(result.records).toEqual([hlsRecord(1), hlsRecord(2)]);
    expect(result).toMatchObject({ skipped: 0, schemaVersion: 1, exportedAt: '2026-11-28T10:00:00.000Z', redacted: false });
  });

  const cases: Array<[string, string, string]> = [
    ['truncated', exportText().slice(0, -10), 'not-json'],
    ['a HAR file', JSON.stringify(validHar()), 'not-cors-lens'],
    ['no schemaVersion', '{"tool":"cors-lens","records":[]}', 'not-cors-lens'],
    ['newer schema', '{"tool":"cors-lens","schemaVersion":99,"records":[]}', 'unsupported-version'],
    ['records not a list', '{"tool":"cors-lens","schemaVersion":1,"records":"x"}', 'not-cors-lens'],
  ];
  test.each(cases)('%s → JsonImportError %s', (_name, text, code) => {
    const error = errorOf(() => importJson(text));
    expect(error).toBeInstanceOf(JsonImportError);
    expect(error!.code).toBe(code);
  });

  test('bad records are skipped and counted', () => {
    const file = JSON.parse(exportText()) as { records: unknown[] };
    file.records.splice(1, 0, { id: 'x', method: 'GET' }, 'nope', { ...hlsRecord(3), requestHeaders: [[1, 2]] }, { ...hlsRecord(1) });
    const result = importJson(JSON.stringify(file));
    expect(result.records.map((record) => record.id)).toEqual(['10001', '10002']);
    expect(result.skipped).toBe(4);
    expect(result.warnings.join('\n')).toMatch(/Record 2 was skipped: it has no URL/);
    expect(result.warnings.join('\n')).toMatch(/repeats the id/);
  });
});

/** Strings the way hostile files spell them: control characters, lone surrogates, odd schemes. */
const nastyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('data:video/mp2t;base64,AAAA', 'blob:https://x.test/1', 'javascript:alert(1)', '\uD800', 'https://a.test/\uDC00.ts', '=cmd|x', '', ' ', 'null', '__proto__', 'constructor'),
);
const nastyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, nastyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(nastyString, tie('value'), { maxKeys: 4 })),
})).value;

/** A structurally valid entry whose every leaf may be replaced by something hostile. */
const mutatedEntry = fc.record({
  url: fc.oneof(nastyString, fc.webUrl()),
  method: fc.oneof(fc.constantFrom('GET', 'OPTIONS', 'get'), nastyString),
  status: fc.oneof(fc.integer({ min: -5, max: 1200 }), nastyJson),
  headers: fc.oneof(fc.array(fc.record({ name: nastyString, value: nastyString }), { maxLength: 6 }), nastyJson),
  extra: fc.dictionary(fc.constantFrom('_initiator', '_fromCache', '_resourceType', '_corsLens', 'pageref', 'timings', 'cache', 'serverIPAddress'), nastyJson),
}).map(({ url, method, status, headers, extra }) => {
  const base = entry(typeof url === 'string' ? url : 'https://a.test/x.ts', headers);
  (base['request'] as Record<string, unknown>)['method'] = method;
  (base['response'] as Record<string, unknown>)['status'] = status;
  return { ...base, ...extra };
});

describe('properties: hostile input has a clear outcome, never an unexpected exception', () => {
  test('importHar on arbitrary JSON values and text', () => {
    fc.assert(
      fc.property(fc.oneof(nastyJson, nastyString, fc.json()), (input) => {
        try {
          const result = importHar(input);
          expect(result.records.length + result.skipped).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(error).toBeInstanceOf(HarImportError);
          expect((error as Error).message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('importHar on mutated entries: every entry is a record or counted as skipped, and the result analyses', () => {
    fc.assert(
      fc.property(fc.array(mutatedEntry, { maxLength: 8 }), fc.constantFrom('WebInspector', 'Firefox', 'CORS Lens'), (entries, creator) => {
        const har = { log: { version: '1.2', creator: { name: creator, version: '1' }, entries } };
        const result = importHar(JSON.parse(JSON.stringify(har)));
        // Redirect chains merge entries, so records + skipped can be fewer than entries, never more.
        expect(result.records.length + result.skipped).toBeLessThanOrEqual(entries.length);
        for (const record of result.records) expect(record.requestHeaders?.every(([name]) => name === name.toLowerCase()) ?? true).toBe(true);
        analyze(result.records);
        toHar(result.records, analyze(result.records));
      }),
      { numRuns: 300 },
    );
  });

  test('importJson on arbitrary text, bytes and truncations', () => {
    const valid = JSON.stringify(toJsonExport({ records: [hlsRecord(1)], report: analyze([hlsRecord(1)]), pageUrl: null, exportedAt: 'x' }));
    fc.assert(
      fc.property(fc.oneof(nastyString, fc.json(), fc.nat({ max: valid.length }).map((cut) => valid.slice(0, cut)), fc.uint8Array({ maxLength: 64 })), (input) => {
        try {
          importJson(input);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonImportError);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('importJson on records with hostile fields', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.constantFrom('id', 'method', 'url', 'timings', 'status', 'requestHeaders', 'responseHeaders', 'redirects', 'pageOrigin', 'error', 'state'), nastyJson), { maxLength: 6 }), (records) => {
        const result = importJson(JSON.stringify({ tool: 'cors-lens', schemaVersion: 1, records }));
        expect(result.records.length + result.skipped).toBe(records.length);
        analyze(result.records);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the record fields both CORS Lens formats write (writtenRecordFields)', () => {
  const record = { ...hlsRecord(3), tabId: 7, frameId: 2, documentUrl: 'https://player.example.com/watch', retest: true, retestOf: '10001' };
  const jsonOf = (fields: Record<string, unknown>): string => {
    const file = JSON.parse(JSON.stringify(toJsonExport({ records: [record], report: analyze([record]), pageUrl: null, exportedAt: 'x', redact: false }))) as { records: Array<Record<string, unknown>> };
    Object.assign(file.records[0]!, fields);
    return JSON.stringify(file);
  };
  const harOf = (fields: Record<string, unknown>): string => {
    const har = JSON.parse(JSON.stringify(toHar([record], analyze([record]), { redact: false }))) as { log: { entries: Array<{ _corsLens: Record<string, unknown> }> } };
    Object.assign(har.log.entries[0]!._corsLens, fields);
    return JSON.stringify(har);
  };

  test('both importers read them alike', () => {
    const [fromJson] = importJson(jsonOf({})).records;
    const [fromHar] = importHar(harOf({})).records;
    const written = ['browser', 'tabId', 'frameId', 'resourceType', 'pageOrigin', 'documentUrl', 'requestHeadersComplete', 'state', 'statusLine', 'ip', 'timings', 'retest', 'retestOf'] as const;
    for (const name of written) {
      expect(fromJson![name], name).toEqual(record[name]);
      expect(fromHar![name], name).toEqual(record[name]);
    }
  });

  test('a text field that is not text skips a JSON record; in a HAR the entry falls back to its HAR fields', () => {
    for (const name of ['pageOrigin', 'documentUrl', 'statusLine', 'ip'] as const) {
      const json = importJson(jsonOf({ [name]: 42 }));
      expect(json.skipped, name).toBe(1);
      expect(json.warnings[0], name).toBe(`Record 1 was skipped: it has a ${name} that is not text.`);
      const har = importHar(harOf({ [name]: 42 }));
      expect(har.skipped, name).toBe(0);
      expect(har.records[0]![name], name).not.toBe(42);
    }
    // Wrong types elsewhere fall back to the defaults in both.
    const odd = { browser: 'netscape', tabId: 1.5, state: 'asleep', retest: 'yes', retestOf: 7 };
    const [fromJson] = importJson(jsonOf(odd)).records;
    expect(fromJson).toMatchObject({ browser: 'unknown', tabId: 0, state: 'complete' });
    expect(fromJson).not.toHaveProperty('retest');
    expect(fromJson).not.toHaveProperty('retestOf');
    const [fromHar] = importHar(harOf(odd)).records;
    expect(fromHar).toMatchObject({ browser: 'unknown', tabId: 0 });
    expect(fromHar).not.toHaveProperty('retestOf');
  });
});
