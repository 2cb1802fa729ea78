/**
 * What the load measurements share (scripts/measure-cancel-vs-block.ts, measure-cancel-race.ts,
 * measure-received-status-chromium.ts): a page origin and a media origin on loopback, and the page's
 * helpers that load a URL and end the load in a chosen way (ground truth by construction).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MeasureServers {
  /** http://127.0.0.1:<port>: any path answers an empty HTML page. */
  page: string;
  /** http://localhost:<port> (another origin): /…?size=&head=&slow= answers `size` bytes with ACAO `*`. */
  media: string;
  close(): Promise<void>;
}

/**
 * The media server sends its headers `head` ms after the request, then `size` bytes (40 000 by
 * default): at once, or, with `slow`, half of them and the rest `slow` ms later (a body still arriving).
 */
export async function startMeasureServers(): Promise<MeasureServers> {
  const page = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>measuring</title><p>measuring</p>');
  });
  const media = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const size = Number(url.searchParams.get('size') ?? 40_000);
    const head = Number(url.searchParams.get('head') ?? 0);
    const slow = Number(url.searchParams.get('slow') ?? 0);
    const headers = { 'content-type': 'video/mp2t', 'content-length': String(size), 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    const body = Buffer.alloc(size, 0x47);
    setTimeout(() => {
      res.writeHead(200, headers);
      if (slow === 0) return void res.end(body);
      res.write(body.subarray(0, size >> 1));
      setTimeout(() => res.end(body.subarray(size >> 1)), slow);
    }, head);
  });
  const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const [pagePort, mediaPort] = await Promise.all([listen(page), listen(media)]);
  return {
    page: `http://127.0.0.1:${pagePort}`,
    media: `http://localhost:${mediaPort}`,
    close: async () => {
      for (const server of [page, media]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

/**
 * Page JavaScript (evaluate it once in the page): `wait(ms)`, `busy(ms)` (keeps the main thread busy)
 * and `xhr(url, options)`, resolving to what the page saw: 'load <status>', 'error' or 'abort'.
 * Options: credentials (withCredentials); abortAfterMs; abortOnProgress(loaded, total) and abortOnState
 * (abort when it returns true / at that readyState); busyMs (busy right after sending); busyThenAbortMs
 * (busy, then abort in the same task).
 */
export const PAGE_LOAD_HELPERS = `
  window.wait = (ms) => new Promise((r) => setTimeout(r, ms));
  window.busy = (ms) => { const until = performance.now() + ms; while (performance.now() < until); };
  window.xhr = (url, options) => new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('GET', url);
    request.responseType = 'arraybuffer';
    if (options.credentials) request.withCredentials = true;
    const abort = () => { if (request.readyState !== 4) request.abort(); };
    if (options.abortAfterMs !== undefined) setTimeout(abort, options.abortAfterMs);
    if (options.abortOnProgress) request.onprogress = (e) => { if (options.abortOnProgress(e.loaded, e.total)) abort(); };
    if (options.abortOnState) request.onreadystatechange = () => { if (request.readyState === options.abortOnState) abort(); };
    request.onload = () => resolve('load ' + request.status);
    request.onerror = () => resolve('error');
    request.onabort = () => resolve('abort');
    request.send();
    if (options.busyMs !== undefined) busy(options.busyMs);
    if (options.busyThenAbortMs !== undefined) { busy(options.busyThenAbortMs); request.abort(); }
  });
`;
