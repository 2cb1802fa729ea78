import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const chromeDist = fileURLToPath(new URL('../../../dist/chrome', import.meta.url));

/** Flags that keep Debian Chromium quiet on a machine without internet (docs/capture.md#testing-chromium). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumWithExtension {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  close(): Promise<void>;
}

/** Real Debian Chromium, new headless (which loads extensions), with the built extension. */
export async function launchChromiumWithExtension(
  dist = chromeDist,
  options: {
    headless?: boolean;
    lang?: string;
    /** More command-line flags (a scenario's address-space overrides). */
    args?: readonly string[];
    /**
     * The popup's "Record every page" (default here: on). Most suites test what is recorded, from a
     * page's first request; the default of a new install (off: headers are read from a tab's first
     * media request on) has its own suite, header-recording.e2e.test.ts.
     */
    recordEveryPage?: boolean;
  } = {},
): Promise<ChromiumWithExtension> {
  const profile = await mkdtemp(path.join(tmpdir(), 'cors-lens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: options.headless ?? true,
    // --lang picks the UI language, which chrome.i18n (the extension's _locales) follows.
    args: [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`, ...CHROMIUM_ARGS, ...(options.lang ? [`--lang=${options.lang}`] : []), ...(options.args ?? [])],
    ...(options.lang ? { locale: options.lang } : {}),
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(serviceWorker.url()).host;
  collectErrors(context, serviceWorker);
  // The worker exists before its module has run. On a fresh install Chromium delivers webRequest
  // events only to listeners already added, so a page loaded before that would go unrecorded.
  // No named functions inside: tsx (the bench) would wrap them in a helper the worker does not have.
  await serviceWorker.evaluate(async (everyPage: boolean) => {
    while (!chrome.webRequest.onBeforeRequest.hasListeners()) await new Promise((resolve) => setTimeout(resolve, 10));
    if (everyPage) await chrome.storage.local.set({ recordEveryPage: true });
    // On: the choice is followed. Off: added at top level, removed once the worker read that nothing wants them.
    while (chrome.webRequest.onCompleted.hasListeners() !== everyPage) await new Promise((resolve) => setTimeout(resolve, 10));
  }, options.recordEveryPage ?? true);
  return {
    context,
    extensionId,
    serviceWorker,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

const errorsByContext = new WeakMap<BrowserContext, string[]>();

/** Keeps the errors pages and the extension's worker report, for a failing test to print. */
function collectErrors(context: BrowserContext, serviceWorker: Worker): void {
  const errors: string[] = [];
  errorsByContext.set(context, errors);
  const keep = (where: string, text: string) => {
    if (errors.length < 50) errors.push(`${where}: ${text.slice(0, 500)}`);
  };
  context.on('weberror', (error) => keep(error.page()?.url() ?? 'page', String(error.error())));
  context.on('console', (entry) => {
    if (entry.type() === 'error') keep(entry.page()?.url() ?? 'console', entry.text());
  });
  serviceWorker.on('console', (entry) => {
    if (entry.type() === 'error') keep('service worker', entry.text());
  });
}

/** Errors pages and the extension's worker reported so far (console errors and uncaught exceptions). */
export function browserErrorsOf(context: BrowserContext): readonly string[] {
  return errorsByContext.get(context) ?? [];
}

/** The tab id Chromium gave a page, asked of the extension itself. */
export async function tabIdOf(serviceWorker: Worker, pageUrl: string): Promise<number> {
  const id = await serviceWorker.evaluate(async (url: string) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === url)?.id ?? null;
  }, pageUrl);
  if (id === null) throw new Error(`no tab shows ${pageUrl}`);
  return id;
}

/** Waits until the player page says it is done (hls.js gave up, or the video ended or failed). */
export async function waitForPlayerDone(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __player?: { done: boolean } }).__player?.done === true, null, {
    timeout: timeoutMs,
  });
}

/** The popup of a tab, opened as a page (chrome.runtime messaging works there as in the real popup). */
export async function openPopup(context: BrowserContext, extensionId: string, tabId: number): Promise<Page> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 800, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/src/ui/popup/popup.html?tabId=${tabId}`);
  return popup;
}

type WorkerStatus = 'stopped' | 'starting' | 'running' | 'stopping';

/**
 * Stops the extension's service worker the way Chrome does when it is idle (CDP ServiceWorker.stopWorker,
 * docs/capture.md#service-worker) and returns a function that waits until a new instance is running.
 * Playwright's Worker handle does not notice the stop, so the worker's status is read from CDP events.
 */
export async function stopServiceWorker(context: BrowserContext, page: Page): Promise<{ waitUntilRunning(): Promise<void> }> {
  const cdp = await context.newCDPSession(page);
  let status: WorkerStatus | undefined;
  let versionId: string | undefined;
  const waiters: Array<() => void> = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (event: { versions: Array<{ versionId: string; runningStatus: WorkerStatus; scriptURL: string }> }) => {
    for (const version of event.versions) {
      if (!version.scriptURL.startsWith('chrome-extension://')) continue;
      versionId = version.versionId;
      status = version.runningStatus;
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (wanted: WorkerStatus) => {
    while (status !== wanted) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  await cdp.send('ServiceWorker.enable');
  await until('running');
  await cdp.send('ServiceWorker.stopWorker', { versionId: versionId! });
  await until('stopped');
  return { waitUntilRunning: () => until('running') };
}
