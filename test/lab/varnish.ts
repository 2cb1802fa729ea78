/**
 * A real Varnish (Debian's /usr/sbin/varnishd) on a loopback port in front of the lab's S3-like
 * bucket: the lab's real cache next to the home-made CloudFront-like edge. Nothing here imitates
 * Varnish; a scenario says how it is set up (what is in the key, whether Vary counts, whether it adds
 * its own Access-Control-Allow-Origin, whether errors are cached) and this writes the VCL. Same shape
 * as nginx.ts: a temp dir per instance, free ports, readiness polled, stopped and removed on close.
 * Varnish keeps real time (the lab clock does not reach it): ages are seconds, TTLs are long.
 */
import { spawn, execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './nginx.ts';
import { labFetch } from './http.ts';
import { LAB_CLIENT_HEADER } from './edge.ts';

const VARNISHD_BINARIES = ['/usr/sbin/varnishd', '/usr/local/sbin/varnishd'];
const VARNISHADM_BINARIES = ['/usr/bin/varnishadm', '/usr/local/bin/varnishadm'];
const run = promisify(execFile);

/** How the scenario sets Varnish up. */
export interface VarnishCacheConfig {
  /**
   * What a cached copy is keyed on: 'url' — Varnish's builtin key (URL and Host), honouring Vary (but
   * S3 sends no Vary to a request without Origin); 'url-ignore-vary' — the same key and Vary stripped
   * from what it stores (a common hit-rate tweak): one copy for every Origin; 'origin' — Origin added
   * to the hash (`hash_data(req.http.Origin)`), the fix CORS Lens prints.
   */
  key: 'url' | 'url-ignore-vary' | 'origin';
  /** Varnish appends its own `Access-Control-Allow-Origin: *` to what the origin sent (vcl_deliver). */
  appendAllowOrigin?: boolean;
  /**
   * Error answers (4xx) are cached like Varnish's builtin does without Cache-Control (default_ttl);
   * false makes them uncacheable.
   */
  cacheErrors?: boolean;
  /** Playlists are passed to the bucket uncached (a live playlist's usual setup). */
  passPlaylists?: boolean;
}

/** A running Varnish. It keeps no request log here: the bucket logs what reached it (Lab.viewerLog). */
export interface VarnishServer {
  /** http://localhost:PORT */
  origin: string;
  port: number;
  /** Loads a new VCL and switches to it (vcl.load + vcl.use); cached objects stay. */
  configure(config: VarnishCacheConfig): Promise<void>;
  /** `varnishadm ban req.url ~ <regex>`: what CORS Lens prints as the Varnish purge. */
  ban(urlRegex: string): Promise<void>;
  close(): Promise<void>;
}

function binary(candidates: readonly string[], name: string): string {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the lab's Varnish scenarios run a real ${name}; none found at ${candidates.join(', ')} (apt-get install -y varnish)`);
  return found;
}

/** The VCL for a configuration; `generation` answers /__lab/generation so a switch can be waited for. */
export function vclText(backendPort: number, generation: number, config: VarnishCacheConfig): string {
  return `vcl 4.1;

backend bucket {
  .host = "127.0.0.1";
  .port = "${backendPort}";
}

sub vcl_recv {
  # Lab only: which VCL answers (configure() waits for it).
  if (req.url == "/__lab/generation") { return (synth(200, "generation")); }
${config.passPlaylists ? '  if (req.url ~ "\\.m3u8(\\?|$)") { return (pass); }\n' : ''}}

sub vcl_synth {
  if (req.url == "/__lab/generation") {
    set resp.http.content-type = "text/plain";
    set resp.body = "${generation}";
    return (deliver);
  }
}
${config.key === 'origin' ? '\nsub vcl_hash {\n  hash_data(req.http.Origin);\n}\n' : ''}
sub vcl_backend_response {
${config.key === 'url-ignore-vary' ? '  unset beresp.http.Vary;\n' : ''}  if (beresp.status >= 400) {
${config.cacheErrors === false ? '    set beresp.uncacheable = true;\n    set beresp.ttl = 0s;\n    return (deliver);\n' : '    set beresp.ttl = 120s;\n    return (deliver);\n'}  }
  set beresp.ttl = 1h;
}
${
  config.appendAllowOrigin
    ? `
sub vcl_deliver {
  if (resp.http.Access-Control-Allow-Origin) {
    set resp.http.Access-Control-Allow-Origin = resp.http.Access-Control-Allow-Origin + ", *";
  } else {
    set resp.http.Access-Control-Allow-Origin = "*";
  }
}
`
    : ''
}`;
}

async function waitForGeneration(port: number, generation: number, exited: () => number | null, errorLog: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (exited() !== null) throw new Error(`varnishd exited (${exited()}): ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(-2000) : ''}`);
    const answer = await labFetch(port, { path: '/__lab/generation', headers: { [LAB_CLIENT_HEADER]: '1' } }).catch(() => null);
    if (answer?.status === 200 && answer.body.toString() === String(generation)) return;
    // varnishd is another process: its start (VCL compiled by the C compiler) is a condition to poll for.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`varnishd did not answer with VCL ${generation}: ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(-2000) : ''}`);
}

/** Starts Varnish in front of the bucket listening on `backendPort`. */
export async function startVarnish(options: { backendPort: number; config: VarnishCacheConfig }): Promise<VarnishServer> {
  const varnishd = binary(VARNISHD_BINARIES, 'varnishd');
  const varnishadm = binary(VARNISHADM_BINARIES, 'varnishadm');
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-varnish-'));
  // Started by root (a CI container), varnishd's worker runs as an unprivileged user: it must reach the dir.
  chmodSync(dir, 0o755);
  const { port, ipv6 } = await freePort();
  const admin = await freePort();
  const secret = path.join(dir, 'secret');
  writeFileSync(secret, `cors-lens-lab-${process.pid}-${port}\n`, { mode: 0o600 });
  let generation = 1;
  const vclPath = (at: number): string => path.join(dir, `lab-${at}.vcl`);
  writeFileSync(vclPath(generation), vclText(options.backendPort, generation, options.config));
  const errorLog = path.join(dir, 'varnishd.log');
  const args = [
    '-F',
    '-n',
    path.join(dir, 'work'),
    '-a',
    `127.0.0.1:${port}`,
    ...(ipv6 ? ['-a', `[::1]:${port}`] : []),
    '-T',
    `127.0.0.1:${admin.port}`,
    '-S',
    secret,
    '-f',
    vclPath(generation),
    '-s',
    'malloc,32m',
    // Lab only: a small footprint on a shared machine.
    '-p',
    'thread_pools=1',
    '-p',
    'thread_pool_min=5',
  ];
  const child = spawn(varnishd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const flushLog = (): void => writeFileSync(errorLog, log.join(''));
  const adminCommand = async (...command: string[]): Promise<void> => {
    await run(varnishadm, ['-T', `127.0.0.1:${admin.port}`, '-S', secret, ...command]);
  };
  try {
    await waitForGeneration(port, generation, () => (flushLog(), child.exitCode), errorLog);
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    origin: `http://localhost:${port}`,
    port,
    async configure(config) {
      generation++;
      writeFileSync(vclPath(generation), vclText(options.backendPort, generation, config));
      await adminCommand('vcl.load', `lab${generation}`, vclPath(generation));
      await adminCommand('vcl.use', `lab${generation}`);
      await waitForGeneration(port, generation, () => (flushLog(), child.exitCode), errorLog);
    },
    async ban(urlRegex) {
      await adminCommand('ban', 'req.url', '~', urlRegex);
    },
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
