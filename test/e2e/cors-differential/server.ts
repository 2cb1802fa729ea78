/**
 * Three loopback HTTP servers for the differential test: the page's own origin and two other
 * origins (A, B) for cross-origin hops. They answer each case as its spec says and log exactly what
 * they received and sent, which is what the engine's CorsExchange is built from.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DiffCase, Header, ServerName } from './cases.ts';

export interface SentResponse {
  status: number;
  headers: Header[];
}

export interface LoggedRequest {
  hop: number;
  method: string;
  /** Lower-cased names, wire order. */
  headers: Header[];
  sent: SentResponse;
}

export interface CaseLog {
  preflights: LoggedRequest[];
  requests: LoggedRequest[];
}

export interface Lab {
  origins: Record<ServerName, string>;
  /** URL of hop 0 of a case in a run. */
  urlOf(run: string, diffCase: DiffCase): string;
  logOf(run: string, caseId: string): CaseLog;
  close(): Promise<void>;
}

const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>cors differential</title><p>cors differential page</p>';

function pairsOf(raw: string[]): Header[] {
  const pairs: Header[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
  return pairs;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the test must never open a port on another interface.
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startLab(cases: readonly DiffCase[]): Promise<Lab> {
  const byId = new Map(cases.map((diffCase) => [diffCase.id, diffCase]));
  const logs = new Map<string, CaseLog>();
  const servers: Record<ServerName, http.Server> = { page: http.createServer(), a: http.createServer(), b: http.createServer() };
  const origins = {} as Record<ServerName, string>;
  const ports = {} as Record<ServerName, number>;
  for (const name of ['page', 'a', 'b'] as const) {
    ports[name] = await listen(servers[name]);
    origins[name] = `http://127.0.0.1:${ports[name]}`;
  }

  const hopUrl = (run: string, diffCase: DiffCase, hop: number, userInfo?: string): string => {
    const server = diffCase.hops[hop]?.server ?? 'a';
    return `http://${userInfo ? `${userInfo}@` : ''}127.0.0.1:${ports[server]}/c/${run}/${diffCase.id}/${hop}`;
  };

  const fill = (value: string, requestOrigin: string | undefined): string =>
    value
      .replaceAll('{origin}', origins.page)
      .replaceAll('{ORIGIN}', origins.page.toUpperCase())
      .replaceAll('{port}', String(ports.page))
      .replaceAll('{a}', origins.a)
      .replaceAll('{b}', origins.b)
      .replaceAll('{echo}', requestOrigin ?? '');

  const logFor = (run: string, caseId: string): CaseLog => {
    const key = `${run}/${caseId}`;
    let log = logs.get(key);
    if (!log) {
      log = { preflights: [], requests: [] };
      logs.set(key, log);
    }
    return log;
  };

  /** The wire answer: status, header lines (duplicates kept) and body. */
  const wireAnswer = (method: string, sent: SentResponse): { status: number; raw: string[]; body: string } => {
    const noBody = method === 'HEAD' || method === 'OPTIONS' || sent.status === 204 || sent.status === 304;
    const body = noBody ? '' : 'ok';
    const raw: string[] = [];
    for (const [name, value] of sent.headers) raw.push(name, value);
    raw.push('cache-control', 'no-store');
    if (!noBody) raw.push('content-length', String(body.length), 'content-type', 'text/plain');
    return { status: sent.status, raw, body };
  };

  const PAGE_ANSWER = { status: 200, raw: ['content-type', 'text/html; charset=utf-8', 'cache-control', 'no-store'], body: PAGE_HTML };
  const NOT_FOUND = { status: 404, raw: ['cache-control', 'no-store', 'content-length', '0'], body: '' };

  /** Answers one request (method, path, lower-cased header lines) and logs it under its case. */
  const answer = (method: string, target: string, headers: Header[]): { status: number; raw: string[]; body: string } => {
    const url = new URL(target, 'http://127.0.0.1');
    const match = /^\/c\/([^/]+)\/([^/]+)\/(\d+)$/.exec(url.pathname);
    if (!match) return url.pathname === '/' ? PAGE_ANSWER : NOT_FOUND;
    const [, run = '', caseId = '', hopText = '0'] = match;
    const diffCase = byId.get(caseId);
    const hop = Number(hopText);
    const spec = diffCase?.hops[hop];
    if (!diffCase || !spec) return NOT_FOUND;
    const headerOf = (name: string): string | undefined => headers.find(([headerName]) => headerName === name)?.[1];
    const requestOrigin = headerOf('origin');
    const log = logFor(run, caseId);

    const requestedMethod = headerOf('access-control-request-method');
    if (method === 'OPTIONS' && requestedMethod !== undefined) {
      let sent: SentResponse;
      if (log.preflights.length === 0 && diffCase.preflight) {
        sent = { status: diffCase.preflight.status, headers: diffCase.preflight.headers.map(([name, value]): Header => [name, fill(value, requestOrigin)]) };
      } else {
        // A later preflight (after a redirect) is answered permissively, echoing what was asked.
        const askedHeaders = headerOf('access-control-request-headers');
        sent = {
          status: 204,
          headers: [
            ['access-control-allow-origin', requestOrigin ?? '*'],
            ['access-control-allow-credentials', 'true'],
            ['access-control-allow-methods', requestedMethod],
            ...(askedHeaders === undefined ? [] : [['access-control-allow-headers', askedHeaders] as Header]),
          ],
        };
      }
      log.preflights.push({ hop, method, headers, sent });
      return wireAnswer(method, sent);
    }

    const sentHeaders: Header[] = spec.headers.map(([name, value]): Header => [name, fill(value, requestOrigin)]);
    if (hop < diffCase.hops.length - 1) sentHeaders.push(['location', hopUrl(run, diffCase, hop + 1, spec.locationUserInfo)]);
    const sent: SentResponse = { status: spec.status, headers: sentHeaders };
    log.requests.push({ hop, method, headers, sent });
    return wireAnswer(method, sent);
  };

  const handle = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    // Drain any body so keep-alive connections stay usable.
    request.resume();
    const reply = answer(request.method ?? 'GET', request.url ?? '/', pairsOf(request.rawHeaders));
    response.writeHead(reply.status, reply.raw);
    response.end(reply.body);
  };

  /**
   * Node's HTTP parser refuses methods it does not know (`FOO`) and lower-case ones (`patch`), which
   * browsers send as written. Such a request arrives here as raw bytes: parse its head and answer by hand.
   */
  const handleUnparsed = (error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void => {
    const head = error.rawPacket?.toString('latin1') ?? '';
    const [requestLine = '', ...headerLines] = head.split('\r\n\r\n')[0]?.split('\r\n') ?? [];
    const [method, target] = requestLine.split(' ');
    if (error.code !== 'HPE_INVALID_METHOD' || !method || !target) {
      socket.destroy();
      return;
    }
    const headers: Header[] = headerLines.map((line): Header => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
    const reply = answer(method, target, headers);
    const lines = [`HTTP/1.1 ${reply.status} ${http.STATUS_CODES[reply.status] ?? 'Status'}`];
    for (let i = 0; i + 1 < reply.raw.length; i += 2) lines.push(`${reply.raw[i]}: ${reply.raw[i + 1]}`);
    lines.push('connection: close');
    socket.end(`${lines.join('\r\n')}\r\n\r\n${reply.body}`);
  };

  for (const server of Object.values(servers)) {
    server.on('request', handle);
    server.on('clientError', handleUnparsed);
    server.keepAliveTimeout = 30_000;
  }

  return {
    origins,
    urlOf: (run, diffCase) => hopUrl(run, diffCase, 0),
    logOf: (run, caseId) => logs.get(`${run}/${caseId}`) ?? { preflights: [], requests: [] },
    close: async () => {
      await Promise.all(
        Object.values(servers).map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
