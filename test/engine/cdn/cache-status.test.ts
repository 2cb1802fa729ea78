/** cacheStatusOf: the cache status cdnFactsOf reads, and nothing more, for callers that show only it. */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { cacheStatusLabel, cacheStatusOf, cdnFactsOf, type CacheStatusReading } from '../../../src/engine/cdn/index.ts';
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

describe('a copy stored in a tier behind the cache that answered', () => {
  const statusOf = (headers: HeaderList) => cacheStatusOf(headers)?.status ?? null;

  test('RFC 9211: an edge that forwarded to a shield that had the copy serves the shield’s stored copy', () => {
    expect(statusOf([['cache-status', 'Shield; hit, Edge; fwd=uri-miss; stored']])).toBe('HIT_REGIONAL');
    expect(cdnFactsOf([['cache-status', 'Shield; hit, Edge; fwd=uri-miss; stored']]).servedFromCache).toBe(true);
    // Through every cache that forwarded it, however many.
    expect(statusOf([['cache-status', 'Shield; hit, Mid; fwd=miss, Edge; fwd=bypass']])).toBe('HIT_REGIONAL');
    // The list shows the cache whose copy it is.
    expect(cacheStatusLabel(cacheStatusOf([['cache-status', 'Shield; hit; ttl=20, Edge; fwd=uri-miss']])!)).toBe('Shield; hit; ttl=20');
  });

  test('RFC 9211: no tier had it, a tier between says nothing, or the edge revalidated its own copy', () => {
    expect(statusOf([['cache-status', 'Shield; fwd=uri-miss, Edge; fwd=uri-miss']])).toBe('MISS');
    expect(statusOf([['cache-status', 'Shield; hit, Mid; stored, Edge; fwd=miss']])).toBe('MISS');
    expect(statusOf([['cache-status', 'Shield; hit, Edge; fwd=stale; fwd-status=304']])).toBe('REVALIDATED');
    expect(statusOf([['cache-status', 'Shield; fwd=miss, Edge; hit']])).toBe('HIT');
    expect(statusOf([['cache-status', 'Shield; hit; ttl=-5, Edge; fwd=uri-miss']])).toBe('STALE');
  });

  test('Akamai: a child that missed and a parent that had it (the parent part of Akamai-Cache-Status)', () => {
    expect(statusOf([['akamai-cache-status', 'Miss from child, Hit from parent']])).toBe('HIT_REGIONAL');
    expect(statusOf([['akamai-cache-status', 'Miss from child, Miss from parent']])).toBe('MISS');
    expect(statusOf([['akamai-cache-status', 'Hit from child']])).toBe('HIT');
    expect(statusOf([['akamai-cache-status', 'Hit from child, Miss from parent']])).toBe('HIT');
  });

  test('Cloud CDN: the custom header of its own example, Cache-Status: {cdn_cache_status}', () => {
    expect(statusOf([['via', '1.1 google'], ['cache-status', 'hit']])).toBe('HIT');
    expect(statusOf([['via', '1.1 google'], ['cache-status', 'miss']])).toBe('MISS');
    expect(statusOf([['via', '1.1 google'], ['cache-status', 'uncacheable']])).toBe('BYPASS');
    // An RFC 9211 value behind Cloud CDN is still read as one.
    expect(statusOf([['via', '1.1 google'], ['cache-status', 'Edge; fwd=uri-miss']])).toBe('MISS');
    // Without a vendor identified, a bare status word still says something, as a bare X-Cache: HIT does:
    // read by the vendors' patterns, counted as generic.
    expect(cacheStatusOf([['cache-status', 'hit']])).toMatchObject({ status: 'HIT', vendorId: null });
  });
});
