/** cacheStatusOf: the cache status cdnFactsOf reads, and nothing more, for callers that show only it. */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { cacheStatusOf, cdnFactsOf, type CacheStatusReading } from '../../../src/engine/cdn/index.ts';
import type { HeaderList } from '../../../src/engine/model.ts';
import { SCENARIOS } from '../scenarios/scenarios.ts';

/** What cdnFactsOf says the headers state (its Age inference left out). */
function statedByCdnFacts(headers: HeaderList | null): { status: string; evidence: { name: string; value: string } } | null {
  const facts = cdnFactsOf(headers);
  if (facts.cacheStatus === null || facts.cacheStatusEvidence === null || facts.cacheStatusEvidence.name === 'age') return null;
  return { status: facts.cacheStatus, evidence: facts.cacheStatusEvidence };
}

/** The status and evidence of a reading (cdnFactsOf keeps the vendor apart, as `vendor`). */
function withoutVendor(reading: CacheStatusReading | null): Omit<CacheStatusReading, 'vendorId'> | null {
  return reading === null ? null : { status: reading.status, evidence: reading.evidence };
}

describe('cacheStatusOf', () => {
  test('states what the vendor’s cache-status header says, and which header', () => {
    expect(cacheStatusOf([['x-cache', 'Hit from cloudfront'], ['x-amz-cf-pop', 'ICN80-P3'], ['x-amz-cf-id', 'abc']])).toEqual({
      status: 'HIT',
      evidence: { name: 'x-cache', value: 'Hit from cloudfront' },
      vendorId: 'cloudfront',
    });
    expect(cacheStatusOf([['cf-ray', '8c1d2e3f4a5b6c7d-ICN'], ['cf-cache-status', ' MISS ']])).toEqual({
      status: 'MISS',
      evidence: { name: 'cf-cache-status', value: 'MISS' },
      vendorId: 'cloudflare',
    });
  });

  test('a hit cdnFactsOf infers from Age alone is not a stated status', () => {
    expect(cdnFactsOf([['age', '30']]).cacheStatus).toBe('HIT');
    expect(cacheStatusOf([['age', '30']])).toBeNull();
    expect(cacheStatusOf(null)).toBeNull();
    expect(cacheStatusOf([])).toBeNull();
  });

  test('agrees with cdnFactsOf on every response of the scenarios', () => {
    let stated = 0;
    for (const scenario of SCENARIOS) {
      for (const record of scenario.records) {
        expect(withoutVendor(cacheStatusOf(record.responseHeaders)), record.url).toEqual(statedByCdnFacts(record.responseHeaders));
        if (cacheStatusOf(record.responseHeaders) !== null) stated++;
      }
    }
    expect(stated).toBeGreaterThan(10);
  });

  test('agrees with cdnFactsOf on any mix of cache, vendor and other headers', () => {
    const name = fc.constantFrom('x-cache', 'cf-cache-status', 'cache-status', 'x-cache-status', 'cdn-cache', 'x-served-by', 'server', 'via', 'x-amz-cf-id', 'x-amz-cf-pop', 'cf-ray', 'age', 'x-vercel-cache', 'x-nf-request-id', 'X-Cache');
    const value = fc.oneof(fc.constantFrom('HIT', 'MISS', 'Hit from cloudfront', 'Miss from cloudfront', 'RefreshHit from cloudfront', 'cloudflare', 'STALE', 'EXPIRED', 'BYPASS', 'cache-icn1-ICN', '"Netlify Edge"; hit', 'TCP_HIT', '1.1 varnish', '30'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), (headers) => {
        expect(withoutVendor(cacheStatusOf(headers))).toEqual(statedByCdnFacts(headers));
      }),
    );
  });
});
