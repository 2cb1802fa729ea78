import { expect, test } from 'vitest';
import rule from '../../../src/engine/rules/cached-response-without-cors.ts';
import { runRule, runRuleTests } from './support/rule-tester.ts';
import { BASE_TIME_MS, cloudFront, corsRequest, makeRecords, s3Cors, s3Plain, segmentUrl } from './support/make-record.ts';
import type { RecordSpec } from './support/make-record.ts';

const hit = (index: number, age: number, pop = 'ICN80-P3'): RecordSpec => ({
  url: segmentUrl('v1', index),
  requestHeaders: corsRequest(),
  responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age, pop }) },
});
const miss = (index: number): RecordSpec => ({ url: segmentUrl('v1', index), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } });
/**
 * A response and a later request that got the very same response (one x-amz-cf-id: a CDN gives each
 * response its own) while the browser reported it as from the network: the browser's stored copy.
 * (In the e2e lab, hls.js's retry of a rejected segment reached the server; docs/cdn-behaviour.md R8.)
 */
const withBrowserCopy = (spec: RecordSpec): RecordSpec[] => [spec, { ...spec, fromCache: false }];
/**
 * A cache layer whose responses carry no per-response id (nginx proxy_cache): a second fetch of one
 * cached copy within the same second has the very same Date, Age and ETag as the first.
 */
const nginxHit = (index: number, start?: number): RecordSpec => ({
  url: segmentUrl('v1', index),
  requestHeaders: corsRequest(),
  responseHeaders: { server: 'nginx', 'x-cache': 'HIT', age: '42', date: 'Fri, 25 Apr 2025 04:40:00 GMT', etag: '"s2"' },
  ...(start === undefined ? {} : { start }),
});
const nginxMiss = (index: number): RecordSpec => ({
  url: segmentUrl('v1', index),
  requestHeaders: corsRequest(),
  responseHeaders: { server: 'nginx', 'x-cache': 'MISS', 'access-control-allow-origin': '*', vary: 'Origin', date: 'Fri, 25 Apr 2025 04:40:00 GMT' },
});
const missWithoutAcao = (index: number): RecordSpec => ({ url: segmentUrl('v1', index), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } });

runRuleTests(rule, {
  valid: [
    { name: 'cached copies that carry ACAO', records: makeRecords([{ ...miss(1) }, { url: segmentUrl('v1', 2), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Hit', age: 40 }) } }]) },
    { name: 'a Miss without ACAO is not a cached copy', records: makeRecords([{ url: segmentUrl('v1', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } }]) },
    {
      name: 'a cached copy without ACAO that varies on Origin (not a no-Origin fill; cdn-ignores-vary-origin covers it)',
      records: makeRecords([{ url: segmentUrl('v1', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 9 }), vary: 'Origin' } }]),
    },
    { name: "the browser's copy of a Miss without ACAO is no poisoned CDN copy", records: makeRecords([miss(1), ...withBrowserCopy(missWithoutAcao(2))]) },
    { name: 'no cache status at all', records: makeRecords([{ url: segmentUrl('v1', 1), requestHeaders: corsRequest(), responseHeaders: s3Plain() }]) },
    {
      name: 'a cache keyed on Origin (the same URL with another Origin is a Miss with its ACAO): stale, not poisoned (cached-before-cors-change)',
      records: makeRecords([
        hit(1, 70000),
        { url: segmentUrl('v1', 1), requestHeaders: corsRequest('https://preview.example.net'), start: BASE_TIME_MS + 60_000, responseHeaders: { server: 'AmazonS3', 'access-control-allow-origin': 'https://preview.example.net', ...cloudFront({ cache: 'Miss' }) } },
      ]),
    },
  ],
  invalid: [
    {
      name: "a poisoned copy and a later request that got the browser's stored copy of it: one finding names both",
      records: makeRecords([miss(1), ...withBrowserCopy(hit(2, 42)), miss(3)]),
      findings: [
        {
          messageId: 'poisoned',
          confidence: 'likely',
          recordIds: ['r2', 'r3'],
          // The counts stay the CDN's: 1 of the 4 CORS segments came from its cache.
          messageIncludes: [
            '1 of 4 segments',
            "leaves such a copy). 1 more rejected request(s) got the browser's own stored copy of such a response: it stays until it expires or a hard reload drops it.",
          ],
          fixIncludes: ['--paths /public/movie/v1/wm16_9_00002.ts', 'Then check in the browser after a hard reload (or with DevTools "Disable cache")'],
        },
      ],
    },
    {
      name: "a browser copy of a response that was not poisoned is not part of the finding",
      records: makeRecords([miss(1), hit(2, 42), ...withBrowserCopy(missWithoutAcao(3))]),
      findings: [{ messageId: 'poisoned', recordIds: ['r2'], fixExcludes: ['hard reload'] }],
    },
    {
      name: "the browser's copy of a poisoned copy whose fill the log shows",
      records: makeRecords([
        { url: segmentUrl('v2', 1), resourceType: 'media', requestHeaders: { 'sec-fetch-mode': 'no-cors' }, responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } },
        ...withBrowserCopy({ url: segmentUrl('v2', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 2 }) } }),
      ]),
      findings: [{ messageId: 'poisonedFillSeen', confidence: 'certain', recordIds: ['r2', 'r3'], messageIncludes: ["such a request filled the copy. 1 more rejected request(s) got the browser's own stored copy"] }],
    },
    {
      name: 'the same URL fetched without Origin (a Miss that filled the cache), then a CORS request gets that copy',
      records: makeRecords([
        { url: segmentUrl('v2', 1), resourceType: 'media', requestHeaders: { 'sec-fetch-mode': 'no-cors' }, responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } },
        { url: segmentUrl('v2', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 2 }) } },
      ]),
      findings: [{ messageId: 'poisonedFillSeen', confidence: 'certain', recordIds: ['r2'], messageIncludes: ['the log shows 1 request(s) of the same URL sent without Origin before it'] }],
    },
    {
      name: 'segments cached without ACAO while the playlist of the same host comes fresh from the origin with ACAO',
      records: makeRecords([
        { url: segmentUrl('v3', 1).replace(/[^/]+$/, 'index.m3u8'), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), 'content-type': 'application/vnd.apple.mpegurl', ...cloudFront({ cache: 'Miss' }) } },
        { url: segmentUrl('v3', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 250000 }) } },
      ]),
      findings: [{ messageId: 'poisoned', confidence: 'likely', recordIds: ['r2'], messageIncludes: ['every response of other files on the same host fetched from the origin (1) had Access-Control-Allow-Origin'] }],
    },
    {
      name: '3 of 6 segments: Hit at ICN80 without ACAO, every Miss had ACAO',
      records: makeRecords([miss(1), hit(2, 5200), miss(3), hit(4, 5300), miss(5), hit(6, 5400)]),
      findings: [
        {
          messageId: 'poisoned',
          confidence: 'likely',
          recordIds: ['r2', 'r4', 'r6'],
          messageIncludes: ['3 of 6 segments', 'CloudFront cache at ICN80-P3', 'age 5 200 s to 5 400 s', 'every response fetched from the origin (3) had Access-Control-Allow-Origin'],
          fixIncludes: ['5cc3b908-e619-4b99-88e5-2cf7f45965bd', '08627262-05a9-4f76-9ded-b50ca2e3a84f', '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf', '--paths /public/movie/v1/wm16_9_00002.ts /public/movie/v1/wm16_9_00004.ts /public/movie/v1/wm16_9_00006.ts'],
          // Only the failing copies are purged: the working ones (1, 3, 5) stay cached.
          fixExcludes: ['wm16_9_00001', 'wm16_9_00003', 'wm16_9_00005', '/public/movie/v1/*'],
        },
      ],
    },
    {
      name: 'copies of one age read as one age, and the message claims no particular filler',
      records: makeRecords([miss(1), hit(2, 9000), hit(3, 9000)]),
      findings: [
        {
          messageId: 'poisoned',
          messageIncludes: ['(Hit from cloudfront, age 9 000 s);', 'the log does not show that request', 'before the CORS setup changed'],
        },
      ],
    },
    {
      name: 'only cached copies seen: possible',
      records: makeRecords([hit(1, 100), hit(2, 120)]),
      findings: [{ messageId: 'poisoned', confidence: 'possible', messageIncludes: ['no response fetched from the origin was seen'] }],
    },
    {
      name: 'no segment from the origin, but the playlist on the same host came from the origin with ACAO: likely, and the message says so',
      records: makeRecords([
        { url: 'http://media.example.org/v/stream.m3u8', requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), 'x-varnish': '40' } },
        { url: 'http://media.example.org/v/seg1.ts', requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), 'x-varnish': '41 7', age: '30' } },
      ]),
      findings: [
        {
          messageId: 'poisoned',
          confidence: 'likely',
          recordIds: ['r2'],
          messageIncludes: ['Varnish cache', 'every response of other files on the same host fetched from the origin (1) had Access-Control-Allow-Origin'],
          fixIncludes: ["varnishadm ban req.url '~' '^/v/seg1[.]ts'", 'hash_data(req.http.Origin);'],
        },
      ],
    },
    {
      name: 'Cloudflare HIT echoing another origin without Vary',
      records: makeRecords([
        {
          url: 'https://cdn.example.net/v/seg1.ts',
          requestHeaders: corsRequest(),
          responseHeaders: { 'cf-cache-status': 'HIT', 'cf-ray': '230b030023ae2822-SJC', 'access-control-allow-origin': 'https://other.example', age: '60' },
        },
        { url: 'https://cdn.example.net/v/seg2.ts', requestHeaders: corsRequest(), responseHeaders: { 'cf-cache-status': 'MISS', 'cf-ray': '230b030023ae2823-SJC', 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } },
      ]),
      findings: [{ messageId: 'poisoned', confidence: 'likely', recordIds: ['r1'], messageIncludes: ['Cloudflare cache at SJC'], fixIncludes: ['custom cache key'] }],
    },
  ],
});

test('without browser copies the message reads as before, with nothing appended', () => {
  const { findings } = runRule(rule, makeRecords([miss(1), hit(2, 9000), hit(3, 9000)]));
  expect(findings.map((finding) => finding.message)).toEqual([
    '2 of 3 segments on d16ufd393m7gss.cloudfront.net /*.ts came from the Amazon CloudFront cache at ICN80-P3 without a usable Access-Control-Allow-Origin (Hit from cloudfront, age 9 000 s); every response fetched from the origin (1) had Access-Control-Allow-Origin. Origin is not in Vary, so a cached copy keeps the headers of whichever request filled it; the log does not show that request (one without Origin, one from another origin, or any request before the CORS setup changed leaves such a copy).',
  ]);
});

test('a retry of a rejected copy that only looks the same (no per-response id, not from the browser cache) is another CDN copy', () => {
  // Chromium goes back to the network after a CORS rejection (docs/capture.md#events): the same
  // Date, Age and ETag within one second are the CDN's copy fetched again, not the browser's.
  const { findings } = runRule(rule, makeRecords([nginxMiss(1), nginxHit(2), nginxHit(2, BASE_TIME_MS + 1_400)]));
  expect(findings.map((finding) => finding.recordIds)).toEqual([['r2', 'r3']]);
  expect(findings[0]!.message).toContain('2 of 3 segments');
  expect(findings[0]!.message).not.toContain("browser's own stored copy");
  expect(findings[0]!.fix).not.toContain('hard reload');
});

test('the same retry reported from the browser cache (as Firefox reports it) is the browser copy', () => {
  const { findings } = runRule(rule, makeRecords([nginxMiss(1), nginxHit(2), { ...nginxHit(2, BASE_TIME_MS + 1_400), fromCache: true }]));
  expect(findings.map((finding) => finding.recordIds)).toEqual([['r2', 'r3']]);
  expect(findings[0]!.message).toContain("1 more rejected request(s) got the browser's own stored copy");
  expect(findings[0]!.fix).toContain('hard reload');
});

test("the browser copy's evidence says whose response it is", () => {
  const { findings } = runRule(rule, makeRecords([miss(1), ...withBrowserCopy(hit(2, 42))]));
  expect(findings[0]!.evidence).toContainEqual({ recordId: 'r3', name: 'from-browser-cache', value: 'same response as request #r2' });
});

test("a copy from a cache tier behind the edge (Akamai's parent, an RFC 9211 shield) is a cached copy, not the origin's answer", () => {
  const akamai = (index: number, cacheStatus: string, cors: boolean): RecordSpec => ({
    url: `https://media.example-akamai.net/hls/seg${index}.ts`,
    requestHeaders: corsRequest(),
    responseHeaders: { ...(cors ? s3Cors() : s3Plain()), 'akamai-cache-status': cacheStatus },
  });
  const parentHits = runRule(rule, makeRecords([akamai(1, 'Miss from child, Miss from parent', true), akamai(2, 'Miss from child, Hit from parent', false), akamai(3, 'Miss from child, Hit from parent', false)]));
  expect(parentHits.findings.map((finding) => finding.recordIds)).toEqual([['r2', 'r3']]);
  expect(parentHits.findings[0]!.message).toContain('Miss from child, Hit from parent');
  const shield = (index: number, cacheStatus: string, cors: boolean): RecordSpec => ({
    url: segmentUrl('v1', index),
    requestHeaders: corsRequest(),
    responseHeaders: { ...(cors ? s3Cors() : s3Plain()), 'cache-status': cacheStatus },
  });
  const shieldHits = runRule(rule, makeRecords([shield(1, 'Shield; fwd=uri-miss, Edge; fwd=uri-miss', true), shield(2, 'Shield; hit, Edge; fwd=uri-miss; stored', false)]));
  expect(shieldHits.findings.map((finding) => finding.recordIds)).toEqual([['r2']]);
});

test('CloudFront in front of a web server, not S3: the custom origin’s policy, and no bucket CORS', () => {
  const nginxBehindCloudFront = (index: number, cache: 'Hit' | 'Miss', cors: boolean): RecordSpec => ({
    url: segmentUrl('v1', index),
    requestHeaders: corsRequest(),
    responseHeaders: { server: 'nginx/1.24.0', ...(cors ? { 'access-control-allow-origin': '*' } : {}), ...cloudFront({ cache, ...(cache === 'Hit' ? { age: 800 } : {}) }) },
  });
  const { findings } = runRule(rule, makeRecords([nginxBehindCloudFront(1, 'Miss', true), nginxBehindCloudFront(2, 'Hit', false)]));
  expect(findings).toHaveLength(1);
  expect(findings[0]!.fix).toContain('If CORS must keep coming from the origin server');
  expect(findings[0]!.fix).toContain('CORS-CustomOrigin');
  expect(findings[0]!.fix).not.toContain('CORS-S3Origin');
  expect(findings[0]!.fix).not.toContain('put-bucket-cors');
  // Behind CloudFront with S3 (or an origin the responses do not name), the S3 wording stays.
  const onS3 = runRule(rule, makeRecords([miss(1), hit(2, 9000)]));
  expect(onS3.findings[0]!.fix).toContain('CORS-S3Origin');
  expect(onS3.findings[0]!.fix).toContain('put-bucket-cors');
});

test("Bunny CDN: no Vary option for Origin exists, so the fix is the pull zone's own CORS header or one answer for all", () => {
  const bunny = (index: number, cache: string, cors: boolean): RecordSpec => ({
    url: `https://media.b-cdn.net/hls/seg${index}.ts`,
    requestHeaders: corsRequest(),
    responseHeaders: { server: 'BunnyCDN-DE1-1079', 'cdn-cache': cache, ...(cors ? { 'access-control-allow-origin': '*' } : {}) },
  });
  const { findings } = runRule(rule, makeRecords([bunny(1, 'MISS', true), bunny(2, 'HIT', false)]));
  expect(findings[0]!.fix).toContain('EnableAccessControlOriginHeader');
  expect(findings[0]!.fix).not.toContain('vary-cache settings');
});
