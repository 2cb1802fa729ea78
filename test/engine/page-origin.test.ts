/**
 * The page origin, defined once (src/engine/page-origin.ts): a request's, a log's with its tie rule,
 * and the same one in the report and in the rules.
 */
import { describe, expect, test } from 'vitest';
import { analyze, pageOriginOf, recordPageOrigin, requestPageOrigin } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import type { Rule } from '../../src/engine/rules/lib/types.ts';
import { runRules } from '../../src/engine/rules/lib/run.ts';
import { makeRecord } from './rules/support/make-record.ts';

const A = 'https://a.example';
const B = 'https://b.example';

/** A media GET from `pageOrigin` (null: the capture names none) that sent `origin`. */
function media(index: number, pageOrigin: string | null, origin: string | null): RequestRecord {
  return makeRecord(
    {
      url: `https://cdn.example/v/seg${index}.ts`,
      pageOrigin,
      requestHeaders: origin === null ? {} : { origin, 'sec-fetch-mode': 'cors' },
      responseHeaders: { 'access-control-allow-origin': '*' },
    },
    index,
  );
}

/** The page origin the rules are given, for records analysed as analyze does. */
function rulesPageOrigin(records: readonly RequestRecord[], options?: { pageOrigin?: string | null }): string | null {
  let seen: string | null | undefined;
  const probe: Rule = {
    meta: { id: 'probe', cause: 'probe', category: 'cors', lookedFor: 'advice', kind: 'advice', severity: 'info', title: '', description: '', messages: {}, requires: [] },
    check(context) {
      seen = context.pageOrigin;
    },
  };
  runRules([probe], records, analyze(records, options).verdicts, options);
  if (seen === undefined) throw new Error('the probe rule did not run');
  return seen;
}

describe('requestPageOrigin', () => {
  test('the origin the capture names wins, serialized', () => {
    expect(requestPageOrigin('https://App.Example:443/page', B, false)).toBe('https://app.example');
    expect(requestPageOrigin('null', B, false)).toBe('null');
  });

  test('else the Origin the browser sent, serialized', () => {
    expect(requestPageOrigin(null, ` ${A} `, false)).toBe(A);
    expect(requestPageOrigin(null, 'HTTPS://A.EXAMPLE:443', true)).toBe(A);
  });

  test('Origin: null means an opaque page unless a redirect may have preceded', () => {
    expect(requestPageOrigin(null, 'null', false)).toBe('null');
    expect(requestPageOrigin(null, 'null', true)).toBeNull();
  });

  test('no Origin, an empty one or one that is no URL says nothing', () => {
    expect(requestPageOrigin(null, null, false)).toBeNull();
    expect(requestPageOrigin(null, '  ', false)).toBeNull();
    expect(requestPageOrigin(null, 'not an origin', false)).toBeNull();
  });

  test('recordPageOrigin reads the record: a redirected record ignores Origin: null', () => {
    const redirected: RequestRecord = { ...media(1, null, 'null'), redirects: [{ url: 'https://x.example/a', status: 302, redirectUrl: 'https://cdn.example/v/seg1.ts', headers: [] }] };
    expect(recordPageOrigin(media(1, null, 'null'))).toBe('null');
    expect(recordPageOrigin(redirected)).toBeNull();
    expect(recordPageOrigin(media(1, null, A))).toBe(A);
  });
});

describe('a log’s page origin', () => {
  test('the one most records name', () => {
    const records = [media(0, A, A), media(1, B, B), media(2, B, B)];
    expect(pageOriginOf(records)).toBe(B);
    expect(analyze(records).pageOrigin).toBe(B);
  });

  test('on a tie, the one named first in the log — in the report and in the rules', () => {
    // A is named first; B is the first to reach two.
    const records = [media(0, A, A), media(1, B, B), media(2, B, B), media(3, A, A)];
    expect(pageOriginOf(records)).toBe(A);
    expect(analyze(records).pageOrigin).toBe(A);
    expect(rulesPageOrigin(records)).toBe(A);
  });

  test('records without a captured page origin count by their Origin — in the report and in the rules', () => {
    const records = [media(0, null, A), media(1, null, A), media(2, null, null)];
    expect(pageOriginOf(records)).toBe(A);
    expect(analyze(records).pageOrigin).toBe(A);
    expect(rulesPageOrigin(records)).toBe(A);
  });

  test('options.pageOrigin is the log’s page origin wherever it is read', () => {
    const records = [media(0, A, A), media(1, A, A)];
    expect(pageOriginOf(records, { pageOrigin: B })).toBe(B);
    expect(analyze(records, { pageOrigin: B }).pageOrigin).toBe(B);
    expect(rulesPageOrigin(records, { pageOrigin: B })).toBe(B);
  });

  test('null when no record names one', () => {
    const records = [media(0, null, null), media(1, null, null)];
    expect(pageOriginOf(records)).toBeNull();
    expect(analyze(records).pageOrigin).toBeNull();
    expect(rulesPageOrigin(records)).toBeNull();
  });
});
