/**
 * Loopback servers for the e2e tests: a page origin (127.0.0.1:A) that plays HLS with hls.js or a
 * native <video>, and a media origin (localhost:B) serving the committed test stream with CDN-like
 * cache headers and Access-Control-Allow-Origin on every file except the ones a test names.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { MEDIA_FOLDERS, mediaRoot, playerAsset } from './players.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const mediaDir = path.join(root, 'test/fixtures/media/hls');
const hlsJsPath = path.join(root, 'node_modules/hls.js/dist/hls.min.js');

export interface RunningServer {
  origin: string;
  port: number;
  /** Every request the server received: method, path and headers, in order; when it arrived and was answered. */
  requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; receivedAt?: number; answeredAt?: number }>;
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

const HLS_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>hls.js player</title></head>
<body><video id="video" muted playsinline width="320" height="180"></video>
<script src="/hls.min.js"></script>
<script>
  const src = new URLSearchParams(location.search).get('src');
  const state = (window.__player = { done: false, fatal: null, fragLoaded: [], errors: [] });
  const video = document.getElementById('video');
  const retry = { maxNumRetry: 1, retryDelayMs: 50, maxRetryDelayMs: 50 };
  const policy = { default: { maxTimeToFirstByteMs: 8000, maxLoadTimeMs: 20000, timeoutRetry: retry, errorRetry: retry } };
  const hls = new Hls({ fragLoadPolicy: policy, playlistLoadPolicy: policy, manifestLoadPolicy: policy, maxBufferLength: 30 });
  hls.on(Hls.Events.FRAG_LOADED, (_e, data) => state.fragLoaded.push(data.frag.relurl));
  hls.on(Hls.Events.ERROR, (_e, data) => {
    state.errors.push({ details: data.details, fatal: data.fatal, url: data.frag ? data.frag.relurl : data.url });
    if (data.fatal) { state.fatal = data.details; state.done = true; }
  });
  video.addEventListener('ended', () => { state.done = true; });
  hls.loadSource(src);
  hls.attachMedia(video);
  video.play().catch(() => {});
</script></body></html>`;

const NATIVE_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>native video</title></head>
<body><video id="video" muted playsinline autoplay width="320" height="180"></video>
<script>
  const state = (window.__player = { done: false, ended: false, error: null });
  const video = document.getElementById('video');
  video.addEventListener('ended', () => { state.ended = true; state.done = true; });
  video.addEventListener('error', () => { state.error = video.error && video.error.message; state.done = true; });
  video.src = new URLSearchParams(location.search).get('src');
  video.play().catch(() => {});
</script></body></html>`;

/** The page origin: serves the two player pages and hls.js. */
export async function startPageServer(): Promise<RunningServer> {
  const requests: RunningServer['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers });
    if (url.pathname === '/hls.html') return send(res, 200, 'text/html; charset=utf-8', HLS_PAGE);
    if (url.pathname === '/native.html') return send(res, 200, 'text/html; charset=utf-8', NATIVE_PAGE);
    if (url.pathname === '/hls.min.js') {
      return void readFile(hlsJsPath).then((body) => send(res, 200, 'text/javascript', body));
    }
    if (url.pathname.startsWith('/players/')) {
      return void playerAsset(url.pathname).then((asset) => (asset ? send(res, 200, asset.contentType, asset.body) : send(res, 404, 'text/plain', 'not found')));
    }
    if (url.pathname === '/blank.html') return send(res, 200, 'text/html; charset=utf-8', '<!doctype html><title>blank</title>');
    if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', 'not found');
  });
  const port = await listen(server, '127.0.0.1', 0);
  return { origin: `http://127.0.0.1:${port}`, port, requests, close: () => closeServer(server) };
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

export interface MediaServerOptions {
  /** File names served without Access-Control-Allow-Origin. */
  withoutAllowOrigin: ReadonlySet<string>;
  /**
   * Imitates a CDN whose cached copies lack CORS while the origin sends it: a request with a query
   * string (a cache-busted re-test) is a Miss answered with Access-Control-Allow-Origin.
   */
  freshCopyHasAllowOrigin?: boolean;
  /** Answers segments (.ts) only after this many milliseconds, so playback spans a while. */
  segmentDelayMs?: number;
  /** 'echo': ACAO repeats the request's Origin, without Access-Control-Allow-Credentials (S3's ordinary answer); '*' by default. */
  allowOrigin?: '*' | 'echo';
  /**
   * false: no per-response id (no x-amz-cf-id), like a cache layer that sends none (nginx
   * proxy_cache): two fetches of one copy in the same second then carry the very same headers.
   */
  perResponseId?: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.mpd': 'application/dash+xml',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
};

/**
 * The media origin on localhost:B. Chromium resolves localhost to ::1 first (docs/capture.md#localhost),
 * so it listens on 127.0.0.1 and, where available, on ::1 with the same port.
 */
export async function startMediaServer(options: MediaServerOptions): Promise<RunningServer> {
  const requests: RunningServer['requests'] = [];
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const entry: RunningServer['requests'][number] = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, receivedAt: Date.now() };
    requests.push(entry);
    res.once('finish', () => (entry.answeredAt = Date.now()));
    const name = path.basename(url.pathname);
    const contentType = CONTENT_TYPES[path.extname(name)];
    // Any folder prefix serves the same stream, so each test can use a URL no cache has seen.
    if (!contentType || !/^(\/[\w-]+)*\/[\w.-]+$/.test(url.pathname)) return send(res, 404, 'text/plain', 'not found');
    let body: Buffer;
    try {
      // A player test's stream is named by the folder right above the file (players.ts STREAMS); any other is the HLS stream.
      const folder = path.basename(path.dirname(url.pathname));
      body = await readFile(path.join(MEDIA_FOLDERS.has(folder) ? path.join(mediaRoot, folder) : mediaDir, name));
    } catch {
      return send(res, 404, 'text/plain', 'not found');
    }
    const isPlaylist = name.endsWith('.m3u8') || name.endsWith('.mpd');
    const fresh = options.freshCopyHasAllowOrigin === true && url.search !== '';
    const headers: Record<string, string> = {
      'cache-control': isPlaylist ? 'no-cache' : 'max-age=60',
      'x-cache': isPlaylist || fresh ? 'Miss from cloudfront' : 'Hit from cloudfront',
      age: isPlaylist || fresh ? '0' : '42',
      via: '1.1 e2e.cloudfront.net (CloudFront)',
      'x-amz-cf-pop': 'ICN80-P3',
      'accept-ranges': 'bytes',
    };
    // Each response its own id, as CloudFront's (test/lab/edge.ts does the same), unless the test
    // wants a layer without one (then only the headers every response has identify a copy:
    // src/engine/rules/lib/facts.ts, isStoredCopyOf).
    if (options.perResponseId !== false) headers['x-amz-cf-id'] = randomBytes(42).toString('base64');
    if (fresh || !options.withoutAllowOrigin.has(name)) {
      const echoed = options.allowOrigin === 'echo' ? req.headers.origin : undefined;
      headers['access-control-allow-origin'] = echoed ?? '*';
      if (echoed !== undefined) headers.vary = 'Origin';
    }
    if (options.segmentDelayMs && name.endsWith('.ts')) await new Promise((resolve) => setTimeout(resolve, options.segmentDelayMs));
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
      headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
      return send(res, 206, contentType, body.subarray(start, end + 1), headers);
    }
    return send(res, 200, contentType, body, headers);
  };
  const v4 = createServer((req, res) => void handler(req, res));
  const port = await listen(v4, '127.0.0.1', 0);
  const v6 = createServer((req, res) => void handler(req, res));
  let v6Listening = true;
  await listen(v6, '::1', port).catch(() => {
    v6Listening = false; // no IPv6 loopback here: browsers fall back to 127.0.0.1
  });
  return {
    origin: `http://localhost:${port}`,
    port,
    requests,
    close: async () => {
      await closeServer(v4);
      if (v6Listening) await closeServer(v6);
    },
  };
}
