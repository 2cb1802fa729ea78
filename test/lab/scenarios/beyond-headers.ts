/**
 * Lab scenarios for causes beyond a missing CORS header (docs/rules/index.md): failures that are not
 * CORS at all, and exchanges that pass CORS yet still hurt the player. Each starts its own loopback
 * media server (stream-server.ts) set up the way the cause needs, and names the causes the popup must
 * show. Played in Chromium with CORS Lens by test/e2e/beyond-headers.e2e.test.ts.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allowingPreflight, closedPort, startStreamServer, type StreamRequest, type StreamServer } from './stream-server.ts';

export interface BeyondHeadersContext {
  /** The page origin the player runs on (the e2e page server). */
  pageOrigin: string;
}

export interface StartedBeyondHeaders {
  /** The playlist the player loads. */
  src: string;
  /** A page of the scenario's own (with `?src=`), instead of the e2e page server's hls.js page. */
  pageUrl?: string;
  /** URLs (a pattern) that something in the browser cancels, as a blocking extension would (the e2e aborts them as blocked by client). */
  blockedInBrowser?: RegExp;
  /** Request headers the page's hls.js adds to every request (xhrSetup). */
  requestHeaders?: Record<string, string>;
  /** Every request the media server(s) received from the browser. */
  log(): StreamRequest[];
  close(): Promise<void>;
}

export interface BeyondHeadersScenario {
  /** The cause id the scenario is about. */
  id: string;
  title: string;
  /** What is set up, in plain words. */
  history: string;
  /** Cause ids the popup must name. */
  expectedCauses: string[];
  /** Causes the popup must not name (the rules this cause is easily mistaken for). */
  notNamed: string[];
  /** The network error Chromium itself must report for the media (CDP Network.loadingFailed errorText), when the cause is one. */
  browserError?: string;
  /** Causes the popup must name as certain, with a text its card must show (the capture sees what decides them). */
  certain?: Record<string, string>;
  /** A row the player could not use: its file, what its reason must say and what it must not. */
  withheldRow?: { file: string; says: string; never: string };
  /** What the popup's answer must say (the conclusion as shown), e.g. that media failed although nothing failed CORS. */
  answerSays?: string;
  start(context: BeyondHeadersContext): Promise<StartedBeyondHeaders>;
}

function started(src: string, servers: StreamServer[], extra: Partial<StartedBeyondHeaders> = {}): StartedBeyondHeaders {
  return {
    src,
    log: () => servers.flatMap((server) => server.log),
    close: async () => {
      for (const server of servers) await server.close();
    },
    ...extra,
  };
}

/** A page script that adds the scenario's request headers to the page's XHRs, as an hls.js xhrSetup would. */
export function requestHeadersScript(headers: Record<string, string>): string {
  return `(() => {
  const headers = ${JSON.stringify(headers)};
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    for (const [name, value] of Object.entries(headers)) this.setRequestHeader(name, value);
    return send.call(this, body);
  };
})();`;
}

/** CORS for the page's origin on every answer. */
export const allowPage = (request: StreamRequest): Record<string, string> => (request.origin ? { 'access-control-allow-origin': request.origin, vary: 'Origin' } : {});

const notACorsFailure: BeyondHeadersScenario = {
  id: 'not-a-cors-failure',
  title: 'Segments on a port nothing listens on',
  history:
    'The playlist is served with CORS, but its segment URLs name another port of the same host where no server runs (a playlist written for another environment): every segment load ends in net::ERR_CONNECTION_REFUSED, which hls.js reports as a network error "that might be CORS".',
  expectedCauses: ['not-a-cors-failure'],
  browserError: 'net::ERR_CONNECTION_REFUSED',
  notNamed: ['origin-without-cors', 'cdn-cache-poisoned', 'error-without-cors'],
  async start() {
    const port = await closedPort();
    const media = await startStreamServer({
      headers: allowPage,
      playlist: (text) => text.replace(/^(segment\d\.ts)$/gm, `http://127.0.0.1:${port}/hls/$1`),
    });
    return started(`${media.origin}/hls/stream.m3u8`, [media]);
  },
};

const mediaDir = fileURLToPath(new URL('../../fixtures/media/hls', import.meta.url));

/** The playlist with each segment as a byte range of its file (EXT-X-BYTERANGE): hls.js then sends Range. */
function asByteRanges(text: string): string {
  return text.replace(/^(segment\d\.ts)$/gm, (name) => `#EXT-X-BYTERANGE:${statSync(`${mediaDir}/${name}`).size}@0\n${name}`).replace('#EXT-X-VERSION:3', '#EXT-X-VERSION:4');
}

const exposeHeadersMissing: BeyondHeadersScenario = {
  id: 'expose-headers-missing',
  title: 'Byte-range segments, Content-Range not exposed',
  history:
    'The playlist names its segments as byte ranges (EXT-X-BYTERANGE), so hls.js sends Range: bytes=0-N and gets 206 with Content-Range. The server sends Access-Control-Allow-Origin but no Access-Control-Expose-Headers: CORS passes, and script reads Content-Range as null.',
  expectedCauses: ['expose-headers-missing'],
  notNamed: ['not-a-cors-failure', 'preflight-per-segment', 'origin-without-cors'],
  async start() {
    const media = await startStreamServer({ headers: allowPage, playlist: asByteRanges });
    return started(`${media.origin}/hls/stream.m3u8`, [media]);
  },
};

const preflightPerSegment: BeyondHeadersScenario = {
  id: 'preflight-per-segment',
  title: 'A session header on every request: one preflight per segment',
  history:
    'The page\'s hls.js adds x-player-session to every request (xhrSetup). The server allows it (204 with Access-Control-Allow-Headers and Max-Age 86400), so playback works, but each new URL (the playlist and every segment) is preceded by its own OPTIONS request.',
  expectedCauses: ['preflight-per-segment'],
  notNamed: ['preflight-rejected', 'not-a-cors-failure'],
  async start() {
    const media = await startStreamServer({
      headers: allowPage,
      preflight: (request) => ({ status: 204, headers: { ...allowingPreflight(request).headers, 'access-control-max-age': '86400' } }),
    });
    return started(`${media.origin}/hls/stream.m3u8`, [media], { requestHeaders: { 'x-player-session': 'lab-1' } });
  },
};

const redirectTaintsOrigin: BeyondHeadersScenario = {
  id: 'redirect-taints-origin',
  title: 'Segments redirected to a storage host that allows the page by name',
  history:
    'The playlist names its segments on the CDN host, which answers each with a 302 (with CORS) to a storage host on another origin. The storage host allows the page origin by name (a static Access-Control-Allow-Origin, as an nginx add_header would). After the cross-origin hop the browser sends Origin: null, so every segment is rejected although the storage host "allows the page".',
  expectedCauses: ['redirect-taints-origin'],
  notNamed: ['origin-mismatch', 'origin-without-cors', 'not-a-cors-failure'],
  async start({ pageOrigin }) {
    const storage = await startStreamServer({ headers: () => ({ 'access-control-allow-origin': pageOrigin }) });
    const cdn = await startStreamServer({
      headers: allowPage,
      playlist: (text) => text.replace(/^(segment\d\.ts)$/gm, 'redirect/$1'),
      intercept: (request) =>
        request.path.startsWith('/hls/redirect/')
          ? { status: 302, headers: { location: `${storage.origin}/hls/${request.path.slice('/hls/redirect/'.length)}`, ...allowPage(request) } }
          : null,
    });
    return started(`${cdn.origin}/hls/stream.m3u8`, [cdn, storage]);
  },
};

const timingAllowOriginMissing: BeyondHeadersScenario = {
  id: 'timing-allow-origin-missing',
  title: 'Segments with CORS and without Timing-Allow-Origin',
  history:
    'The server sends Access-Control-Allow-Origin on every answer and no Timing-Allow-Origin: playback works, and the page\'s Resource Timing entries of the segments have zero sizes (the scenario\'s test reads them from the page to prove it).',
  expectedCauses: ['timing-allow-origin-missing'],
  notNamed: ['not-a-cors-failure', 'expose-headers-missing', 'preflight-per-segment'],
  async start() {
    const media = await startStreamServer({ headers: allowPage });
    return started(`${media.origin}/hls/stream.m3u8`, [media]);
  },
};

/** What a CloudFront edge adds to an answer from its cache. */
const cloudFrontHit = { 'x-cache': 'Hit from cloudfront', via: '1.1 3f2a.cloudfront.net (CloudFront)', 'x-amz-cf-pop': 'ICN80-P3', age: '120' };

const preflightCachedAtCdn: BeyondHeadersScenario = {
  id: 'preflight-cached-at-cdn',
  title: 'A CloudFront-like edge serves another site\'s cached preflight answer',
  history:
    'The page\'s hls.js adds x-player-session, so every request is preflighted. The edge caches OPTIONS without Origin in its key: two minutes ago another site\'s preflight filled it, and every preflight now gets that answer (Hit from cloudfront, Age 120) with Access-Control-Allow-Origin: https://other-site.example. The browser never sends the requests.',
  expectedCauses: ['preflight-cached-at-cdn'],
  notNamed: ['origin-mismatch', 'not-a-cors-failure', 'origin-without-cors', 'preflight-per-segment'],
  async start() {
    const media = await startStreamServer({
      headers: allowPage,
      preflight: () => ({
        status: 200,
        headers: {
          ...cloudFrontHit,
          'access-control-allow-origin': 'https://other-site.example',
          'access-control-allow-methods': 'GET, HEAD',
          'access-control-allow-headers': 'x-player-session',
          'access-control-max-age': '600',
        },
      }),
    });
    return started(`${media.origin}/hls/stream.m3u8`, [media], { requestHeaders: { 'x-player-session': 'lab-1' } });
  },
};

/** A native <video> page that says when it is done (as the e2e pages do), served with the headers given. */
const NATIVE_VIDEO_PAGE = `<!doctype html><meta charset="utf-8"><title>isolated page</title>
<video id="video" muted autoplay playsinline width="320" height="180"></video>
<script>
  const state = (window.__player = { done: false, error: null });
  const video = document.getElementById('video');
  video.addEventListener('error', () => { state.error = video.error && video.error.message; state.done = true; });
  video.addEventListener('loadeddata', () => { state.done = true; });
  video.src = new URLSearchParams(location.search).get('src');
</script>`;

const coepBlocksMedia: BeyondHeadersScenario = {
  id: 'coep-blocks-media',
  title: 'A cross-origin isolated page plays media without CORP',
  history:
    'The page is served with Cross-Origin-Embedder-Policy: require-corp (and COOP same-origin, for SharedArrayBuffer). Its <video> has no crossorigin attribute, so it fetches the media without CORS; the media server sends no Cross-Origin-Resource-Policy. Chromium receives the response and blocks it (net::ERR_BLOCKED_BY_RESPONSE).',
  expectedCauses: ['coep-blocks-media'],
  browserError: 'net::ERR_BLOCKED_BY_RESPONSE',
  notNamed: ['not-a-cors-failure', 'origin-without-cors', 'not-a-cors-request'],
  // The page's own response header is captured (src/background/document-policies.ts).
  certain: { 'coep-blocks-media': 'was served with Cross-Origin-Embedder-Policy: require-corp' },
  // The media failed although no request failed CORS: the answer says so, not that they "can" fail.
  answerSays: 'No request failed CORS, yet 1 failed',
  // Firefox ESR 153 (measured): webRequest sees the 206 arrive, then NS_ERROR_DOM_CORP_FAILED; the page's
  // video fails ("Failed to open media") and its Resource Timing entry has responseStatus 0. The row is
  // not CORS, and must say the response was withheld, never that nothing is needed.
  withheldRow: { file: 'segment0.ts', says: 'withheld its response from the page', never: 'no CORS headers are needed' },
  async start() {
    const media = await startStreamServer();
    const page = await startStreamServer({
      files: { 'isolated.html': { contentType: 'text/html; charset=utf-8', body: () => NATIVE_VIDEO_PAGE } },
      headers: () => ({ 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-opener-policy': 'same-origin' }),
    });
    return started(`${media.origin}/v/segment0.ts`, [media, page], { pageUrl: `${page.origin}/isolated.html` });
  },
};

const extensionInterference: BeyondHeadersScenario = {
  id: 'extension-interference',
  title: 'Segments cancelled inside the browser',
  history:
    'The server sends CORS on everything, but something in the browser cancels every segment request before it leaves (the test aborts them the way a blocking extension does, as "blocked by client").',
  expectedCauses: ['extension-interference'],
  browserError: 'net::ERR_BLOCKED_BY_CLIENT',
  notNamed: ['not-a-cors-failure', 'origin-without-cors'],
  async start() {
    const media = await startStreamServer({ headers: allowPage });
    return started(`${media.origin}/hls/stream.m3u8`, [media], { blockedInBrowser: /\/segment\d\.ts$/ });
  },
};

export const BEYOND_HEADERS_SCENARIOS: readonly BeyondHeadersScenario[] = [
  extensionInterference,
  coepBlocksMedia,
  notACorsFailure,
  exposeHeadersMissing,
  preflightPerSegment,
  redirectTaintsOrigin,
  timingAllowOriginMissing,
  preflightCachedAtCdn,
];
