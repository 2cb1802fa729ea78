/**
 * A deterministic LL-HLS-like session for the benchmarks: what a player page logs over hours of
 * low-latency playback, as webRequest event sequences (for the recorder/store) and as the records the
 * recorder makes of them (for analyze and the exports).
 *
 * Shape (per "stream"): one master playlist, 3 variant playlists reloaded with blocking
 * `_HLS_msn/_HLS_part` queries, parts (`.m4s`, byte-range-free) and full segments, an init segment;
 * streams spread over four CDN fingerprints (CloudFront + S3, Cloudflare, Fastly, Akamai) with
 * realistic request and response header lists. About 2 % of requests fail CORS in the ways the rules
 * look for (poisoned cached copies at one POP, 404s without ACAO, a refused preflight, duplicated
 * ACAO), and about 1 % go out without CORS (a <video> without crossorigin). Seeded: every run of the
 * bench sees the same records.
 */
import { Recorder, type WebRequestDetails, type WebRequestEventName } from '../../src/background/recorder.ts';
import type { HeaderList, RequestRecord } from '../../src/engine/model.ts';

export const PAGE_ORIGIN = 'https://player.example.com';
const PAGE_URL = `${PAGE_ORIGIN}/watch/live`;
const TAB_ID = 7;
/** 2026-05-05T10:00:00Z. */
const START_MS = 1_777_975_200_000;

/** Mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Cdn = 'cloudfront' | 'cloudflare' | 'fastly' | 'akamai';
const CDNS: readonly Cdn[] = ['cloudfront', 'cloudflare', 'fastly', 'akamai'];
const HOSTS: Record<Cdn, string> = {
  cloudfront: 'https://d16ufd393m7gss.cloudfront.net',
  cloudflare: 'https://live.cf-media.example.net',
  fastly: 'https://video.global.ssl.fastly.example.net',
  akamai: 'https://live-hls.akamaized.example.net',
};
const POPS: Record<Cdn, readonly string[]> = {
  cloudfront: ['ICN80-P3', 'NRT57-C1', 'FRA56-P1'],
  cloudflare: ['ICN', 'NRT', 'FRA'],
  fastly: ['cache-icn1234-ICN', 'cache-nrt5678-NRT', 'cache-fra9012-FRA'],
  akamai: ['a23-45-67-89.deploy.static.akamaitechnologies.com'],
};

type Kind = 'master' | 'variant' | 'init' | 'part' | 'segment' | 'preflight' | 'no-cors';
type Failure = 'none' | 'poisoned' | 'not-found' | 'duplicate-acao' | 'preflight-403';

interface Planned {
  kind: Kind;
  cdn: Cdn;
  url: string;
  method: string;
  failure: Failure;
  cacheHit: boolean;
  pop: string;
  age: number;
  start: number;
  resourceType: string;
}

const CHROME_REQUEST_BASE: HeaderList = [
  ['accept', '*/*'],
  ['accept-encoding', 'gzip, deflate, br, zstd'],
  ['accept-language', 'en-US,en;q=0.9'],
  ['sec-ch-ua', '"Chromium";v="156", "Not.A/Brand";v="99"'],
  ['sec-ch-ua-mobile', '?0'],
  ['sec-ch-ua-platform', '"Linux"'],
  ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'],
];

function requestHeadersOf(plan: Planned): HeaderList {
  if (plan.kind === 'no-cors') {
    return [...CHROME_REQUEST_BASE, ['range', 'bytes=0-'], ['referer', `${PAGE_ORIGIN}/`], ['sec-fetch-dest', 'video'], ['sec-fetch-mode', 'no-cors'], ['sec-fetch-site', 'cross-site']];
  }
  const headers: HeaderList = [...CHROME_REQUEST_BASE, ['origin', PAGE_ORIGIN], ['referer', `${PAGE_ORIGIN}/`], ['sec-fetch-dest', 'empty'], ['sec-fetch-mode', 'cors'], ['sec-fetch-site', 'cross-site']];
  if (plan.kind === 'preflight') headers.push(['access-control-request-method', 'GET'], ['access-control-request-headers', 'x-session-id']);
  return headers;
}

function contentTypeOf(kind: Kind): string {
  if (kind === 'master' || kind === 'variant') return 'application/vnd.apple.mpegurl';
  return kind === 'segment' || kind === 'part' || kind === 'init' ? 'video/iso.segment' : 'video/mp2t';
}

function hexId(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return text.slice(0, length);
}

function cdnHeaders(plan: Planned, random: () => number): HeaderList {
  const hit = plan.cacheHit;
  switch (plan.cdn) {
    case 'cloudfront':
      return [
        ['x-cache', plan.failure === 'preflight-403' ? 'Error from cloudfront' : hit ? 'Hit from cloudfront' : 'Miss from cloudfront'],
        ['via', `1.1 ${hexId(random, 32)}.cloudfront.net (CloudFront)`],
        ['x-amz-cf-pop', plan.pop],
        ['x-amz-cf-id', `${hexId(random, 40)}==`],
        ...(hit ? ([['age', String(plan.age)]] as HeaderList) : []),
      ];
    case 'cloudflare':
      return [
        ['server', 'cloudflare'],
        ['cf-cache-status', hit ? 'HIT' : 'MISS'],
        ['cf-ray', `${hexId(random, 16)}-${plan.pop}`],
        ...(hit ? ([['age', String(plan.age)]] as HeaderList) : []),
      ];
    case 'fastly':
      return [
        ['via', '1.1 varnish'],
        ['x-served-by', plan.pop],
        ['x-cache', hit ? 'HIT' : 'MISS'],
        ['x-cache-hits', hit ? '3' : '0'],
        ['x-timer', `S1777975200.${hexId(random, 6)},VS0,VE1`],
        ...(hit ? ([['age', String(plan.age)]] as HeaderList) : []),
      ];
    case 'akamai':
      return [
        ['server', 'AkamaiNetStorage'],
        ['x-cache', `${hit ? 'TCP_HIT' : 'TCP_MISS'} from ${plan.pop} (AkamaiGHost/22.1.0-ab12) (-)`],
        ['x-akamai-request-id', hexId(random, 8)],
      ];
  }
}

function responseHeadersOf(plan: Planned, random: () => number): HeaderList {
  const date = new Date(plan.start).toUTCString();
  const headers: HeaderList = [
    ['content-type', plan.failure === 'not-found' || plan.failure === 'preflight-403' ? 'application/xml' : contentTypeOf(plan.kind)],
    ['content-length', String(plan.kind === 'segment' ? 1_048_576 + Math.floor(random() * 500_000) : plan.kind === 'part' ? 180_000 + Math.floor(random() * 80_000) : 1_400)],
    ['date', date],
    ['last-modified', date],
    ['etag', `"${hexId(random, 32)}"`],
    ['cache-control', plan.kind === 'variant' || plan.kind === 'master' ? 'max-age=1' : 'max-age=31536000'],
    ['accept-ranges', 'bytes'],
  ];
  const onS3 = plan.cdn === 'cloudfront';
  if (onS3) headers.push(['server', 'AmazonS3'], ['x-amz-server-side-encryption', 'AES256']);
  const sendsCors = plan.kind !== 'no-cors' && plan.failure !== 'poisoned' && plan.failure !== 'not-found' && plan.failure !== 'preflight-403';
  if (sendsCors) {
    if (onS3) {
      headers.push(
        ['access-control-allow-origin', '*'],
        ['access-control-allow-methods', 'GET, HEAD'],
        ['vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'],
      );
    } else {
      headers.push(['access-control-allow-origin', PAGE_ORIGIN], ['access-control-expose-headers', 'Content-Length, Content-Range'], ['vary', 'Origin, Accept-Encoding']);
    }
    if (plan.failure === 'duplicate-acao') headers.push(['access-control-allow-origin', '*']);
  }
  headers.push(...cdnHeaders(plan, random));
  return headers;
}

/** The plan of the whole session: which request, where, when, how it fails. */
function plan(count: number, seed: number): Planned[] {
  const random = rng(seed);
  const planned: Planned[] = [];
  let now = START_MS;
  let stream = 0;
  while (planned.length < count) {
    const cdn = CDNS[stream % CDNS.length]!;
    const base = `${HOSTS[cdn]}/live/event${stream}`;
    const pops = POPS[cdn];
    const badPop = pops[0]!;
    // A live event of 200 to 400 media sequence numbers: 4 blocking playlist reloads + 4 parts + 1 segment each.
    const sequences = 200 + Math.floor(random() * 200);
    const push = (kind: Kind, url: string, extra: Partial<Planned> = {}): void => {
      const hit = extra.cacheHit ?? (kind === 'segment' || kind === 'part' || kind === 'init' ? random() < 0.85 : random() < 0.3);
      planned.push({
        kind,
        cdn,
        url,
        method: kind === 'preflight' ? 'OPTIONS' : 'GET',
        failure: 'none',
        cacheHit: hit,
        pop: pops[Math.floor(random() * pops.length)]!,
        age: hit ? 1 + Math.floor(random() * 600) : 0,
        start: now,
        resourceType: kind === 'no-cors' ? 'media' : 'xmlhttprequest',
        ...extra,
      });
      now += 30 + Math.floor(random() * 150);
    };
    push('master', `${base}/master.m3u8`);
    for (let variant = 0; variant < 3; variant++) push('init', `${base}/v${variant}/init.mp4`);
    for (let msn = 100; msn < 100 + sequences && planned.length < count; msn++) {
      const variant = Math.floor(random() * 3);
      const dir = `${base}/v${variant}`;
      for (let part = 0; part < 4; part++) {
        push('variant', `${dir}/media.m3u8?_HLS_msn=${msn}&_HLS_part=${part}`);
        const partUrl = `${dir}/seg${msn}.part${part}.m4s`;
        const roll = random();
        if (roll < 0.008) push('part', partUrl, { failure: 'poisoned', cacheHit: true, pop: badPop, age: 4_000 + Math.floor(random() * 3_000) });
        else if (roll < 0.012) push('part', partUrl, { failure: 'not-found', cacheHit: false });
        else if (roll < 0.014 && cdn !== 'cloudfront') push('part', partUrl, { failure: 'duplicate-acao' });
        else if (roll < 0.016) push('preflight', partUrl, { failure: 'preflight-403', cacheHit: false });
        else if (roll < 0.026) push('no-cors', partUrl, { cacheHit: false });
        else push('part', partUrl);
      }
      push('segment', `${dir}/seg${msn}.m4s`);
    }
    stream++;
  }
  return planned.slice(0, count);
}

export interface WorkloadEvent {
  event: WebRequestEventName;
  details: WebRequestDetails;
}

const WIRE_NAMES = new Map<string, string>();

/** Headers as webRequest hands them over: {name, value} objects with the server's spelling (Content-Type). */
function rawHeaders(headers: HeaderList): Array<{ name: string; value: string }> {
  return headers.map(([name, value]) => {
    let wire = WIRE_NAMES.get(name);
    if (wire === undefined) {
      wire = name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
      WIRE_NAMES.set(name, wire);
    }
    return { name: wire, value };
  });
}

/**
 * The webRequest events Chromium fires for one request (extraHeaders on): onBeforeRequest,
 * onBeforeSendHeaders, onSendHeaders, onHeadersReceived, onResponseStarted, onCompleted — or
 * onErrorOccurred for a request the browser blocked.
 */
function eventsOf(plan: Planned, index: number, random: () => number): WorkloadEvent[] {
  const requestId = String(10_000 + index);
  const requestHeaders = rawHeaders(requestHeadersOf(plan));
  const responseHeaders = rawHeaders(responseHeadersOf(plan, random));
  const status = plan.failure === 'not-found' ? 404 : plan.failure === 'preflight-403' ? 403 : 200;
  // Object literals, not spreads: V8 (Node 20) takes a slow path for `{ ...a, b }` that costs µs per event.
  const details = (timeStamp: number, extra?: Partial<WebRequestDetails>, withResponse = false): WebRequestDetails => {
    const item: WebRequestDetails = { requestId, url: plan.url, method: plan.method, type: plan.resourceType, tabId: TAB_ID, frameId: 0, initiator: PAGE_ORIGIN, timeStamp };
    if (withResponse) {
      item.statusCode = status;
      item.statusLine = `HTTP/1.1 ${status}`;
      item.responseHeaders = responseHeaders;
      item.fromCache = false;
      item.ip = '127.0.0.1';
    }
    if (extra) Object.assign(item, extra);
    return item;
  };
  const t = plan.start;
  // Chromium ends a CORS-blocked request (and a refused preflight) in onErrorOccurred with net::ERR_FAILED.
  const blocked = plan.kind !== 'no-cors' && plan.failure !== 'none';
  const events: WorkloadEvent[] = [
    { event: 'beforeRequest', details: details(t) },
    { event: 'beforeSendHeaders', details: details(t + 0.2, { requestHeaders }) },
    { event: 'sendHeaders', details: details(t + 0.4, { requestHeaders }) },
    { event: 'headersReceived', details: details(t + 12, undefined, true) },
  ];
  if (blocked) {
    events.push({ event: 'errorOccurred', details: details(t + 13, { error: 'net::ERR_FAILED', fromCache: false }) });
  } else {
    events.push({ event: 'responseStarted', details: details(t + 13, undefined, true) });
    events.push({ event: 'completed', details: details(t + 25, undefined, true) });
  }
  return events;
}

/** The event sequences of `count` requests, in the order the browser fires them (requests do not overlap). */
export function* workloadEvents(count: number, seed = 42): Generator<WorkloadEvent> {
  const random = rng(seed ^ 0x5bd1e995);
  const planned = plan(count, seed);
  for (let index = 0; index < planned.length; index++) yield* eventsOf(planned[index]!, index, random);
}

/** The records the recorder makes of the same session: the events replayed through the real Recorder. */
export function workloadRecords(count: number, seed = 42): RequestRecord[] {
  const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
  const records: RequestRecord[] = [];
  for (const { event, details } of workloadEvents(count, seed)) {
    const finished = recorder.handle(event, details);
    if (finished) records.push(finished);
  }
  return records;
}

export { PAGE_URL, TAB_ID };
