/** Records shaped like the recorder's (headers, timings, CDN answers), for export tests and timing runs. */
import type { RequestRecord } from '../../src/engine/model.ts';
import { classifyRequest } from '../../src/engine/media/classify.ts';

export const PAGE_ORIGIN = 'https://player.example.com';

/** A segment, playlist or preflight of an HLS session; `index` varies URLs, POPs and cache states. */
export function hlsRecord(index: number, overrides: Partial<RequestRecord> = {}): RequestRecord {
  const start = 1_795_866_419_835.236 + index * 250;
  const isPlaylist = index % 50 === 0;
  const url = isPlaylist
    ? `https://d111111abcdef8.cloudfront.net/live/720p/index.m3u8?Policy=eyJTdGF0ZW1lbnQi&Signature=Zm9v~bar&Key-Pair-Id=K2JCJMDEHXQW5F`
    : `https://d111111abcdef8.cloudfront.net/live/720p/seg${index}.ts`;
  const hit = index % 3 === 0;
  const withAcao = index % 7 !== 0;
  const responseHeaders: Array<[string, string]> = [
    ['content-type', isPlaylist ? 'application/vnd.apple.mpegurl' : 'video/mp2t'],
    ['content-length', isPlaylist ? '1204' : '1880000'],
    ['date', 'Sat, 28 Nov 2026 11:46:59 GMT'],
    ['server', 'AmazonS3'],
    ['x-cache', hit ? 'Hit from cloudfront' : 'Miss from cloudfront'],
    ['via', '1.1 3f0c5e3b4f0d.cloudfront.net (CloudFront)'],
    ['x-amz-cf-pop', index % 2 === 0 ? 'ICN80-P2' : 'NRT57-P1'],
    ['x-amz-cf-id', `abcDEF${index}==`],
  ];
  if (hit) responseHeaders.push(['age', String(index % 6000)]);
  if (withAcao) responseHeaders.push(['access-control-allow-origin', '*'], ['vary', 'Origin']);
  const failed = !withAcao;
  const record: RequestRecord = {
    id: String(10_000 + index),
    browser: 'chromium',
    tabId: 23_130_302,
    frameId: 0,
    method: 'GET',
    url,
    resourceType: 'xmlhttprequest',
    pageOrigin: PAGE_ORIGIN,
    documentUrl: null,
    requestHeaders: [
      ['origin', PAGE_ORIGIN],
      ['referer', `${PAGE_ORIGIN}/`],
      ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'],
      ['accept', '*/*'],
      ['sec-fetch-mode', 'cors'],
      ['sec-fetch-site', 'cross-site'],
      ['sec-fetch-dest', 'empty'],
      ['accept-encoding', 'gzip, deflate, br, zstd'],
      ['accept-language', 'en-US,en;q=0.9'],
    ],
    requestHeadersComplete: true,
    status: 200,
    statusLine: 'HTTP/1.1 200',
    responseHeaders,
    fromCache: false,
    ip: '2600:9000:2250:a800:1f:2d1b:8c40:93a1',
    redirects: [],
    error: failed ? 'net::ERR_FAILED' : null,
    timings: { start, sendHeaders: start + 1.25, headersReceived: start + 30.5, responseStarted: start + 30.75, end: start + 48.125 },
    state: failed ? 'error' : 'complete',
    media: classifyRequest(url, 'GET', responseHeaders),
    ...overrides,
  };
  return record;
}

/** A record that went through a signed redirect before reaching the CDN. */
export function redirectedRecord(): RequestRecord {
  const base = hlsRecord(1);
  return {
    ...base,
    id: 'redirected',
    redirects: [
      {
        url: 'https://player.example.com/go/seg1.ts?token=abc123',
        status: 302,
        redirectUrl: 'https://d111111abcdef8.cloudfront.net/live/720p/seg1.ts',
        headers: [
          ['location', 'https://d111111abcdef8.cloudfront.net/live/720p/seg1.ts'],
          ['access-control-allow-origin', PAGE_ORIGIN],
        ],
      },
    ],
  };
}
