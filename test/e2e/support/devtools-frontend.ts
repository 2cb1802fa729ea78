/**
 * Chrome DevTools' own front-end, the one bundled inside Debian's Chromium. A Chromium started with
 * `--remote-debugging-port` serves it from its resources at /devtools/inspector.html; opened with
 * `?ws=<that port>/devtools/page/<target>` it inspects that page like the DevTools window does, and
 * `&panel=network` selects the Network panel. Its "Import HAR file…" button is the one people use.
 */
import { expect } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS } from './chromium.ts';

/** A request as DevTools' network log holds it (SDK.NetworkRequest), after a HAR import. */
export interface DevToolsRequest {
  url: string;
  status: number;
  resourceType: string;
  transferSize: number;
  imported: boolean;
}

/** A row of the Network panel's request table, as the panel shows it. */
export interface DevToolsRow {
  /** The name cell's title: the full URL. */
  url: string;
  /** The status cell's title ('200 OK'). */
  status: string;
  type: string;
  /** The size cell's title ('19.9 kB transferred over network, resource size: …'). */
  size: string;
}

export interface DevToolsNetworkPanel {
  /** The page running the DevTools front-end. */
  frontEnd: Page;
  /** DevTools' version line, e.g. 'Chrome/156.0.8078.108'. */
  browserVersion: string;
  /**
   * Imports a HAR file through the panel's "Import HAR file…" button and file chooser. Resolves when
   * the network log holds at least one request; rejects with DevTools' own message when it refuses the file.
   */
  importHar(filePath: string): Promise<void>;
  /** DevTools' network log (Logs.NetworkLog), read in the front-end. */
  requests(): Promise<DevToolsRequest[]>;
  /** The rows of the panel's request table, from its DOM. */
  rows(): Promise<DevToolsRow[]>;
  close(): Promise<void>;
}

/**
 * DevTools' own modules, loaded once into the front-end page so later reads are synchronous. Source
 * text, because vitest rewrites a dynamic import() written inside a test function.
 */
const LOAD_DEVTOOLS_MODULES = `(async () => {
  window.__devtoolsModules = {
    Logs: await import('/devtools/models/logs/logs.js'),
    Common: await import('/devtools/core/common/common.js'),
  };
})()`;

/** DevTools' network log (Logs.NetworkLog) as plain data. */
const READ_NETWORK_LOG = `window.__devtoolsModules.Logs.NetworkLog.NetworkLog.instance().requests().map((request) => ({
  url: request.url(),
  status: request.statusCode,
  resourceType: request.resourceType().name(),
  transferSize: request.transferSize,
  imported: request.isImportedHar(),
}))`;

/**
 * The messages of DevTools' own console (Common.Console, shown in its Console drawer): the Network
 * panel reports a HAR it cannot read there, not in the page's console.
 */
const READ_DEVTOOLS_CONSOLE = `window.__devtoolsModules.Common.Console.Console.instance().messages().map((message) => message.text)`;

const HAR_FAILURE_PREFIX = 'Failed to load HAR file';

async function readDebuggingPort(profile: string): Promise<number> {
  // Chromium writes the port it bound (port 0 = any free one) to DevToolsActivePort in the profile.
  const text = await readFile(path.join(profile, 'DevToolsActivePort'), 'utf8');
  const port = Number(text.split('\n')[0]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`DevToolsActivePort holds no port: ${JSON.stringify(text)}`);
  return port;
}

/** A plain Chromium (no extension) with DevTools' front-end open on its Network panel. */
export async function openDevToolsNetworkPanel(): Promise<DevToolsNetworkPanel> {
  const profile = await mkdtemp(path.join(tmpdir(), 'cors-lens-devtools-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [...CHROMIUM_ARGS, '--remote-debugging-port=0'],
    });
    const port = await readDebuggingPort(profile);
    const base = `http://127.0.0.1:${port}`;
    const inspected = context.pages()[0] ?? (await context.newPage());
    await inspected.goto('about:blank');
    const targets = (await (await fetch(`${base}/json/list`)).json()) as Array<{ id: string; type: string; url: string }>;
    const target = targets.find((candidate) => candidate.type === 'page' && candidate.url === 'about:blank');
    if (!target) throw new Error(`no about:blank page among the debugging targets: ${JSON.stringify(targets)}`);
    const { Browser: browserVersion } = (await (await fetch(`${base}/json/version`)).json()) as { Browser: string };

    const frontEnd = await context.newPage();
    await frontEnd.setViewportSize({ width: 1400, height: 900 });
    const pageErrors: string[] = [];
    frontEnd.on('pageerror', (error) => pageErrors.push(error.message));
    // Without an embedder, DevTools keeps its settings in the origin's localStorage. The screencast
    // (on by default there) squeezes the panels into a narrow column; the Network toolbar needs room.
    await frontEnd.goto(`${base}/json/version`);
    await frontEnd.evaluate(() => localStorage.setItem('screencast-enabled', 'false'));
    await frontEnd.goto(`${base}/devtools/inspector.html?ws=127.0.0.1:${port}/devtools/page/${target.id}&panel=network`);
    const importButton = frontEnd.getByRole('button', { name: 'Import HAR file…' });
    await importButton.waitFor({ timeout: 30_000 });
    await frontEnd.evaluate(LOAD_DEVTOOLS_MODULES);

    const openedContext = context;
    return {
      frontEnd,
      browserVersion,
      async importHar(filePath) {
        const requestsBefore = ((await frontEnd.evaluate(READ_NETWORK_LOG)) as DevToolsRequest[]).length;
        const messagesBefore = ((await frontEnd.evaluate(READ_DEVTOOLS_CONSOLE)) as string[]).length;
        const errorsBefore = pageErrors.length;
        const [chooser] = await Promise.all([frontEnd.waitForEvent('filechooser'), importButton.click()]);
        await chooser.setFiles(filePath);
        // DevTools adds the file's requests to its log, reports the failure in its console, or throws.
        // Polled through page.evaluate (CDP Runtime.evaluate): waitForFunction compiles a string
        // predicate with eval once it has to poll, which DevTools' CSP refuses (an EvalError when slow).
        const settled = `${READ_NETWORK_LOG}.length > ${requestsBefore} || ${READ_DEVTOOLS_CONSOLE}.slice(${messagesBefore}).some((text) => text.startsWith(${JSON.stringify(HAR_FAILURE_PREFIX)}))`;
        const imported = expect.poll(async () => (await frontEnd.evaluate(settled)) as boolean, { timeout: 30_000 }).toBe(true);
        const uncaughtError = frontEnd.waitForEvent('pageerror', { timeout: 30_000 });
        // Whichever comes second is not awaited: its later failure must not surface as unhandled.
        for (const pending of [imported, uncaughtError]) pending.catch(() => undefined);
        await Promise.race([imported, uncaughtError]);
        const refusals = ((await frontEnd.evaluate(READ_DEVTOOLS_CONSOLE)) as string[]).slice(messagesBefore).filter((text) => text.startsWith(HAR_FAILURE_PREFIX));
        const uncaught = pageErrors.slice(errorsBefore).map((message) => `uncaught in DevTools: ${message}`);
        if (refusals.length > 0 || uncaught.length > 0) throw new Error([...refusals, ...uncaught].join('\n'));
      },
      requests: async () => (await frontEnd.evaluate(READ_NETWORK_LOG)) as DevToolsRequest[],
      rows: () =>
        frontEnd.locator('tr.data-grid-data-grid-node[data-network-request-id]').evaluateAll((rows) =>
          rows.map((row) => ({
            url: row.querySelector('td.name-column')?.getAttribute('title') ?? '',
            status: row.querySelector('td.status-column')?.getAttribute('title') ?? '',
            type: row.querySelector('td.type-column')?.getAttribute('title') ?? '',
            size: row.querySelector('td.size-column')?.getAttribute('title') ?? '',
          })),
        ),
      close: async () => {
        await openedContext.close();
        await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      },
    };
  } catch (error) {
    await context?.close();
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    throw error;
  }
}
