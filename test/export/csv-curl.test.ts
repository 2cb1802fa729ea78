import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { analyze } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { CSV_COLUMNS, PLACEHOLDER_ORIGIN, csvCell, curlFor, toCsv } from '../../src/export/index.ts';
import { PAGE_ORIGIN, hlsRecord, redirectedRecord } from './records.ts';

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += char;
  }
  return rows;
}

describe('toCsv', () => {
  test('one row per record with verdict, CDN facts and causes', () => {
    const records = [hlsRecord(0), hlsRecord(1), hlsRecord(7)];
    const rows = parseCsv(toCsv(records, analyze(records)));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    const byColumn = (row: string[]): Record<string, string> => Object.fromEntries(CSV_COLUMNS.map((name, index) => [name, row[index]!]));
    const poisoned = byColumn(rows[1]!);
    expect(poisoned).toMatchObject({ method: 'GET', file: 'index.m3u8', kind: records[0]!.media.kind, status: '200', 'origin sent': PAGE_ORIGIN, 'access-control-allow-origin': '', 'cache status': 'HIT', age: '0', pop: 'ICN', verdict: 'fail', 'chromium error': 'MissingAllowOriginHeader', causes: 'cdn-cache-poisoned' });
    expect(poisoned.time).toBe(new Date(hlsRecord(0).timings.start).toISOString());
    expect(byColumn(rows[2]!)).toMatchObject({ 'access-control-allow-origin': '*', 'cache status': 'MISS', verdict: 'pass', causes: '' });
  });

  test('a request the page cancelled before any check says "cancelled", not "not-applicable"', () => {
    // The poisoned playlist's headers would fail; the page cancelled it before Chromium's check.
    const cancelled: RequestRecord = { ...hlsRecord(0), state: 'error', error: 'net::ERR_ABORTED' };
    const records = [cancelled, hlsRecord(1)];
    const report = analyze(records);
    expect(report.verdicts[0]!.verdict).toMatchObject({ outcome: 'not-applicable', cancelled: true });
    const rows = parseCsv(toCsv(records, report));
    const verdictColumn = CSV_COLUMNS.indexOf('verdict');
    expect(rows.slice(1).map((row) => row[verdictColumn])).toEqual(['cancelled', 'pass']);
  });

  test('redacted by default, opt-out keeps the signed URL', () => {
    const records = [hlsRecord(0)];
    expect(toCsv(records, analyze(records))).not.toContain('Zm9v~bar');
    expect(toCsv(records, analyze(records), { redact: false })).toContain('Zm9v~bar');
  });

  test.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['plain', 'plain'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
  ])('cell %j → %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  test('property: any header values give rows that parse back to one row per record, none starting a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 5 }), (values) => {
        const records = values.map((value, index) => hlsRecord(index + 1, { requestHeaders: [['origin', value]], responseHeaders: [['access-control-allow-origin', value], ['x-amz-cf-pop', value]] }));
        const rows = parseCsv(toCsv(records, analyze(records)));
        expect(rows).toHaveLength(records.length + 1);
        for (const row of rows.slice(1)) {
          expect(row).toHaveLength(CSV_COLUMNS.length);
          for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Runs the line through a real POSIX shell's word splitting and returns the argv curl would get. */
function argvOf(line: string): string[] {
  const printed = execFileSync('sh', ['-c', `printf '%s\\0' ${line.replace(/^curl /, '')}`], { encoding: 'utf8' });
  return ['curl', ...printed.split('\0').slice(0, -1)];
}

describe('curlFor', () => {
  test('GET with the page Origin, headers printed, no body, credentials left out', () => {
    const record = hlsRecord(3, { requestHeaders: [['origin', PAGE_ORIGIN], ['range', 'bytes=0-99'], ['cookie', 'a=b'], ['authorization', 'Bearer x'], ['sec-fetch-mode', 'cors'], ['user-agent', 'UA']] });
    const line = curlFor(record)!;
    expect(line).not.toContain('\n');
    expect(argvOf(line)).toEqual(['curl', '-sS', '-D', '-', '-o', '/dev/null', '-H', `Origin: ${PAGE_ORIGIN}`, '-H', 'range: bytes=0-99', record.url]);
    // Sent only when asked for, and then redacted unless keep secrets is ticked.
    expect(argvOf(curlFor(record, { includeCredentials: true })!)).toContain('cookie: [redacted]');
    expect(argvOf(curlFor(record, { includeCredentials: true, keepSecrets: true })!)).toContain('cookie: a=b');
  });

  test('preflight: OPTIONS with Access-Control-Request-Method and -Headers', () => {
    const record = hlsRecord(3, { method: 'GET', requestHeaders: [['origin', PAGE_ORIGIN], ['x-player-session', 's1'], ['range', 'bytes=-500']] });
    expect(argvOf(curlFor(record, { preflight: true })!)).toEqual([
      'curl', '-sS', '-D', '-', '-o', '/dev/null', '-X', 'OPTIONS',
      '-H', `Origin: ${PAGE_ORIGIN}`, '-H', 'Access-Control-Request-Method: GET', '-H', 'Access-Control-Request-Headers: range,x-player-session', record.url,
    ]);
  });

  test('redirected records start at the first URL and follow; HEAD uses -I; unknown origin gets a placeholder', () => {
    const argv = argvOf(curlFor(redirectedRecord(), { keepSecrets: true })!);
    expect(argv).toContain('-L');
    expect(argv.at(-1)).toBe('https://player.example.com/go/seg1.ts?token=abc123');
    expect(argvOf(curlFor(redirectedRecord())!).at(-1)).toBe('https://player.example.com/go/seg1.ts?token=%5Bredacted%5D');
    expect(argvOf(curlFor(hlsRecord(2, { method: 'HEAD', pageOrigin: null, requestHeaders: [] }))!)).toEqual(['curl', '-sS', '-D', '-', '-o', '/dev/null', '-I', '-H', `Origin: ${PLACEHOLDER_ORIGIN}`, hlsRecord(2).url]);
  });

  test('non-http URLs have no curl line', () => {
    for (const url of ['data:video/mp2t;base64,AAAA', 'blob:https://site.test/1', 'not a url', 'chrome-extension://x/y.ts']) expect(curlFor(hlsRecord(1, { url }))).toBeNull();
  });

  test('a method that is not a token (no browser sends one) gives no curl line', () => {
    expect(curlFor(hlsRecord(1, { method: 'GET /x HTTP/1.1\r\nX: y' }))).toBeNull();
    expect(curlFor(hlsRecord(1, { method: 'GET;id' }))).toBeNull();
  });

  test('a signed URL reads naturally: single-quoted, no backslash escapes', () => {
    const record = hlsRecord(50);
    expect(record.url).toContain('?Policy=');
    const line = curlFor(record, { keepSecrets: true })!;
    expect(line).toBe(`curl -sS -D - -o /dev/null -H 'Origin: ${PAGE_ORIGIN}' -H 'referer: ${PAGE_ORIGIN}/' -H 'accept: */*' -H 'accept-language: en-US,en;q=0.9' '${record.url}'`);
    expect(line).not.toContain('\\');
    // By default (keep secrets not ticked) the copied line carries no signature.
    const signature = new URL(record.url).searchParams.get('Signature')!;
    expect(signature.length).toBeGreaterThan(4);
    expect(curlFor(record)).not.toContain(signature);
    expect(curlFor(record)).toContain('Signature=%5Bredacted%5D');
  });

  test('a header whose name is not a token is left out; values lose control characters', () => {
    const record = hlsRecord(1, { requestHeaders: [['x-a\nx-injected', 'v'], ['x;id', 'v'], ['x y', 'v'], ['x-ok', 'a\u0085b\r\nc\u2028d']] });
    const argv = argvOf(curlFor(record)!);
    expect(argv).toEqual(['curl', '-sS', '-D', '-', '-o', '/dev/null', '-H', `Origin: ${PAGE_ORIGIN}`, '-H', 'x-ok: abcd', record.url]);
  });

  test('property: hostile URLs, origins, header names and values stay one line, each in one argument', () => {
    const text = fc.string({ unit: 'binary', maxLength: 25 });
    const origin = fc.oneof(text, fc.webUrl(), fc.constantFrom('null', 'https://a.test;id', "https://a'b.test", 'https://a.test/$(id)'));
    const name = fc.oneof(fc.constantFrom('x-custom', 'x-a\nb', 'x;id', '$(id)', 'x`id`'), text);
    const isToken = (value: string): boolean => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value);
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), origin, name, text, (url, pageOrigin, headerName, headerValue) => {
        const lowerName = headerName.toLowerCase();
        const record: RequestRecord = hlsRecord(1, { url, pageOrigin, requestHeaders: [[lowerName, headerValue]] });
        // Quoting is what is checked here; redaction of the same lines is in redaction-property.test.ts.
        const line = curlFor(record, { keepSecrets: true });
        expect(line).not.toBeNull();
        expect(line).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
        const argv = argvOf(line!);
        // The Origin sent is the page's, serialized, or null, or the placeholder: never text that is no origin.
        const sentOrigin = argv[argv.indexOf('-H') + 1]!.replace(/^Origin: /, '');
        if (sentOrigin !== PLACEHOLDER_ORIGIN && sentOrigin !== 'null') expect(sentOrigin).toBe(new URL(pageOrigin.trim()).origin);
        const clean = (value: string): string => value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').trim(); // eslint-disable-line no-control-regex
        if (lowerName === 'x-custom') expect(argv).toContain(`x-custom: ${clean(headerValue)}`);
        if (!isToken(lowerName)) expect(argv.some((arg) => arg.startsWith(`${lowerName}:`))).toBe(false);
        // Exactly the arguments built: options, Origin, the header when sent, the URL; nothing split off.
        expect(argv).toHaveLength(9 + (argv.includes(`${lowerName}: ${clean(headerValue)}`) ? 2 : 0));
        expect(argv.at(-1)).toBe(new URL(url).href.replace(/#.*$/, ''));
      }),
      { numRuns: 200 },
    );
  });
});
