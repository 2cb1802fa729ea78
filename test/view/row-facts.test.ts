import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/engine/index.ts';
import type { CorsVerdict } from '../../src/engine/model.ts';
import { packRows, rowFactsOf, unpackRows, verdictKeyOf } from '../../src/view/row-facts.ts';
import { workloadRecords } from '../../scripts/bench/workload.ts';
import { makeRecord } from '../engine/rules/support/make-record.ts';

const PASS: CorsVerdict = { outcome: 'pass', needsPreflight: false, explanation: '' };
const cacheStatusOf = (responseHeaders: Record<string, string>) => rowFactsOf(makeRecord({ url: 'https://cdn.test/v/seg1.ts', responseHeaders }), PASS, 0).cacheStatus;

describe('row facts', () => {
  test('the cache status as the CDN worded it, when its header names the status', () => {
    expect(cacheStatusOf({ 'x-cache': 'Hit from cloudfront', via: '1.1 abc.cloudfront.net (CloudFront)', 'x-amz-cf-pop': 'ICN80-P3' })).toBe('Hit from cloudfront');
    expect(cacheStatusOf({ 'cf-cache-status': 'HIT', 'cf-ray': '8f1a2b3c4d5e6f70-ICN' })).toBe('HIT');
    expect(cacheStatusOf({ 'x-vercel-cache': 'MISS', 'x-vercel-id': 'icn1::abcd-1745556000000-0123456789ab' })).toBe('MISS');
    expect(cacheStatusOf({ 'cdn-cache': 'HIT', server: 'BunnyCDN-DE1-1234', 'cdn-pullzone': '123456' })).toBe('HIT');
  });

  test('every vendor’s status reads as a status: a Varnish hit is "Varnish HIT" (not its transaction ids), RFC 9211 shows the answering cache, nginx its own word', () => {
    expect(cacheStatusOf({ 'x-varnish': '98306 32771', via: '1.1 varnish (Varnish/7.1)', age: '1' })).toBe('Varnish HIT');
    expect(cacheStatusOf({ 'x-varnish': '98309', via: '1.1 varnish (Varnish/7.1)', age: '0' })).toBe('Varnish MISS');
    expect(cacheStatusOf({ 'cache-status': 'Shield; fwd=uri-miss; stored, "Edge"; hit; ttl=30' })).toBe('"Edge"; hit; ttl=30');
    expect(cacheStatusOf({ server: 'nginx/1.22.1', 'x-cache-status': 'EXPIRED' })).toBe('EXPIRED');
    expect(cacheStatusOf({ 'x-served-by': 'cache-icn1-ICN', 'x-cache': 'MISS, HIT' })).toBe('MISS, HIT');
  });

  test('no cache status when the response names none; an Age alone stays the age', () => {
    const facts = rowFactsOf(makeRecord({ url: 'https://cdn.test/v/seg1.ts', responseHeaders: { age: '42' } }), PASS, 0);
    expect(facts).toMatchObject({ cacheStatus: null, age: '42' });
    expect(cacheStatusOf({ 'content-type': 'video/mp2t' })).toBeNull();
  });
});

describe('packed rows', () => {
  test('unpack gives back the row facts packed', () => {
    const records = workloadRecords(400, 5);
    const report = analyze(records);
    const rows = records.map((record, index) => rowFactsOf({ ...record, retest: index % 7 === 0, retestOf: index % 7 === 0 ? '1' : undefined }, report.verdicts[index]!.verdict, index + 3));
    expect(unpackRows(JSON.parse(JSON.stringify(packRows(rows))))).toEqual(rows);
  });
});

describe('verdict keys', () => {
  const base: CorsVerdict = { outcome: 'fail', chromiumError: 'MissingAllowOriginHeader', needsPreflight: false, stage: 'response', explanation: 'No ACAO.' };

  test('equal verdicts (fresh objects) have one key; a change in any field gives another', () => {
    expect(verdictKeyOf({ ...base })).toBe(verdictKeyOf(base));
    const variants: CorsVerdict[] = [
      { ...base, outcome: 'unknown' },
      { ...base, chromiumError: 'AllowOriginMismatch' },
      { ...base, firefoxError: 'CORSMissingAllowOrigin' },
      { ...base, failedParameter: '' },
      { ...base, failedParameter: 'https://a.test' },
      { ...base, needsPreflight: true },
      { ...base, cancelled: true },
      { ...base, needsPreflight: true, cancelled: true },
      { ...base, stage: 'preflight' },
      { ...base, stage: undefined },
      { ...base, explanation: 'No ACAO' },
      { ...base, browserDifference: 'Firefox: pass' },
      { ...base, explanationText: { id: 'verdict.pass' } },
      { ...base, explanationText: { id: 'verdict.pass', data: { origin: 'https://a.test' } } },
    ];
    const keys = new Set([verdictKeyOf(base), ...variants.map(verdictKeyOf)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  test('rows that share a verdict by value share one table entry when packed', () => {
    const rows = [0, 1, 2].map((seq) => rowFactsOf(makeRecord({ url: `https://cdn.test/v/seg${seq}.ts` }), { ...base }, seq));
    const packed = packRows(rows);
    expect(packed.verdicts).toHaveLength(1);
    expect(packed.rows.map((row) => row[10])).toEqual([0, 0, 0]);
  });
});
