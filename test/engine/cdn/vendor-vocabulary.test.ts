/**
 * One cache model, every vendor's words: the cache reading (status, who says it, what a list shows,
 * which response it is) for each vendor the engine knows and RFC 9211, and the fix texts in the
 * identified vendor's vocabulary only — never another vendor's commands, generic when unknown.
 */
import { describe, expect, test } from 'vitest';
import { cacheStatusLabel, cacheStatusOf, cdnFactsOf, responseIdOf } from '../../../src/engine/cdn/index.ts';
import { purgeRef, varyFixRef, CDN_FIX_TEXT } from '../../../src/engine/cdn/fixes.ts';
import { VENDOR_FIX_SOURCES, banRegexOf, duplicateAllowOriginRef, edgeCorsOnErrorsRef, errorCachingRef } from '../../../src/engine/cdn/vendor-fixes.ts';
import { LIST_TEXT, catalogueLookup, renderText } from '../../../src/engine/rules/lib/text.ts';
import type { HeaderList, MessageRef, RequestRecord } from '../../../src/engine/model.ts';
import { analyze } from '../../../src/engine/analyze.ts';
import { makeRecord } from '../rules/support/make-record.ts';

const english = catalogueLookup({ ...LIST_TEXT, ...CDN_FIX_TEXT });
const inEnglish = (message: MessageRef): string => renderText(message, english);

/** What a list shows for these response headers (null: no stated status). */
function labelOf(headers: HeaderList): string | null {
  const reading = cacheStatusOf(headers);
  return reading === null ? null : cacheStatusLabel(reading);
}

describe('the cache reading, per vendor', () => {
  const cases: Array<{ vendor: string | null; headers: HeaderList; status: string; label: string }> = [
    { vendor: 'cloudfront', headers: [['x-cache', 'Hit from cloudfront'], ['x-amz-cf-pop', 'ICN80-P3'], ['x-amz-cf-id', 'a==']], status: 'HIT', label: 'Hit from cloudfront' },
    { vendor: 'fastly', headers: [['x-served-by', 'cache-jfk1041-JFK, cache-ord1720-ORD'], ['x-cache', 'MISS, HIT']], status: 'HIT', label: 'MISS, HIT' },
    { vendor: 'cloudflare', headers: [['cf-ray', '8c1d2e3f4a5b6c7d-ICN'], ['cf-cache-status', 'EXPIRED']], status: 'EXPIRED', label: 'EXPIRED' },
    { vendor: 'akamai', headers: [['x-cache', 'TCP_MISS from a23-45-67-89.deploy.akamaitechnologies.com (AkamaiGHost/22.1)']], status: 'MISS', label: 'TCP_MISS from a23-45-67-89.deploy.akamaitechnologies.com (AkamaiGHost/22.1)' },
    { vendor: 'varnish', headers: [['x-varnish', '32770 5'], ['via', '1.1 varnish (Varnish/7.1)'], ['age', '1']], status: 'HIT', label: 'Varnish HIT' },
    { vendor: 'varnish', headers: [['x-varnish', '32770'], ['via', '1.1 varnish (Varnish/7.1)'], ['age', '0']], status: 'MISS', label: 'Varnish MISS' },
    { vendor: 'nginx-proxy-cache', headers: [['server', 'nginx/1.22.1'], ['x-cache-status', 'STALE']], status: 'STALE', label: 'STALE' },
    // RFC 9211 from a cache no signature names: the member nearest the client decides.
    { vendor: null, headers: [['cache-status', 'OriginShield; fwd=uri-miss; stored, "Edge Cache"; hit; ttl=42']], status: 'HIT', label: '"Edge Cache"; hit; ttl=42' },
    { vendor: null, headers: [['cache-status', 'ExampleCache; hit; ttl=-5']], status: 'STALE', label: 'ExampleCache; hit; ttl=-5' },
    { vendor: null, headers: [['cache-status', 'ExampleCache; fwd=vary-miss']], status: 'MISS', label: 'ExampleCache; fwd=vary-miss' },
    { vendor: null, headers: [['cache-status', 'ExampleCache; fwd=stale; fwd-status=304']], status: 'REVALIDATED', label: 'ExampleCache; fwd=stale; fwd-status=304' },
    { vendor: null, headers: [['cache-status', 'ExampleCache; fwd=bypass']], status: 'BYPASS', label: 'ExampleCache; fwd=bypass' },
    // A bare X-Cache with no vendor identified: generic.
    { vendor: null, headers: [['x-cache', 'HIT']], status: 'HIT', label: 'HIT' },
  ];
  test.each(cases.map((item) => [item.label, item] as const))('%s', (_label, { vendor, headers, status, label }) => {
    const reading = cacheStatusOf(headers);
    expect(reading?.status).toBe(status);
    expect(reading?.vendorId).toBe(vendor);
    expect(labelOf(headers)).toBe(label);
    // The rules read the same status.
    expect(cdnFactsOf(headers).cacheStatus).toBe(status);
  });

  test('a Varnish hit reads as a hit, not as its transaction ids or an age', () => {
    const label = labelOf([['x-varnish', '98306 32771'], ['age', '1'], ['via', '1.1 varnish (Varnish/7.1)']]);
    expect(label).toBe('Varnish HIT');
    expect(label).not.toMatch(/\d/);
  });

  test('a status no header states is not made up: Age alone, or an RFC 9211 member without hit or fwd', () => {
    expect(cacheStatusOf([['age', '12']])).toBeNull();
    expect(cacheStatusOf([['cache-status', 'ExampleCache; stored']])).toBeNull();
    expect(cacheStatusOf([['cache-status', '']])).toBeNull();
  });

  test('a quoted cache name holding a comma stays one member', () => {
    expect(cacheStatusOf([['cache-status', 'Shield; fwd=miss, "Edge, Tokyo"; hit']])?.status).toBe('HIT');
  });
});

describe('which response it is', () => {
  test('two Varnish hits on one cached object are two answers (different request ids); the same header twice is one', () => {
    const first = responseIdOf([['x-varnish', '32770 5'], ['age', '3']]);
    const second = responseIdOf([['x-varnish', '32773 5'], ['age', '3']]);
    expect(first).not.toBeNull();
    expect(first).not.toBe(second);
    expect(responseIdOf([['X-Varnish', '32770 5']])).toBe(first);
  });

  test('per-response ids of other vendors, CloudFront first when several are present', () => {
    expect(responseIdOf([['cf-ray', '8c1d2e3f4a5b6c7d-ICN']])).toBe('cf-ray 8c1d2e3f4a5b6c7d-ICN');
    expect(responseIdOf([['x-varnish', '1'], ['x-amz-cf-id', 'abc==']])).toBe('x-amz-cf-id abc==');
    // Fastly's X-Timer: the time Fastly received this request, to the microsecond.
    expect(responseIdOf([['X-Timer', 'S1745556000.123456,VS0,VE0']])).toBe('x-timer S1745556000.123456,VS0,VE0');
    expect(responseIdOf([['etag', '"x"']])).toBeNull();
    expect(responseIdOf(null)).toBeNull();
  });
});

/** A phrase only that vendor's fix may use (its commands and configuration words). */
const VOCABULARY: Record<string, RegExp> = {
  cloudfront: /cloudfront|create-invalidation|response headers policy/i,
  fastly: /fastly|surrogate|vcl_fetch/i,
  cloudflare: /cloudflare|transform rule/i,
  akamai: /akamai|cp code|cpcode/i,
  // Fastly speaks VCL too (vcl_deliver, vcl_hash): Varnish's own words are its name, hash_data and vcl_backend_response.
  varnish: /varnish|hash_data|vcl_backend_response/i,
  'nginx-proxy-cache': /nginx|proxy_cache|add_header|proxy_hide_header/i,
  google: /gcloud|cloud cdn/i,
  'azure-front-door': /az afd|front door/i,
  bunny: /bunny/i,
};

/** Every fix text a vendor gets. */
function fixTextsOf(vendorId: string | null): string[] {
  const texts = [inEnglish(purgeRef(vendorId, '/public/movie/a/*', 'https://media.example.org')), inEnglish(purgeRef(vendorId, '/public/movie/a/seg.ts', 'https://media.example.org'))];
  for (const status of [404, 403, 503]) texts.push(inEnglish(errorCachingRef(vendorId, status)));
  texts.push(inEnglish(edgeCorsOnErrorsRef(vendorId)));
  const duplicate = duplicateAllowOriginRef(vendorId);
  if (duplicate) texts.push(inEnglish(duplicate));
  if (vendorId !== 'cloudfront') texts.push(inEnglish(varyFixRef(vendorId)));
  return texts;
}

describe('fixes in the identified layer’s words', () => {
  test.each(Object.keys(VOCABULARY))('%s: its own words, never another vendor’s', (vendorId) => {
    const texts = fixTextsOf(vendorId);
    expect(texts.some((text) => VOCABULARY[vendorId]!.test(text)), texts.join('\n')).toBe(true);
    for (const [other, words] of Object.entries(VOCABULARY)) {
      if (other === vendorId) continue;
      for (const text of texts) expect(text, `${vendorId} fix uses ${other}'s words`).not.toMatch(words);
    }
  });

  test('an unknown cache gets the generic text, naming no vendor', () => {
    for (const text of fixTextsOf(null)) for (const [vendor, words] of Object.entries(VOCABULARY)) expect(text, vendor).not.toMatch(words);
  });

  test('Varnish: a ban on the path, its dots escaped; Origin into vcl_hash; 404 kept for default_ttl', () => {
    expect(inEnglish(purgeRef('varnish', '/public/movie/a/seg.ts'))).toContain("varnishadm ban req.url '~' '^/public/movie/a/seg[.]ts'");
    // No backslash: varnishadm passes it to the Varnish CLI unquoted, which rejects `\.`.
    expect(banRegexOf('/a/b+c(1).ts')).toBe('^/a/b[+]c[(]1[)][.]ts');
    expect(banRegexOf('/a/x[1]/seg.ts')).toBe('^/a/x');
    expect(new RegExp(banRegexOf('/a/b+c(1).ts')).test('/a/b+c(1).ts?token=1')).toBe(true);
    expect(inEnglish(purgeRef('varnish', '/public/movie/a/*'))).toContain("varnishadm ban req.url '~' '^/public/movie/a/'");
    expect(inEnglish(varyFixRef('varnish'))).toContain('hash_data(req.http.Origin);');
    expect(inEnglish(errorCachingRef('varnish', 404))).toContain('default_ttl (120 s)');
  });

  test('nginx: the key with $http_origin and add_header … always, passed as values (a _locales message cannot hold $)', () => {
    const ref = varyFixRef('nginx-proxy-cache');
    expect(inEnglish(ref)).toContain('proxy_cache_key $scheme$proxy_host$request_uri$http_origin;');
    expect(CDN_FIX_TEXT[ref.id]).not.toContain('$');
    expect(inEnglish(edgeCorsOnErrorsRef('nginx-proxy-cache'))).toContain('always;');
  });

  test('purge commands by URL use the requests’ host; a prefix uses the vendor’s prefix form', () => {
    expect(inEnglish(purgeRef('fastly', '/v/seg.ts', 'https://media.example.org'))).toContain('fastly purge --url https://media.example.org/v/seg.ts');
    expect(inEnglish(purgeRef('cloudflare', '/v/*', 'https://media.example.org'))).toContain('{"prefixes":["media.example.org/v/"]}');
    expect(inEnglish(purgeRef('akamai', '/v/seg.ts', 'https://media.example.org'))).toContain('akamai purge invalidate https://media.example.org/v/seg.ts');
    expect(inEnglish(purgeRef('fastly', '/v/seg.ts', null))).toContain("'<url>'");
  });

  test('every vendor with its own words cites its sources by URL', () => {
    for (const vendorId of Object.keys(VOCABULARY).filter((id) => id !== 'cloudfront')) {
      expect(VENDOR_FIX_SOURCES[vendorId], vendorId).toBeDefined();
      for (const source of VENDOR_FIX_SOURCES[vendorId]!) expect(source).toMatch(/^https:\/\/[a-z0-9.-]+\//);
    }
  });
});

describe('on a Varnish stack, the rules speak Varnish', () => {
  const page = 'http://localhost:3010';
  const url = (file: string): string => `http://media.example.org:8080/hls/${file}`;
  /** Varnish in front of an S3-like bucket: a hit names the request's id and the id that stored the object. */
  const varnishHit = (xid: number, stored: number, age: number): HeaderList => [
    ['server', 'AmazonS3'],
    ['x-varnish', `${xid} ${stored}`],
    ['age', String(age)],
    ['via', '1.1 varnish (Varnish/7.1)'],
  ];
  const record = (id: string, file: string, status: number, headers: HeaderList, start: number): RequestRecord =>
    makeRecord({ id, url: url(file), status, requestHeaders: { origin: page, 'sec-fetch-mode': 'cors' }, responseHeaders: headers, start });

  test('three hits on one cached copy (three X-Varnish ids) are three cache answers, not one browser copy', () => {
    const records = [record('a', 'seg0.ts', 200, varnishHit(32770, 5, 40), 1000), record('b', 'seg0.ts', 200, varnishHit(32773, 5, 41), 2000), record('c', 'seg0.ts', 200, varnishHit(32776, 5, 42), 3000)];
    const report = analyze(records);
    expect(report.findings.filter((finding) => finding.cause === 'browser-cache-reuse')).toEqual([]);
    const poisoned = report.findings.find((finding) => finding.cause === 'cdn-cache-poisoned');
    expect(poisoned?.recordIds).toEqual(['a', 'b', 'c']);
    expect(poisoned?.message).toContain('Varnish cache');
    // The statuses read as the list shows them, not as transaction ids.
    expect(poisoned?.message).toContain('(Varnish HIT, age 40 s to 42 s)');
    expect(poisoned?.fix).toContain("varnishadm ban req.url '~'");
    expect(poisoned?.fix).not.toMatch(/cloudfront|invalidation/i);
  });

  test('after a fetch without Origin, the same X-Varnish id again is the browser re-serving that copy; a new id is Varnish answering', () => {
    const withoutOrigin = makeRecord({ id: 'a', url: url('seg0.ts'), requestHeaders: { 'sec-fetch-mode': 'no-cors' }, responseHeaders: varnishHit(32770, 5, 40), start: 1000 });
    const sameResponse = analyze([withoutOrigin, record('b', 'seg0.ts', 200, varnishHit(32770, 5, 40), 2000)]);
    expect(sameResponse.findings.find((finding) => finding.cause === 'browser-cache-reuse')?.recordIds).toEqual(['b']);
    const newAnswer = analyze([withoutOrigin, record('b', 'seg0.ts', 200, varnishHit(32773, 5, 41), 2000)]);
    expect(newAnswer.findings.filter((finding) => finding.cause === 'browser-cache-reuse')).toEqual([]);
    expect(newAnswer.findings.find((finding) => finding.cause === 'cdn-cache-poisoned')?.recordIds).toEqual(['b']);
  });

  test('a 404 without CORS through Varnish: Varnish’s error caching and vcl_deliver, never CloudFront’s 10 s', () => {
    const missing: HeaderList = [['x-varnish', '32780'], ['age', '0'], ['via', '1.1 varnish (Varnish/7.1)'], ['content-type', 'application/xml']];
    const finding = analyze([record('a', 'seg9.ts', 404, missing, 1000)]).findings.find((item) => item.cause === 'error-without-cors');
    expect(finding?.fix).toContain('Varnish caches a 404');
    expect(finding?.fix).toContain('vcl_deliver');
    expect(finding?.fix).not.toMatch(/cloudfront/i);
  });

  test('a duplicate ACAO on a response through Varnish names Varnish, in the message and the fix', () => {
    const doubled: HeaderList = [['access-control-allow-origin', '*'], ['access-control-allow-origin', page], ['x-varnish', '32790'], ['via', '1.1 varnish (Varnish/7.1)']];
    const finding = analyze([record('a', 'seg1.ts', 200, doubled, 1000)]).findings.find((item) => item.cause === 'duplicate-acao');
    expect(finding?.message).toContain('came through Varnish (via: 1.1 varnish (Varnish/7.1))');
    expect(finding?.fix).toContain('vcl_deliver');
    expect(finding?.fix).not.toMatch(/cloudfront|lambda/i);
  });
});
