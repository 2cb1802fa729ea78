/**
 * Soak: 100 000 LL-HLS-like requests (playlist reloads and parts, some without ACAO) go through the
 * recorder and the store as webRequest event sequences. The store's memory stays bounded and the
 * per-tab totals stay exact although old detail is evicted.
 */
import { expect, test } from 'vitest';
import { Recorder, type WebRequestDetails, type WebRequestEventName } from '../../src/background/recorder.ts';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import { verdictForRecord } from '../../src/engine/index.ts';

const REQUESTS = 100_000;
const QUOTA_BYTES = 10 * 1024 * 1024; // chrome.storage.session.QUOTA_BYTES
const MEMORY_BUDGET_MB = 30; // DESIGN §9

/** storage.session as the worker sees it: the browser holds the bytes, the worker only learns success or quota errors. */
class QuotaOnlyArea implements KeyValueArea {
  readonly sizes = new Map<string, number>();
  bytes = 0;
  async get(): Promise<Record<string, unknown>> {
    return {};
  }
  async set(items: Record<string, unknown>): Promise<void> {
    let next = this.bytes;
    const sized = Object.entries(items).map(([key, value]) => [key, key.length + JSON.stringify(value).length] as const);
    for (const [key, size] of sized) next += size - (this.sizes.get(key) ?? 0);
    if (next > QUOTA_BYTES) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
    for (const [key, size] of sized) this.sizes.set(key, size);
    this.bytes = next;
  }
  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) {
      this.bytes -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
    }
  }
}

const PAGE = 'https://player.example.com';
const requestHeaders = [
  { name: 'Origin', value: PAGE },
  { name: 'Sec-Fetch-Mode', value: 'cors' },
  { name: 'Sec-Fetch-Site', value: 'cross-site' },
  { name: 'Sec-Fetch-Dest', value: 'empty' },
  { name: 'Accept', value: '*/*' },
  { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' },
  { name: 'Referer', value: `${PAGE}/live/channel-1` },
];

/** The i-th request of a live stream: a playlist reload every 4th, otherwise an LL-HLS part; every 50th part lacks ACAO. */
function* eventsOf(i: number): Generator<[WebRequestEventName, WebRequestDetails]> {
  const isPlaylist = i % 4 === 0;
  const failing = !isPlaylist && i % 50 === 1;
  const url = isPlaylist ? `https://d1.cloudfront.net/live/ch1/720p.m3u8?_HLS_msn=${i >> 2}&_HLS_part=2` : `https://d1.cloudfront.net/live/ch1/seg${i >> 2}.part${i % 4}.m4s`;
  const base = { requestId: String(i), url, method: 'GET', type: 'xmlhttprequest', tabId: 1, frameId: 0, initiator: PAGE, timeStamp: 1_700_000_000_000 + i * 120 };
  const responseHeaders = [
    { name: 'Content-Type', value: isPlaylist ? 'application/vnd.apple.mpegurl' : 'video/iso.segment' },
    { name: 'Content-Length', value: String(isPlaylist ? 1800 : 48_000) },
    { name: 'Cache-Control', value: isPlaylist ? 'max-age=1' : 'max-age=86400' },
    { name: 'X-Cache', value: i % 3 === 0 ? 'Miss from cloudfront' : 'Hit from cloudfront' },
    { name: 'Via', value: '1.1 0a1b2c3d4e5f60718293a4b5c6d7e8f9.cloudfront.net (CloudFront)' },
    { name: 'X-Amz-Cf-Pop', value: 'ICN80-P3' },
    { name: 'X-Amz-Cf-Id', value: 'VQF64z30UQ04PPvxI13xBbfijJqPsqVipVxM0hBXxxDN5wkMPIYIXQ==' },
    { name: 'Age', value: String(i % 60) },
    { name: 'Date', value: 'Fri, 25 Apr 2025 04:57:16 GMT' },
    ...(failing ? [] : [{ name: 'Access-Control-Allow-Origin', value: '*' }]),
  ];
  yield ['beforeRequest', base];
  yield ['beforeSendHeaders', { ...base, requestHeaders }];
  yield ['sendHeaders', { ...base, requestHeaders }];
  yield ['headersReceived', { ...base, statusCode: 200, responseHeaders }];
  if (failing) {
    yield ['errorOccurred', { ...base, error: 'net::ERR_FAILED', fromCache: false }];
    return;
  }
  yield ['responseStarted', { ...base, statusCode: 200, responseHeaders, fromCache: false, ip: '13.35.0.1' }];
  yield ['completed', { ...base, statusCode: 200, responseHeaders, fromCache: false, ip: '13.35.0.1' }];
}

const heapMB = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

test('100 000 LL-HLS requests: bounded memory, exact totals, storage within quota', { timeout: 120_000 }, async () => {
  expect(typeof (globalThis as { gc?: unknown }).gc, 'run with --expose-gc (vitest.config.ts)').toBe('function');
  const area = new QuotaOnlyArea();
  const before = heapMB();
  const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
  const store = new TabLogStore(area, { isQuotaError: (error) => /quota/i.test(String(error)) });
  let expectedFailing = 0;
  for (let i = 0; i < REQUESTS; i++) {
    for (const [event, details] of eventsOf(i)) {
      const finished = recorder.handle(event, details);
      if (finished) store.add(finished, verdictForRecord(finished).outcome);
    }
    if (i % 4 !== 0 && i % 50 === 1) expectedFailing++;
    if (i % 500 === 499) await store.flush(); // the background flushes in batches too
  }
  await store.flush();
  const held = heapMB() - before;

  expect(recorder.inFlightCount).toBe(0);
  const totals = store.totals(1);
  expect(totals.requests).toBe(REQUESTS);
  expect(totals.byOutcome.fail).toBe(expectedFailing);
  expect(totals.byOutcome.pass).toBe(REQUESTS - expectedFailing);
  expect(totals.byKind).toEqual({ playlist: REQUESTS / 4, segment: (REQUESTS * 3) / 4 });
  expect(store.evictedCount(1) + store.records(1).length).toBe(REQUESTS);
  expect(area.bytes).toBeLessThanOrEqual(QUOTA_BYTES);
  console.log(`soak: ${REQUESTS} requests, ${store.records(1).length} kept, ${store.evictedCount(1)} evicted, heap held ${held.toFixed(1)} MB, storage ${(area.bytes / 1024 / 1024).toFixed(1)} MB`);
  expect(held).toBeLessThan(MEMORY_BUDGET_MB);
  // Keep both alive until after the measurement.
  expect(store.records(1).length).toBeGreaterThan(0);
});
