/**
 * A real nginx (Debian's /usr/sbin/nginx, run as the test's own user on a loopback port) serving the
 * test stream as static files: the lab's plain web server, with no CORS unless a configuration snippet
 * says so. Nothing here imitates nginx; the scenarios write nginx configuration, and the e2e test
 * applies the snippet CORS Lens printed and plays again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labFetch } from './http.ts';

const mediaDir = fileURLToPath(new URL('../fixtures/media/hls', import.meta.url));
const NGINX_BINARIES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

/** The nginx configuration a scenario controls: directives at server level and location blocks. */
export interface NginxSiteConfig {
  /** Directives inside `server { }` (e.g. the add_header lines CORS Lens prints). */
  server?: string;
  /** `location <match> { <body> }` blocks, e.g. { match: '~ \\.m3u8$', body: 'add_header …;' }. */
  locations?: ReadonlyArray<{ match: string; body: string }>;
}

/** One request as nginx's access log records it. */
export interface NginxLogEntry {
  method: string;
  path: string;
  origin: string | null;
  fromLabClient: boolean;
  status: number;
}

export interface NginxServer {
  /** http://localhost:PORT */
  origin: string;
  port: number;
  /** Requests nginx answered, from its access log. */
  log(): NginxLogEntry[];
  /** Writes a new site configuration and reloads nginx (SIGHUP), resolving once the new one answers. */
  configure(site: NginxSiteConfig): Promise<void>;
  close(): Promise<void>;
}

function nginxBinary(): string {
  const found = NGINX_BINARIES.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the lab's web-server scenarios run a real nginx; none found at ${NGINX_BINARIES.join(', ')} (apt-get install -y nginx)`);
  return found;
}

function listenOnce(server: Server, port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : null);
    });
  });
}

/** A port free on 127.0.0.1 (and on ::1 where the machine has it): browsers try ::1 first for localhost. */
export async function freePort(): Promise<{ port: number; ipv6: boolean }> {
  const v4 = createServer();
  const port = await listenOnce(v4, 0, '127.0.0.1');
  if (port === null) throw new Error('no free loopback port');
  const v6 = createServer();
  const ipv6 = (await listenOnce(v6, port, '::1')) !== null;
  await new Promise<void>((resolve) => v4.close(() => resolve()));
  if (ipv6) await new Promise<void>((resolve) => v6.close(() => resolve()));
  return { port, ipv6 };
}

function confText(prefix: string, port: number, ipv6: boolean, generation: number, site: NginxSiteConfig): string {
  const locations = (site.locations ?? []).map(({ match, body }) => `    location ${match} {\n${indent(body, 6)}\n    }`).join('\n');
  return `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 64; }
http {
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  default_type application/octet-stream;
  log_format lab '$request_method $uri "$http_origin" "$http_x_lab_client" $status';
  access_log ${prefix}/access.log lab;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
${ipv6 ? `    listen [::1]:${port};\n` : ''}    server_name localhost;
    root ${prefix}/www;
    # Lab only: which configuration answers (configure() waits for it after a reload).
    location = /__lab/generation { return 200 "${generation}"; }
${indent(site.server ?? '', 4)}
${locations}
  }
}
`;
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${' '.repeat(spaces)}${line}`))
    .join('\n');
}

function parseLog(text: string): NginxLogEntry[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .flatMap((line) => {
      const match = /^(\S+) (\S+) "([^"]*)" "([^"]*)" (\d+)$/.exec(line);
      if (!match || match[2] === '/__lab/generation') return [];
      return [{ method: match[1]!, path: match[2]!, origin: match[3] === '-' ? null : match[3]!, fromLabClient: match[4] !== '-', status: Number(match[5]) }];
    });
}

/** Waits until nginx answers with the given configuration generation, or fails with its error log. */
async function waitForGeneration(port: number, generation: number, child: ChildProcess, errorLog: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${readFileSync(errorLog, 'utf8').slice(-2000)}`);
    const answer = await labFetch(port, { path: '/__lab/generation', headers: { 'x-lab-client': '1' } }).catch(() => null);
    if (answer?.status === 200 && answer.body.toString() === String(generation)) return;
    // nginx is another process: its start or reload is a condition to poll for.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nginx did not answer with configuration ${generation}: ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(-2000) : ''}`);
}

/**
 * Starts nginx serving the test stream under each video folder. The files are copied fresh, so their
 * Last-Modified is now: a browser then keeps no heuristically fresh copy from before a fix.
 */
export async function startNginx(options: { videos: readonly string[]; site?: NginxSiteConfig }): Promise<NginxServer> {
  const binary = nginxBinary();
  const prefix = mkdtempSync(path.join(tmpdir(), 'cors-lens-nginx-'));
  // Started by root (a CI container), nginx's workers run as nobody: they must be able to read the files.
  chmodSync(prefix, 0o755);
  mkdirSync(path.join(prefix, 'tmp'));
  for (const video of options.videos) {
    const folder = path.join(prefix, 'www', video);
    mkdirSync(folder, { recursive: true });
    cpSync(mediaDir, folder, { recursive: true, preserveTimestamps: false });
  }
  const { port, ipv6 } = await freePort();
  const confPath = path.join(prefix, 'nginx.conf');
  const errorLog = path.join(prefix, 'error.log');
  let generation = 1;
  writeFileSync(confPath, confText(prefix, port, ipv6, generation, options.site ?? {}));
  const child = spawn(binary, ['-p', prefix, '-c', confPath, '-e', errorLog], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForGeneration(port, generation, child, errorLog);
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  const accessLog = path.join(prefix, 'access.log');
  return {
    origin: `http://localhost:${port}`,
    port,
    log: () => (existsSync(accessLog) ? parseLog(readFileSync(accessLog, 'utf8')) : []),
    async configure(site) {
      generation++;
      writeFileSync(confPath, confText(prefix, port, ipv6, generation, site));
      child.kill('SIGHUP');
      await waitForGeneration(port, generation, child, errorLog);
    },
    async close() {
      // SIGTERM is nginx's fast shutdown; the master stops its worker before it exits.
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
