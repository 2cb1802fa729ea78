/**
 * The two figures measured in real Chromium (Debian's, via playwright-core, as the e2e tests run it):
 * page + stream load with CORS Lens vs a no-op webRequest extension vs no extension, and the popup's
 * first render with 10 000 records restored from storage.session after a service-worker restart.
 */
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, stopServiceWorker } from '../../test/e2e/support/chromium.ts';
import { TabLogStore } from '../../src/background/store.ts';
import { verdictForRecord } from '../../src/engine/analyze.ts';
import type { HeaderList, RequestRecord } from '../../src/engine/model.ts';
import { RecordingArea } from './session-area.ts';
import { startBenchServers } from './servers.ts';
import type { Summary } from './stats.ts';
import { median, summarise } from './stats.ts';
import { workloadRecords } from './workload.ts';

export type Config = 'cors-lens' | 'noop' | 'none';

interface Launched {
  context: BrowserContext;
  worker: Worker | null;
  extensionId: string | null;
  close(): Promise<void>;
}

async function launch(extensionDir: string | null): Promise<Launched> {
  const profile = await mkdtemp(path.join(tmpdir(), 'cors-lens-bench-'));
  const args = extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...CHROMIUM_ARGS] : [...CHROMIUM_ARGS, '--disable-extensions'];
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args });
  const worker = extensionDir ? (context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))) : null;
  return {
    context,
    worker,
    extensionId: worker ? new URL(worker.url()).host : null,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

/** The two pages loaded: the hls.js player (the worst case for CORS Lens) and an ordinary page without media. */
export type BenchPage = 'media' | 'general';

export interface PageOverhead {
  /** ms from navigation start to the last fragment loaded (media) or to the load event (general), per config. */
  loadMs: Record<Config, Summary>;
  /** Per iteration: CORS Lens ÷ no-op, CORS Lens ÷ none (same iteration). */
  ratioVsNoop: Summary;
  ratioVsNone: Summary;
  pairs: number;
}

export interface OverheadResult {
  segments: number;
  media: PageOverhead;
  general: PageOverhead;
  /**
   * webRequest events the listeners (as CORS Lens registers them, counted by the no-op extension)
   * received per load of the ordinary page, by event and resource type; and, of them, those of its
   * images, scripts, stylesheets and fonts (per load, the largest seen).
   */
  generalEvents: { perLoad: Record<string, number>; subresourceEvents: number; loads: number };
  failures: string[];
}

const SUBRESOURCE_TYPES = ['image', 'script', 'stylesheet', 'font'];

/**
 * Alternating runs: each iteration loads each page once in each browser, the order rotating so no
 * configuration always goes first; each load uses a fresh folder of the other origin (no cache).
 */
export async function measureOverhead(corsLensDir: string, noopDir: string, iterations: number, segments: number, log: (line: string) => void): Promise<OverheadResult> {
  const servers = await startBenchServers(segments);
  const browsers: Record<Config, Launched> = { 'cors-lens': await launch(corsLensDir), noop: await launch(noopDir), none: await launch(null) };
  const order: Config[] = ['cors-lens', 'noop', 'none'];
  const pages: BenchPage[] = ['media', 'general'];
  const times: Record<BenchPage, Record<Config, number[]>> = { media: { 'cors-lens': [], noop: [], none: [] }, general: { 'cors-lens': [], noop: [], none: [] } };
  const ratioVsNoop: Record<BenchPage, number[]> = { media: [], general: [] };
  const ratioVsNone: Record<BenchPage, number[]> = { media: [], general: [] };
  const failures: string[] = [];
  const eventsPerLoad: Record<string, number> = {};
  let subresourceEvents = 0;
  let generalLoads = 0;
  const deliveredEvents = async (): Promise<Record<string, number>> => (await browsers.noop.worker!.evaluate('({ ...globalThis.__deliveredEvents })')) as Record<string, number>;
  let run = 0;
  const loadOnce = async (config: Config, which: BenchPage): Promise<number | null> => {
    run++;
    const countEvents = which === 'general' && config === 'noop';
    const before = countEvents ? await deliveredEvents() : {};
    const page = await browsers[config].context.newPage();
    try {
      const folder = `${servers.mediaOrigin}/run${run}-${config}`;
      const url =
        which === 'media'
          ? `${servers.pageOrigin}/player.html?frags=${segments}&src=${encodeURIComponent(`${folder}/stream.m3u8`)}`
          : `${servers.pageOrigin}/general.html?assets=${encodeURIComponent(folder)}`;
      await page.goto(url);
      await page.waitForFunction('window.__bench && window.__bench.done', null, { timeout: 30_000, polling: 50 });
      const state = (await page.evaluate('window.__bench')) as { loadedAtMs: number | null; error: string | null; loaded: number };
      if (state.loadedAtMs === null) {
        failures.push(`${config} ${which} run ${run}: ${state.error ?? 'unknown error'} after ${state.loaded} ${which === 'media' ? 'fragments' : 'resources'}`);
        return null;
      }
      if (countEvents) {
        const after = await deliveredEvents();
        let subresources = 0;
        for (const [key, total] of Object.entries(after)) {
          const delta = total - (before[key] ?? 0);
          if (delta <= 0) continue;
          eventsPerLoad[key] = Math.max(eventsPerLoad[key] ?? 0, delta);
          if (SUBRESOURCE_TYPES.includes(key.split(' ')[1] ?? '')) subresources += delta;
        }
        subresourceEvents = Math.max(subresourceEvents, subresources);
        generalLoads++;
      }
      return state.loadedAtMs;
    } finally {
      await page.close();
    }
  };
  try {
    // Warm-up: hls.js in the HTTP cache, workers started.
    for (const which of pages) for (const config of order) await loadOnce(config, which);
    for (let iteration = 0; iteration < iterations; iteration++) {
      const rotated = [...order.slice(iteration % 3), ...order.slice(0, iteration % 3)];
      for (const which of pages) {
        const got: Partial<Record<Config, number>> = {};
        for (const config of rotated) {
          const ms = await loadOnce(config, which);
          if (ms !== null) {
            got[config] = ms;
            times[which][config].push(ms);
          }
        }
        if (got['cors-lens'] !== undefined && got.noop !== undefined) ratioVsNoop[which].push(got['cors-lens'] / got.noop);
        if (got['cors-lens'] !== undefined && got.none !== undefined) ratioVsNone[which].push(got['cors-lens'] / got.none);
        log(`  ${which} ${iteration + 1}/${iterations}: cors-lens ${got['cors-lens']?.toFixed(0)} ms, no-op ${got.noop?.toFixed(0)} ms, none ${got.none?.toFixed(0)} ms`);
      }
    }
  } finally {
    for (const browser of Object.values(browsers)) await browser.close();
    await servers.close();
  }
  const overheadOf = (which: BenchPage): PageOverhead => ({
    loadMs: { 'cors-lens': summarise(times[which]['cors-lens']), noop: summarise(times[which].noop), none: summarise(times[which].none) },
    ratioVsNoop: summarise(ratioVsNoop[which]),
    ratioVsNone: summarise(ratioVsNone[which]),
    pairs: ratioVsNone[which].length,
  });
  return { segments, media: overheadOf('media'), general: overheadOf('general'), generalEvents: { perLoad: eventsPerLoad, subresourceEvents, loads: generalLoads }, failures };
}

/** Headers the diagnosis and the popup read; the rest is dropped so 10 000 records fit storage.session's 10 MB. */
const KEPT_REQUEST_HEADERS = new Set(['origin', 'sec-fetch-mode']);
const KEPT_RESPONSE_HEADERS = new Set(['server', 'access-control-allow-origin', 'vary', 'age', 'x-cache', 'x-amz-cf-pop', 'cf-cache-status']);

function slim(headers: HeaderList | null, keep: ReadonlySet<string>): HeaderList | null {
  return headers === null ? null : headers.filter(([name]) => keep.has(name));
}

export interface PopupResult {
  /** Records the popup showed (fewer than requested when storage.session could not hold them). */
  records: number;
  requested: number;
  storedBytes: number;
  /** Cold: service worker stopped, popup opened (restore + analyze + render). */
  coldMs: Summary;
  /** Warm: worker running and restored. */
  warmMs: Summary;
  /**
   * Cold: to the frame after the diagnosis section holds the findings (a restarted worker answers the
   * rows first and the whole-log analysis on the view's second request, so this comes after coldMs).
   */
  coldDiagnosisMs: Summary;
  rowsRendered: number;
  note: string | null;
}

/** Times from navigation start (performance.timeOrigin) to the first rows in the DOM, measured in the page. */
const FIRST_ROWS_SCRIPT = `(() => {
  window.__firstRowsInstalled = true;
  // The time of the frame after the first element matching the selector is in the DOM (laid out then).
  const markWhen = (selector, name) => {
    const mark = () => {
      if (window[name] !== undefined) return true;
      if (!document.querySelector(selector)) return false;
      window[name] = null;
      requestAnimationFrame(() => { window[name] = performance.now(); });
      return true;
    };
    if (!mark()) {
      const observer = new MutationObserver(() => { if (mark()) observer.disconnect(); });
      observer.observe(document, { childList: true, subtree: true });
    }
  };
  markWhen('[data-testid="request-row"]', '__firstRowsAt');
  markWhen('[data-testid="findings"]', '__findingsAt');
})();`;

/** The store's own layout for `count` records on one tab: what TabLogStore writes to storage.session. */
async function seedItems(tabId: number, count: number): Promise<{ items: Record<string, unknown>; bytes: number }> {
  const area = new RecordingArea();
  const store = new TabLogStore(area, { isQuotaError: () => false, maxRecordsPerTab: count });
  store.startPage(tabId, 'http://127.0.0.1/bench-player');
  const records: RequestRecord[] = workloadRecords(count, 7).map((record) => ({
    ...record,
    tabId,
    requestHeaders: slim(record.requestHeaders, KEPT_REQUEST_HEADERS),
    responseHeaders: slim(record.responseHeaders, KEPT_RESPONSE_HEADERS),
    // Only the start and end times: storage.session's quota counts more than the JSON text.
    timings: { start: record.timings.start, ...(record.timings.end === undefined ? {} : { end: record.timings.end }) },
    statusLine: null,
    ip: null,
  }));
  for (const record of records) store.add(record, verdictForRecord(record));
  await store.flush();
  const bytes = Object.entries(area.items).reduce((sum, [key, value]) => sum + key.length + JSON.stringify(value).length, 0);
  return { items: area.items, bytes };
}

/** Counts tried when the full log does not fit storage.session's quota. */
const FALLBACK_COUNTS = [7_500, 5_000, 4_000, 3_000, 2_000, 1_000];

export async function measurePopup(corsLensDir: string, count: number, coldRuns: number, warmRuns: number, log: (line: string) => void): Promise<PopupResult> {
  const tabId = 424242;
  const browser = await launch(corsLensDir);
  try {
    const { context, extensionId } = browser;
    const worker = browser.worker!;
    // Source text, not a function: tsx would wrap a function in helpers the worker does not have.
    let seeded = 0;
    let storedBytes = 0;
    let quotaNote: string | null = null;
    for (const tryCount of [count, ...FALLBACK_COUNTS.filter((fallback) => fallback < count)]) {
      const { items, bytes } = await seedItems(tabId, tryCount);
      const outcome = (await worker.evaluate(
        `chrome.storage.session.clear().then(() => chrome.storage.session.set(${JSON.stringify(items)})).then(() => 'ok', (error) => String(error))`,
      )) as string;
      log(`  seeding ${tryCount} records (${Object.keys(items).length} keys, ${(bytes / 1e6).toFixed(2)} MB as JSON): ${outcome}`);
      if (outcome === 'ok') {
        seeded = tryCount;
        storedBytes = bytes;
        break;
      }
      quotaNote ??= `storage.session refused ${tryCount.toLocaleString('en')} records (${(bytes / 1e6).toFixed(1)} MB as JSON; Chromium counts its quota on its own value representation, well above the JSON size): ${outcome}`;
    }
    if (seeded === 0) throw new Error(quotaNote ?? 'storage.session refused every log size tried');
    const storedKeys = (await worker.evaluate('chrome.storage.session.get(null).then((all) => Object.keys(all).length)')) as number;
    log(`  storage.session holds ${storedKeys} keys`);
    const popupUrl = `chrome-extension://${extensionId}/src/ui/popup/popup.html?tabId=${tabId}`;
    await context.addInitScript(FIRST_ROWS_SCRIPT);
    const helper = await context.newPage();
    const openOnce = async (): Promise<{ ms: number; diagnosisMs: number; rows: number }> => {
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 800, height: 600 });
      try {
        await popup.goto(popupUrl);
        // Polled from here over CDP: the extension page's CSP forbids the eval waitForFunction needs.
        // The time itself is taken in the page, so the polling interval does not enter the figure.
        const deadline = Date.now() + 60_000;
        let ms: number | null = null;
        while (ms === null) {
          ms = (await popup.evaluate('typeof window.__firstRowsAt === "number" ? window.__firstRowsAt : null')) as number | null;
          if (ms !== null) break;
          if (Date.now() > deadline) {
            const state = await popup.evaluate('JSON.stringify({ installed: window.__firstRowsInstalled === true, rows: document.querySelectorAll(\'[data-testid="request-row"]\').length, text: document.body.innerText.slice(0, 300) })');
            throw new Error(`no request rows within 60 s: ${String(state)}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const rows = (await popup.evaluate('document.querySelectorAll(\'[data-testid="request-row"]\').length')) as number;
        let diagnosisMs: number | null = null;
        while (diagnosisMs === null) {
          diagnosisMs = (await popup.evaluate('typeof window.__findingsAt === "number" ? window.__findingsAt : null')) as number | null;
          if (diagnosisMs !== null) break;
          if (Date.now() > deadline) throw new Error('no diagnosis within 60 s');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return { ms, diagnosisMs, rows };
      } finally {
        await popup.close();
      }
    };
    const cold: number[] = [];
    const coldDiagnosis: number[] = [];
    const warm: number[] = [];
    let rowsRendered = 0;
    for (let run = 0; run < coldRuns; run++) {
      const stopped = await stopServiceWorker(context, helper);
      const waiting = stopped.waitUntilRunning();
      const result = await openOnce();
      await waiting;
      cold.push(result.ms);
      coldDiagnosis.push(result.diagnosisMs);
      rowsRendered = result.rows;
      log(`  cold ${run + 1}/${coldRuns}: ${result.ms.toFixed(0)} ms, ${result.rows} rows in the DOM; diagnosis at ${result.diagnosisMs.toFixed(0)} ms`);
    }
    for (let run = 0; run < warmRuns; run++) {
      const result = await openOnce();
      warm.push(result.ms);
      log(`  warm ${run + 1}/${warmRuns}: ${result.ms.toFixed(0)} ms`);
    }
    return {
      records: seeded,
      requested: count,
      storedBytes,
      coldMs: summarise(cold),
      warmMs: summarise(warm),
      coldDiagnosisMs: summarise(coldDiagnosis),
      rowsRendered,
      note: quotaNote,
    };
  } finally {
    await browser.close();
  }
}

export { median };
