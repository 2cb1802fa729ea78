/** One recorded-style session per cause (docs/causes.md); scenarios.test.ts diffs their findings against golden files. */
import type { RequestRecord } from '../../../src/engine/model.ts';
import { BASE_TIME_MS, cloudFront, corsRequest, makeRecords, noCorsRequest, playlistUrl, s3Cors, s3Plain, securityHeaders, segmentUrl } from '../rules/support/make-record.ts';

export interface Scenario {
  name: string;
  /** The cause the scenario reproduces, and the least confidence it must be found with. */
  cause: string;
  confidence: 'certain' | 'likely' | 'possible';
  records: RequestRecord[];
}

const segmentOk = (video: string, index: number, cache: 'Hit' | 'Miss' = 'Miss', pop = 'ICN80-P3') => ({
  url: segmentUrl(video, index),
  requestHeaders: corsRequest(),
  responseHeaders: { ...s3Cors(), ...cloudFront({ cache, pop, ...(cache === 'Hit' ? { age: 120 } : {}) }) },
});
const segmentBare = (video: string, index: number, cache: 'Hit' | 'Miss', age = 5200, pop = 'ICN80-P3') => ({
  url: segmentUrl(video, index),
  requestHeaders: corsRequest(),
  responseHeaders: { ...s3Plain(), ...cloudFront({ cache, pop, ...(cache === 'Hit' ? { age } : {}) }) },
});
const master = (video: string) => ({ url: playlistUrl(video), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } });

export const SCENARIOS: Scenario[] = [
  {
    name: 'cdn-cache-poisoned',
    cause: 'cdn-cache-poisoned',
    confidence: 'likely',
    records: makeRecords([master('p'), segmentOk('p', 1), segmentBare('p', 2, 'Hit'), segmentOk('p', 3), segmentBare('p', 4, 'Hit', 5300), segmentOk('p', 5)]),
  },
  {
    name: 'origin-not-forwarded',
    cause: 'origin-not-forwarded',
    confidence: 'likely',
    // The playlist behavior answers CORS at the edge (ACAO without S3's Allow-Methods): the distribution
    // does CORS, the .ts path does not. Without it no response of the host carries CORS: origin-without-cors.
    records: makeRecords([
      segmentBare('n', 1, 'Miss'),
      segmentBare('n', 2, 'Miss'),
      segmentBare('n', 3, 'Miss'),
      { url: playlistUrl('n'), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }), 'access-control-allow-origin': '*' } },
    ]),
  },
  {
    name: 'origin-without-cors',
    cause: 'origin-without-cors',
    confidence: 'certain',
    // An S3 bucket without a CORS configuration, no CDN in front: the plainest failure.
    records: makeRecords(
      ['stream.m3u8', 'segment0.ts', 'segment1.ts'].map((file) => ({
        url: `https://media-bucket.s3.ap-northeast-2.amazonaws.com/hls/${file}`,
        requestHeaders: corsRequest(),
        responseHeaders: { ...s3Plain(), 'x-amz-request-id': 'Q1ZJ5K0V9MBD3T2X', 'content-type': file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/MP2T' },
      })),
    ),
  },
  {
    name: 'preflight-rejected',
    cause: 'preflight-rejected',
    confidence: 'certain',
    records: makeRecords([
      { url: segmentUrl('o', 1), method: 'OPTIONS', requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-session-id' }, status: 403, responseHeaders: { server: 'AmazonS3', ...cloudFront({ cache: 'Error' }) } },
    ]),
  },
  {
    name: 'error-without-cors',
    cause: 'error-without-cors',
    confidence: 'certain',
    records: makeRecords([{ ...segmentBare('e', 1, 'Miss'), status: 404 }, segmentOk('e', 2)]),
  },
  {
    name: 'stale-cache-after-change',
    cause: 'stale-cache-after-change',
    confidence: 'likely',
    records: makeRecords([
      { ...segmentBare('old', 1, 'Hit', 72000), start: BASE_TIME_MS },
      { ...segmentBare('old', 2, 'Hit', 70000), start: BASE_TIME_MS },
      { ...segmentOk('new', 1, 'Hit'), start: BASE_TIME_MS },
    ]),
  },
  {
    name: 'duplicate-acao',
    cause: 'duplicate-acao',
    confidence: 'certain',
    records: makeRecords([{ url: segmentUrl('d', 1), requestHeaders: corsRequest(), responseHeaders: [...Object.entries(s3Cors()), ['access-control-allow-origin', '*'], ...Object.entries(cloudFront({ cache: 'Miss' }))] }]),
  },
  {
    name: 'wildcard-with-credentials',
    cause: 'wildcard-with-credentials',
    confidence: 'certain',
    records: makeRecords([{ ...segmentOk('w', 1), requestHeaders: { ...corsRequest(), cookie: 'CloudFront-Policy=abc' } }]),
  },
  {
    name: 'browser-cache-reuse',
    cause: 'browser-cache-reuse',
    confidence: 'likely',
    records: makeRecords([
      { url: segmentUrl('b', 1), resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } },
      { url: segmentUrl('b', 1), requestHeaders: corsRequest(), fromCache: true, responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } },
    ]),
  },
  {
    name: 'per-pop-difference',
    cause: 'per-pop-difference',
    confidence: 'likely',
    records: makeRecords([segmentBare('pop', 1, 'Hit', 900, 'ICN80-P3'), segmentBare('pop', 2, 'Hit', 950, 'ICN80-P3'), segmentOk('pop', 1, 'Hit', 'NRT57-P1'), segmentOk('pop', 2, 'Hit', 'NRT57-P1')]),
  },
  {
    name: 'cdn-ignores-vary',
    cause: 'cdn-ignores-vary',
    confidence: 'likely',
    records: makeRecords([
      // Cloudflare keys on Origin by default: a copy naming another origin means this zone's custom cache key leaves Origin out.
      { url: 'https://cdn.example.net/v/seg1.ts', requestHeaders: corsRequest(), responseHeaders: { 'cf-cache-status': 'HIT', 'cf-ray': '230b030023ae2822-SJC', server: 'cloudflare', vary: 'Origin', age: '400', 'access-control-allow-origin': 'https://m.example.net' } },
      { url: 'https://cdn.example.net/v/seg2.ts', requestHeaders: corsRequest(), responseHeaders: { 'cf-cache-status': 'MISS', 'cf-ray': '230b030023ae2823-SJC', server: 'cloudflare', vary: 'Origin', 'access-control-allow-origin': 'http://localhost:3010' } },
    ]),
  },
  {
    name: 'not-a-cors-request',
    cause: 'not-a-cors-request',
    confidence: 'certain',
    records: makeRecords([
      { url: playlistUrl('v'), resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } },
      { url: segmentUrl('v', 1), resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 10 }) } },
    ]),
  },
  {
    name: 'mixed-layers',
    cause: 'mixed-layers',
    confidence: 'likely',
    records: makeRecords([
      { url: playlistUrl('m'), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }), ...securityHeaders(), 'access-control-allow-origin': '*' } },
      segmentOk('m', 1),
      segmentBare('m', 2, 'Hit', 3000),
    ]),
  },
  {
    name: 'origin-mismatch',
    cause: 'origin-mismatch',
    confidence: 'certain',
    records: makeRecords([{ url: 'https://media.example.org/v/seg1.ts', requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'http://localhost:3010/', vary: 'Origin' } }]),
  },
];
