/**
 * Soak: 100 000 LL-HLS-like requests (a master, then three renditions' playlist reloads and parts;
 * one rendition misses ACAO now and then, the audio one always answers with another origin) go through the
 * recorder and the store as webRequest event sequences. The store's memory stays bounded and the
 * per-tab totals — per kind, per stream, per cause — stay exact although old detail is evicted, and
 * a store rebuilt from what was persisted (a worker restart) has the same counts.
 */
import { expect, test } from 'vitest';
import { Recorder, type WebRequestDetails, type WebRequestEventName } from '../../src/background/recorder.ts';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import { streamsOfTotals, type TabTotals } from '../../src/view/totals.ts';
import { verdictForRecord } from '../../src/engine/index.ts';

const REQUESTS = 100_000;
const QUOTA_BYTES = 10 * 1024 * 1024; // chrome.storage.session.QUOTA_BYTES
const MEMORY_BUDGET_MB = 30; // docs/budgets.md

/**
 * storage.session with its quota: a write over it is rejected whole. It keeps what was written as
 * JSON text, as the browser does, so a restarted store can read it back (this copy counts in the
 * heap measured below, which makes the memory check stricter than the worker's own share).
 */
class QuotaSessionArea implements KeyValueArea {
  readonly values = new Map<string, string>();
  bytes = 0;
  async get(keys: string | string[] | null): Promise<Record<string, unknown>> {
    const wanted = keys === null ? [...this.values.keys()] : Array.isArray(keys) ? keys : [keys];
    return Object.fromEntries(wanted.filter((key) => this.values.has(key)).map((key) => [key, JSON.parse(this.values.get(key)!)]));
  }
  async set(items: Record<string, unknown>): Promise<void> {
    let next = this.bytes;
    const texts = Object.entries(items).map(([key, value]) => [key, JSON.stringify(value)] as const);
    for (const [key, text] of texts) next += key.length + text.length - this.#sizeOf(key);
    if (next > QUOTA_BYTES) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
    for (const [key, text] of texts) this.values.set(key, text);
    this.bytes = next;
  }
  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) {
      this.bytes -= this.#sizeOf(key);
      this.values.delete(key);
    }
  }
  #sizeOf(key: string): number {
    const text = this.values.get(key);
    return text === undefined ? 0 : key.length + text.length;
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

/** What the i-th request is: the master playlist first, then the three renditions in turn. */
interface Fed {
  url: string;
  isPlaylist: boolean;
  /** The stream key as the soak defines it, independently of the engine: the rendition's folder. */
  stream: string;
  /** Access-Control-Allow-Origin sent, or null when missing. */
  allowOrigin: string | null;
  /** The CorsError the browser reports for it, or null when it passes. */
  cause: 'MissingAllowOriginHeader' | 'AllowOriginMismatch' | null;
}

const RENDITIONS = [
  { base: 'https://d1.cloudfront.net/live/ch1/720p/', stream: 'd1.cloudfront.net/live/ch1/720p/' },
  // Every 50th part of this rendition lacks ACAO.
  { base: 'https://d1.cloudfront.net/live/ch1/480p/', stream: 'd1.cloudfront.net/live/ch1/480p/' },
  // The audio CDN answers with another site's origin: every request of this stream fails.
  { base: 'https://audio.example-cdn.net/live/ch1/aac/', stream: 'audio.example-cdn.net/live/ch1/aac/' },
];

function describeRequest(i: number): Fed {
  if (i === 0) return { url: 'https://d1.cloudfront.net/live/ch1/master.m3u8', isPlaylist: true, stream: 'd1.cloudfront.net/live/ch1/', allowOrigin: '*', cause: null };
  const rendition = (i - 1) % 3;
  const step = Math.floor((i - 1) / 3);
  const isPlaylist = step % 4 === 0; // a playlist reload, then three LL-HLS parts
  const { base, stream } = RENDITIONS[rendition]!;
  const url = isPlaylist ? `${base}index.m3u8?_HLS_msn=${step >> 2}&_HLS_part=2` : `${base}seg${step >> 2}.part${step % 4}.m4s`;
  if (rendition === 2) return { url, isPlaylist, stream, allowOrigin: 'https://other.example.com', cause: 'AllowOriginMismatch' };
  if (rendition === 1 && !isPlaylist && step % 50 === 1) return { url, isPlaylist, stream, allowOrigin: null, cause: 'MissingAllowOriginHeader' };
  return { url, isPlaylist, stream, allowOrigin: '*', cause: null };
}

/** The i-th request as the webRequest events the recorder sees. */
function* eventsOf(i: number, fed: Fed): Generator<[WebRequestEventName, WebRequestDetails]> {
  const { url, isPlaylist } = fed;
  const failing = fed.cause !== null;
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
    ...(fed.allowOrigin === null ? [] : [{ name: 'Access-Control-Allow-Origin', value: fed.allowOrigin }]),
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

test('100 000 LL-HLS requests: bounded memory, exact totals per kind, stream and cause, storage within quota, a restart keeps them', { timeout: 180_000 }, async () => {
  expect(typeof (globalThis as { gc?: unknown }).gc, 'run with --expose-gc (vitest.config.ts)').toBe('function');
  const area = new QuotaSessionArea();
  const before = heapMB();
  const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
  const store = new TabLogStore(area, { isQuotaError: (error) => /quota/i.test(String(error)) });
  // Counted from what the soak feeds, not from the engine.
  const expectedStreams = new Map<string, { total: number; failing: number }>();
  const expectedCauses: Record<string, number> = {};
  let expectedFailing = 0;
  let playlists = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const fed = describeRequest(i);
    for (const [event, details] of eventsOf(i, fed)) {
      const finished = recorder.handle(event, details);
      if (finished) store.add(finished, verdictForRecord(finished));
    }
    const stream = expectedStreams.get(fed.stream) ?? { total: 0, failing: 0 };
    expectedStreams.set(fed.stream, stream);
    stream.total++;
    if (fed.isPlaylist) playlists++;
    if (fed.cause) {
      stream.failing++;
      expectedFailing++;
      expectedCauses[fed.cause] = (expectedCauses[fed.cause] ?? 0) + 1;
    }
    if (i % 500 === 499) await store.flush(); // the background flushes in batches too
  }
  await store.flush();
  const held = heapMB() - before;

  const countsOf = (totals: TabTotals) =>
    Object.fromEntries(streamsOfTotals(totals).map((summary) => [summary.key, { total: summary.total, failing: summary.failing }]));
  const expectedStreamCounts = Object.fromEntries([...expectedStreams].sort(([a], [b]) => a.localeCompare(b)));
  expect(recorder.inFlightCount).toBe(0);
  const totals = store.totals(1);
  expect(totals.requests).toBe(REQUESTS);
  expect(totals.byOutcome.fail).toBe(expectedFailing);
  expect(totals.byOutcome.pass).toBe(REQUESTS - expectedFailing);
  expect(totals.byKind).toEqual({ 'master-playlist': 1, playlist: playlists - 1, segment: REQUESTS - playlists });
  expect(countsOf(totals)).toEqual(expectedStreamCounts);
  expect(totals.failuresByCause).toEqual(expectedCauses);
  expect(store.evictedCount(1)).toBeGreaterThanOrEqual(95_000);
  expect(store.evictedCount(1) + store.records(1).length).toBe(REQUESTS);
  expect(area.bytes).toBeLessThanOrEqual(QUOTA_BYTES);
  console.log(`soak: ${REQUESTS} requests, ${store.records(1).length} kept, ${store.evictedCount(1)} evicted, heap held ${held.toFixed(1)} MB (incl. the simulated storage copy), storage ${(area.bytes / 1024 / 1024).toFixed(1)} MB`);
  console.log(`soak: per stream ${JSON.stringify(countsOf(totals))}; per cause ${JSON.stringify(totals.failuresByCause)}`);
  expect(held).toBeLessThan(MEMORY_BUDGET_MB);
  // Keep both alive until after the measurement.
  expect(store.records(1).length).toBeGreaterThan(0);

  // A worker restart: a new store rebuilt from what the old one persisted.
  const restarted = new TabLogStore(area, { isQuotaError: (error) => /quota/i.test(String(error)) });
  await restarted.restore();
  expect(restarted.totals(1)).toEqual(totals);
  expect(countsOf(restarted.totals(1))).toEqual(expectedStreamCounts);
  expect(restarted.totals(1).failuresByCause).toEqual(expectedCauses);
  expect(restarted.evictedCount(1)).toBe(store.evictedCount(1));
  console.log(`soak: after a restart ${restarted.records(1).length} records restored, tallies equal: ${JSON.stringify(restarted.totals(1).failuresByCause)}`);
});
