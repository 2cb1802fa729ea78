/**
 * The shared reading of a record's headers (record-headers.ts): what the verdict and the rule facts
 * take from it must be exactly what reading each list on its own gives — first line wins for single
 * values, every line of ACAO/ACAC in order, names matched case-insensitively.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { analyze, evaluateCors, exchangeFromRecord, headerValue, headerValues, verdictForRecord } from '../../src/engine/index.ts';
import { corsUnsafeHeaderNames } from '../../src/engine/cors/safelist.ts';
import { sentHeadersOf } from '../../src/engine/cors/sent-headers.ts';
import { ResponseHeaders } from '../../src/engine/cdn/response-headers.ts';
import { readRecordHeaders } from '../../src/engine/record-headers.ts';
import type { HeaderList, RequestRecord } from '../../src/engine/model.ts';
import { makeRecord } from './rules/support/make-record.ts';

const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '*', ' * ', 'true', 'TRUE', 'null', 'https://site.test', ' https://site.test\t', 'https://other.test', 'cors', 'no-cors', 'GET', 'PUT', 'a=b', 'x'.repeat(700)),
);
// Duplicates on purpose (two ACAO lines is its own failure), and names in any letter case: a HAR
// import or a hand-made record need not lower-case them.
const name = fc.constantFrom(
  'origin', 'Origin', 'sec-fetch-mode', 'Sec-Fetch-Mode', 'cookie', 'access-control-request-method', 'Access-Control-Request-Method',
  'access-control-allow-origin', 'Access-Control-Allow-Origin', 'access-control-allow-credentials', 'ACCESS-CONTROL-ALLOW-CREDENTIALS',
  'access-control-allow-methods', 'vary', 'x-cache', 'x-amz-cf-pop', 'age', 'server', 'content-type', 'range', 'accept', 'x-custom', 'authorization',
);
const headerList: fc.Arbitrary<HeaderList> = fc.array(fc.tuple(name, value), { maxLength: 16 });

/** A CORS GET from https://site.test with exactly these header lists (names kept as given). */
function recordWith(requestHeaders: HeaderList | null, responseHeaders: HeaderList | null, ending: 'complete' | 'blocked'): RequestRecord {
  const record = makeRecord({ url: 'https://cdn.test/live/v1/seg1.ts', pageOrigin: 'https://site.test', status: responseHeaders === null ? null : 200 });
  const endedBy = ending === 'blocked' ? { state: 'error' as const, error: 'net::ERR_FAILED' } : {};
  return { ...record, requestHeaders, responseHeaders, ...endedBy };
}

describe('sentHeadersOf', () => {
  test('each value is the first line of its header, and the unsafe names are corsUnsafeHeaderNames', () => {
    fc.assert(
      fc.property(headerList, (headers) => {
        const sent = sentHeadersOf(headers);
        expect(sent.origin).toBe(headerValue(lowerCased(headers), 'origin'));
        expect(sent.secFetchMode).toBe(headerValue(lowerCased(headers), 'sec-fetch-mode'));
        expect(sent.cookie).toBe(headerValue(lowerCased(headers), 'cookie'));
        expect(sent.accessControlRequestMethod).toBe(headerValue(lowerCased(headers), 'access-control-request-method'));
        expect(sent.unsafeHeaderNames).toEqual(corsUnsafeHeaderNames(headers));
      }),
      { numRuns: 2000 },
    );
  });

  test('long safelisted values make their names unsafe, as corsUnsafeHeaderNames says', () => {
    const headers: HeaderList = [['accept', 'a'.repeat(100)], ['Accept-Language', 'en'.repeat(60)], ['range', 'bytes=0-'], ['x-custom', '1']];
    for (let copies = 1; copies <= 12; copies++) {
      const list = Array.from({ length: copies }, () => headers).flat();
      expect(sentHeadersOf(list).unsafeHeaderNames).toEqual(corsUnsafeHeaderNames(list));
    }
    expect(sentHeadersOf(Array.from({ length: 12 }, () => headers).flat()).unsafeHeaderNames).toEqual(['accept', 'accept-language', 'range', 'x-custom']);
  });
});

/** headers.ts lookups take names as the recorder gives them (lower-case). */
function lowerCased(headers: HeaderList): HeaderList {
  return headers.map(([headerName, headerValueText]) => [headerName.toLowerCase(), headerValueText]);
}

describe('ResponseHeaders', () => {
  test('every ACAO and ACAC line, in order, as on the wire', () => {
    fc.assert(
      fc.property(headerList, (headers) => {
        const received = new ResponseHeaders(headers);
        expect(received.allowOrigin).toEqual(headerValues(lowerCased(headers), 'access-control-allow-origin'));
        expect(received.allowCredentials).toEqual(headerValues(lowerCased(headers), 'access-control-allow-credentials'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('verdicts from the shared reading', () => {
  test('analyze and verdictForRecord with a reading give the verdict of the exchange judged afresh', () => {
    fc.assert(
      fc.property(fc.option(headerList, { nil: null }), fc.option(headerList, { nil: null }), fc.constantFrom('complete' as const, 'blocked' as const), (sent, received, ending) => {
        const record = recordWith(sent, received, ending);
        const afresh = evaluateCors(exchangeFromRecord(record));
        expect(verdictForRecord(record, undefined, undefined, readRecordHeaders(record))).toEqual(afresh);
        expect(analyze([record]).verdicts[0]!.verdict).toEqual(afresh);
      }),
      { numRuns: 2000 },
    );
  });

  test('two ACAO lines fail in both browsers, even when the first one alone would pass', () => {
    const record = recordWith(
      [['origin', 'https://site.test'], ['sec-fetch-mode', 'cors']],
      [['Access-Control-Allow-Origin', 'https://site.test'], ['access-control-allow-origin', 'https://site.test']],
      'blocked',
    );
    expect(analyze([record]).verdicts[0]!.verdict).toMatchObject({ outcome: 'fail', chromiumError: 'MultipleAllowOriginValues', firefoxError: 'CORSMultipleAllowOriginNotAllowed' });
  });
});
