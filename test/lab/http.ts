/** Loopback HTTP plumbing shared by the lab servers: dual-stack listen on port 0, close, and a Node client. */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the lab's pure handlers see it: lower-cased header names, duplicates joined. */
export interface LabRequest {
  method: string;
  /** Path and query, as on the request line. */
  url: string;
  headers: Record<string, string>;
}

export interface LabResponse {
  status: number;
  /** In wire order; a name may appear twice (that is how a duplicate ACAO reaches the browser). */
  headers: Array<[string, string]>;
  body: Buffer;
}

export type Handler = (request: LabRequest) => Promise<LabResponse>;

export interface LoopbackServer {
  port: number;
  close(): Promise<void>;
}

function toLabRequest(req: IncomingMessage): LabRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers };
}

function write(res: ServerResponse, response: LabResponse, method: string): void {
  // writeHead with a flat [name, value, name, value…] array keeps duplicate names as separate lines.
  const flat = response.headers.flatMap(([name, value]) => [name, value]);
  res.writeHead(response.status, flat);
  res.end(method === 'HEAD' || response.status === 304 ? undefined : response.body);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * Serves `handler` on 127.0.0.1 at a free port and, where the machine has it, on ::1 at the same
 * port: browsers resolve `localhost` (and `*.localhost`) to ::1 first (docs/capture.md#localhost).
 */
export async function serveLoopback(handler: Handler): Promise<LoopbackServer> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handler(toLabRequest(req)).then(
      (response) => write(res, response, req.method ?? 'GET'),
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      },
    );
  };
  const v4 = createServer(onRequest);
  const port = await listen(v4, '127.0.0.1', 0);
  const v6 = createServer(onRequest);
  const v6Listening = await listen(v6, '::1', port).then(
    () => true,
    () => false, // no IPv6 loopback here: clients fall back to 127.0.0.1
  );
  return {
    port,
    close: async () => {
      await closeServer(v4);
      if (v6Listening) await closeServer(v6);
    },
  };
}

/**
 * Sends one request from Node to a lab server on 127.0.0.1, with exactly the headers given (no
 * Origin unless named): how scenarios pre-warm caches. `host` sets the Host header, which is how a
 * request picks a POP (`pop-b.localhost:PORT`).
 */
export function labFetch(port: number, options: { method?: string; path: string; headers?: Record<string, string>; host?: string }): Promise<LabResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: options.host ?? `localhost:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The first value of a header in a response's list, or null. */
export function headerOf(response: Pick<LabResponse, 'headers'>, name: string): string | null {
  return response.headers.find(([key]) => key === name)?.[1] ?? null;
}

/** Every value of a header, in order. */
export function headersOf(response: Pick<LabResponse, 'headers'>, name: string): string[] {
  return response.headers.filter(([key]) => key === name).map(([, value]) => value);
}
