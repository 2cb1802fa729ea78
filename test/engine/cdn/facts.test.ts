import { describe, expect, test } from 'vitest';
import signatures from '../../../src/engine/cdn/signatures.json' with { type: 'json' };
import { VARY_ORIGIN_HANDLING, VENDORS, cdnFactsOf, headerNamesOf } from '../../../src/engine/cdn/index.ts';
import type { HeaderList } from '../../../src/engine/model.ts';

const headers = (record: Record<string, string>): HeaderList => Object.entries(record);

describe('signature data', () => {
  test('every vendor of the JSON is compiled and has a Vary interpretation', () => {
    expect(VENDORS.map((vendor) => vendor.id)).toEqual(signatures.map((vendor) => vendor.id));
    expect(Object.keys(VARY_ORIGIN_HANDLING).sort()).toEqual(signatures.map((vendor) => vendor.id).sort());
  });

  test.each([
    ['x-cache', ['x-cache']],
    ['x-cache-status | x-cache | x-proxy-cache (operator-defined)', ['x-cache-status', 'x-cache', 'x-proxy-cache']],
    ['<custom, e.g. x-cache-status / cdn-cache-status>', ['x-cache-status', 'cdn-cache-status']],
    ['<custom, {cdn_cache_id}>', []],
  ])('header names of %j', (field, expected) => {
    expect(headerNamesOf(field)).toEqual(expected);
  });
});

describe('cdnFactsOf', () => {
  test.each([
    ['CloudFront Hit', { 'x-cache': 'Hit from cloudfront', 'x-amz-cf-pop': 'ICN80-P3', via: '1.1 abc.cloudfront.net (CloudFront)', age: '5200' }, 'cloudfront', 'HIT', 'ICN', true],
    ['CloudFront RefreshHit', { 'x-cache': 'RefreshHit from cloudfront', 'x-amz-cf-pop': 'SEA19-C1' }, 'cloudfront', 'REVALIDATED', 'SEA', true],
    ['CloudFront Error', { 'x-cache': 'Error from cloudfront', 'x-amz-cf-id': 'x' }, 'cloudfront', 'ERROR', null, null],
    ['Cloudflare DYNAMIC', { 'cf-cache-status': 'DYNAMIC', 'cf-ray': '230b030023ae2822-SJC' }, 'cloudflare', 'DYNAMIC', 'SJC', false],
    ['Cloudflare EXPIRED', { 'cf-cache-status': 'EXPIRED', 'cf-ray': '230b030023ae2822-SJC' }, 'cloudflare', 'EXPIRED', 'SJC', false],
    ['Fastly shielded MISS, HIT', { 'x-served-by': 'cache-jfk1041-JFK, cache-ord1720-ORD', 'x-cache': 'MISS, HIT' }, 'fastly', 'HIT', 'ORD', true],
    ['Akamai negative hit', { 'x-cache': 'TCP_NEGATIVE_HIT from a23-1-2-3.deploy.akamaitechnologies.com (AkamaiGHost/1)', server: 'AkamaiGHost' }, 'akamai', 'HIT_NEGATIVE', 'a23-1-2-3', true],
    ['Akamai stale', { 'akamai-cache-status': 'HitStale from child', server: 'AkamaiGHost' }, 'akamai', 'STALE', null, true],
    ['Azure regional hit', { 'x-azure-ref': '0abc', 'x-cache': 'TCP_REMOTE_HIT' }, 'azure-front-door', 'HIT_REGIONAL', null, true],
    ['Bunny', { server: 'BunnyCDN-DE1-123', 'cdn-cache': 'MISS' }, 'bunny', 'MISS', 'DE1', false],
    ['Vercel', { 'x-vercel-id': 'fra1::iad1::abc', 'x-vercel-cache': 'STALE' }, 'vercel', 'STALE', 'fra1', true],
    ['Netlify', { server: 'Netlify', 'cache-status': '"Netlify Edge"; hit' }, 'netlify', 'HIT', null, true],
    ['Varnish hit', { 'x-varnish': '123 456', via: '1.1 varnish' }, 'varnish', 'HIT', null, true],
    ['nginx bypass', { server: 'nginx', 'x-cache-status': 'BYPASS' }, 'nginx-proxy-cache', 'BYPASS', null, false],
    ['unknown vendor, Age only', { age: '30' }, null, 'HIT', null, true],
    ['plain origin', { server: 'AmazonS3' }, null, null, null, null],
  ] as const)('%s', (_name, input, vendor, status, pop, fromCache) => {
    const facts = cdnFactsOf(headers(input));
    expect(facts.vendor?.id ?? null).toBe(vendor);
    expect(facts.cacheStatus).toBe(status);
    expect(facts.pop).toBe(pop);
    expect(facts.servedFromCache).toBe(fromCache);
  });

  test('jsDelivr over Cloudflare: the CDN that carries the cache headers is reported too', () => {
    const facts = cdnFactsOf(headers({ 'x-jsd-version': '1.0.0', 'x-jsd-version-type': 'version', 'cf-ray': '230b030023ae2822-FRA', 'cf-cache-status': 'HIT' }));
    expect([facts.vendor?.id, ...facts.alsoMatched].sort()).toEqual(['cloudflare', 'jsdelivr']);
    expect(facts.cacheStatus).toBe('HIT');
    expect(facts.pop).toBe('FRA');
  });

  test('the same vendors rank by their scores on each response (rankings are shared between responses)', () => {
    const cloudflareFirst = headers({ 'x-jsd-version': '1.0.0', 'x-jsd-version-type': 'version', 'cf-ray': '230b030023ae2822-FRA', 'cf-cache-status': 'HIT' });
    const jsDelivrFirst = headers({ 'x-jsd-version': '1.0.0', 'x-jsd-version-type': 'version', 'cf-ray': '230b030023ae2822-FRA' });
    for (const order of [[cloudflareFirst, jsDelivrFirst], [jsDelivrFirst, cloudflareFirst]]) {
      const ranked = order.map((list) => {
        const facts = cdnFactsOf(list);
        return [facts.vendor?.id, ...facts.alsoMatched];
      });
      expect(ranked).toEqual(order[0] === cloudflareFirst ? [['cloudflare', 'jsdelivr'], ['jsdelivr', 'cloudflare']] : [['jsdelivr', 'cloudflare'], ['cloudflare', 'jsdelivr']]);
    }
  });

  test('Vary: Origin handling per vendor', () => {
    expect(cdnFactsOf(headers({ 'x-cache': 'Hit from cloudfront', 'x-amz-cf-id': 'x' })).varyOrigin).toBe('ignored');
    expect(cdnFactsOf(headers({ 'x-served-by': 'cache-jfk1041-JFK', 'x-cache': 'HIT' })).varyOrigin).toBe('honoured');
    expect(cdnFactsOf(headers({ 'x-azure-ref': 'x' })).varyOrigin).toBe('unknown');
    expect(cdnFactsOf(headers({ vary: 'Accept-Encoding, origin' })).varyHasOrigin).toBe(true);
    expect(cdnFactsOf(headers({ vary: 'Accept-Encoding' })).varyHasOrigin).toBe(false);
  });

  test('a malformed Age is ignored', () => {
    expect(cdnFactsOf(headers({ age: '-3' })).age).toBeNull();
  });
});
