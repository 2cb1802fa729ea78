/**
 * A media server on loopback for the scenarios of causes beyond a missing header
 * (beyond-headers.ts): serves the committed test stream under any folder, answers Range with 206,
 * and lets a scenario decide each answer's headers, its preflight answers, redirects and the playlist
 * text. Every request it received is logged, so a test can check what the browser really sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const mediaDir = fileURLToPath(new URL('../../fixtures/media/hls', import.meta.url));
const CONTENT_TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t', '.mpd': 'application/dash+xml' };

export interface StreamRequest {
  method: string;
  path: string;
  query: string;
  origin: string | null;
  headers: IncomingMessage['headers'];
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface StreamServerOptions {
  /** Listen on this loopback address (the URL names it as given). */
  host?: '127.0.0.1' | 'localhost';
  /** Headers added to every answer of a GET/HEAD (CORS headers, cache headers…). */
  headers?(request: StreamRequest): Record<string, string>;
  /** The answer to an OPTIONS request; default: 204 allowing the page's Origin, GET/HEAD and what was asked for. */
  preflight?(request: StreamRequest): Answer;
  /** A redirect (or any other answer) instead of the file; null serves the file. */
  intercept?(request: StreamRequest): Answer | null;
  /** The playlist text served for stream.m3u8 (given the committed one). */
  playlist?(text: string, request: StreamRequest): string;
  /** Extra files by name (an MPD, a time source). */
  files?: Record<string, { contentType: string; body(request: StreamRequest): string }>;
}

export interface StreamServer {
  origin: string;
  port: number;
  log: StreamRequest[];
  close(): Promise<void>;
}

function send(res: ServerResponse, answer: Answer, head: boolean): void {
  const body = answer.body ?? '';
  res.writeHead(answer.status, { 'content-length': String(Buffer.byteLength(body)), ...answer.headers });
  res.end(head ? undefined : body);
}

/** The default preflight answer: what a well-configured origin says. */
export function allowingPreflight(request: StreamRequest): Answer {
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': request.origin ?? '*',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': String(request.headers['access-control-request-headers'] ?? ''),
      vary: 'Origin',
    },
  };
}

async function answerFor(request: StreamRequest, options: StreamServerOptions): Promise<Answer> {
  if (request.method === 'OPTIONS') return (options.preflight ?? allowingPreflight)(request);
  const intercepted = options.intercept?.(request) ?? null;
  if (intercepted) return intercepted;
  const name = path.basename(request.path);
  const extra = options.headers?.(request) ?? {};
  const file = options.files?.[name];
  if (file) return { status: 200, headers: { 'content-type': file.contentType, ...extra }, body: file.body(request) };
  const contentType = CONTENT_TYPES[path.extname(name)];
  if (!contentType) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
  let body: Buffer;
  try {
    body = await readFile(path.join(mediaDir, name));
  } catch {
    return { status: 404, headers: { 'content-type': 'text/plain', ...extra }, body: 'not found' };
  }
  if (name === 'stream.m3u8' && options.playlist) body = Buffer.from(options.playlist(body.toString('utf8'), request));
  const headers = { 'content-type': contentType, 'accept-ranges': 'bytes', 'cache-control': 'no-cache', ...extra };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(request.headers.range ?? ''));
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    return { status: 206, headers: { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}` }, body: body.subarray(start, end + 1) };
  }
  return { status: 200, headers, body };
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startStreamServer(options: StreamServerOptions = {}): Promise<StreamServer> {
  const log: StreamRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null;
    const request: StreamRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search, origin, headers: req.headers };
    log.push(request);
    void answerFor(request, options).then((answer) => send(res, answer, request.method === 'HEAD'));
  });
  // Chromium resolves localhost to ::1 first; 127.0.0.1 is always there, so 'localhost' URLs use it by name only.
  const port = await listen(server, '127.0.0.1');
  const host = options.host ?? '127.0.0.1';
  return {
    origin: `http://${host}:${port}`,
    port,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound once, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server, '127.0.0.1');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
