/**
 * Loopback servers for the browser benchmarks: a page origin (127.0.0.1:A) with an hls.js player that
 * times itself, and a media origin (127.0.0.1:B) serving an HLS stream of `segments` fragments made
 * from the committed test media (each run under a fresh folder, so no cache helps), with CloudFront-
 * like headers and Access-Control-Allow-Origin: *. The page origin also serves an ordinary page
 * (general.html): GENERAL_SUBRESOURCES cross-origin images, scripts, stylesheets and fonts from the
 * other origin, no media, timed to its load event.
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const HLS_JS = readFileSync(`${root}node_modules/hls.js/dist/hls.min.js`);
const SEGMENT_FILES = [0, 1, 2, 3].map((index) => readFileSync(`${root}test/fixtures/media/hls/segment${index}.ts`));

/** The player: loads the stream with hls.js and records when its last fragment arrived (ms since navigation start). */
const PLAYER = `<!doctype html><html><head><meta charset="utf-8"><title>bench player</title></head>
<body><video id="video" muted playsinline width="320" height="180"></video>
<script src="/hls.min.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const expected = Number(params.get('frags'));
  const state = (window.__bench = { done: false, loaded: 0, loadedAtMs: null, error: null });
  const hls = new Hls({ maxBufferLength: 600, maxMaxBufferLength: 600, enableWorker: true });
  hls.on(Hls.Events.FRAG_LOADED, () => {
    state.loaded++;
    if (state.loaded === expected) { state.loadedAtMs = performance.now(); state.done = true; }
  });
  hls.on(Hls.Events.ERROR, (_e, data) => { if (data.fatal) { state.error = data.details; state.done = true; } });
  hls.loadSource(params.get('src'));
  hls.attachMedia(document.getElementById('video'));
</script></body></html>`;

/** The ordinary page's cross-origin subresources, by type (300 in all; each stylesheet of the first half names a font). */
export const GENERAL_SUBRESOURCES = { image: 150, script: 60, stylesheet: 60, font: 30 } as const;

/** An ordinary page: no media, GENERAL_SUBRESOURCES from `assets` (a fresh folder of the other origin per load). */
function generalPage(assets: string): string {
  const { image, script, stylesheet, font } = GENERAL_SUBRESOURCES;
  const lines = ['<!doctype html><html><head><meta charset="utf-8"><title>bench ordinary page</title>'];
  for (let index = 0; index < stylesheet; index++) lines.push(`<link rel="stylesheet" href="${assets}/style${index}.css">`);
  lines.push('</head><body>');
  for (let index = 0; index < font; index++) lines.push(`<p class="font${index}">Text in font ${index}</p>`);
  for (let index = 0; index < image; index++) lines.push(`<img src="${assets}/image${index}.gif" width="1" height="1" alt="">`);
  for (let index = 0; index < script; index++) lines.push(`<script src="${assets}/script${index}.js"></script>`);
  lines.push(`<script>
  const state = (window.__bench = { done: false, loaded: 0, loadedAtMs: null, error: null, scripts: window.__scripts || 0 });
  addEventListener('load', () => { state.loadedAtMs = performance.now(); state.loaded = performance.getEntriesByType('resource').length; state.scripts = window.__scripts || 0; state.done = true; });
</script></body></html>`);
  return lines.join('\n');
}

/** A 1×1 transparent GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** The ordinary page's assets: scripts count themselves; the first `font` stylesheets each load a font. */
function generalAsset(res: ServerResponse, pathname: string): boolean {
  const asset = /\/(image|script|style|font)(\d+)\.(gif|js|css|woff2)$/.exec(pathname);
  if (!asset) return false;
  const [, what, number] = asset;
  const folder = pathname.slice(0, pathname.lastIndexOf('/'));
  const cors = { 'access-control-allow-origin': '*' };
  if (what === 'image') send(res, 200, 'image/gif', GIF, cors);
  else if (what === 'script') send(res, 200, 'text/javascript', `window.__scripts = (window.__scripts || 0) + 1; // ${number}\n`, cors);
  else if (what === 'style') {
    const index = Number(number);
    const face = index < GENERAL_SUBRESOURCES.font ? `@font-face { font-family: f${index}; src: url(${folder}/font${index}.woff2) format('woff2'); }\n.font${index} { font-family: f${index}, sans-serif; }\n` : '';
    send(res, 200, 'text/css', `${face}.rule${index} { color: #${(index * 4099).toString(16).padStart(6, '0').slice(0, 6)}; }\n`, cors);
  } else send(res, 200, 'font/woff2', Buffer.alloc(64), cors); // not a valid font: the request is what is measured
  return true;
}

function playlist(segments: number): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:1', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD'];
  for (let index = 0; index < segments; index++) {
    // The four test files repeat; each repetition restarts their timestamps.
    if (index > 0 && index % 4 === 0) lines.push('#EXT-X-DISCONTINUITY');
    lines.push('#EXTINF:1.000000,', `seg${index}.ts`);
  }
  lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

function cdnHeaders(cached: boolean): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    'x-cache': cached ? 'Hit from cloudfront' : 'Miss from cloudfront',
    via: '1.1 bench.cloudfront.net (CloudFront)',
    'x-amz-cf-pop': 'ICN80-P3',
    ...(cached ? { age: '42' } : {}),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, segments: number): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/player.html') return send(res, 200, 'text/html; charset=utf-8', PLAYER);
  if (url.pathname === '/general.html') return send(res, 200, 'text/html; charset=utf-8', generalPage(url.searchParams.get('assets') ?? ''));
  if (generalAsset(res, url.pathname)) return;
  if (url.pathname === '/hls.min.js') return send(res, 200, 'text/javascript', HLS_JS, { 'cache-control': 'max-age=3600' });
  if (url.pathname.endsWith('/stream.m3u8')) return send(res, 200, 'application/vnd.apple.mpegurl', playlist(segments), cdnHeaders(false));
  const segment = /\/seg(\d+)\.ts$/.exec(url.pathname);
  if (segment) return send(res, 200, 'video/mp2t', SEGMENT_FILES[Number(segment[1]) % 4]!, cdnHeaders(true));
  if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
  return send(res, 404, 'text/plain', 'not found');
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export interface BenchServers {
  pageOrigin: string;
  mediaOrigin: string;
  close(): Promise<void>;
}

export async function startBenchServers(segments: number): Promise<BenchServers> {
  const page = createServer((req, res) => handle(req, res, segments));
  const media = createServer((req, res) => handle(req, res, segments));
  const pagePort = await listen(page);
  const mediaPort = await listen(media);
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    pageOrigin: `http://127.0.0.1:${pagePort}`,
    mediaOrigin: `http://127.0.0.1:${mediaPort}`,
    close: async () => {
      await close(page);
      await close(media);
    },
  };
}
