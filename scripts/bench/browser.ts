/**
 * The two figures measured in real Chromium (Debian's, via playwright-core, as the e2e tests run it):
 * page + stream load with CORS Lens vs a no-op webRequest extension vs no extension, and the popup's
 * first render with 10 000 records restored from storage.session after a service-worker restart.
 */
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, stopServiceWorker } from '../../test/e2e/support/chromium.ts';
import { TabLogStore } from '../../src/background/store.ts';
import { verdictForRecord } from '../../src/engine/analyze.ts';
import type { HeaderList, RequestRecord } from '../../src/engine/model.ts';
import { RecordingArea } from './session-area.ts';
import { startBenchServers, type BenchServers } from './servers.ts';
import type { Summary } from './stats.ts';
import { median, summarise } from './stats.ts';
import { workloadRecords } from './workload.ts';

/**
 * The overhead step's configurations: CORS Lens, the no-op extension, the build holding the
 * `webRequest` permission with no listener (`permission`: what Chromium charges for the permission
 * alone, docs/budgets.md#why-the-ordinary-page-pays), and no extension.
 */
export type Config = 'cors-lens' | 'noop' | 'permission' | 'none';

interface Launched {
  context: BrowserContext;
  worker: Worker | null;
  extensionId: string | null;
  /** CPU time (user + system, ms) used so far by the browser's live processes (Linux /proc), by kind of process. */
  cpuMs(): Promise<CpuByProcess>;
  close(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/** CPU ms by kind of process: `browser`, `renderer` (pages), `extension` (the extension's renderer: its worker), `gpu-process`, `utility:<service>`. */
export type CpuByProcess = Record<string, number>;

/** The kind of a Chromium process, from its command line. */
function processKind(commandLine: string): string {
  const type = /--type=([\w-]+)/.exec(commandLine)?.[1];
  if (type === undefined) return 'browser';
  if (type === 'renderer') return commandLine.includes('--extension-process') ? 'extension' : 'renderer';
  if (type === 'utility') return `utility:${/--utility-sub-type=[\w]+\.mojom\.(\w+)/.exec(commandLine)?.[1] ?? 'other'}`;
  return type;
}

/** The total of a CPU breakdown. */
export function cpuTotal(cpu: CpuByProcess): number {
  let total = 0;
  for (const ms of Object.values(cpu)) total += ms;
  return total;
}

/**
 * CPU ms used by every live process whose command line names `profile` (the browser and its renderer,
 * GPU, network and other helpers, each started with the profile's --user-data-dir or as its child),
 * by kind of process. On a loaded machine this varies far less than wall time: it is the work a load
 * costs, not the wait. /proc counts in ticks of 10 ms.
 */
async function cpuMsOfProfile(profile: string): Promise<CpuByProcess> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const stats = new Map<string, { ppid: string; ticks: number; named: boolean; kind: string }>();
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      stats.set(pid, { ppid: fields[1]!, ticks: Number(fields[11]) + Number(fields[12]), named: commandLine.includes(profile), kind: processKind(commandLine) });
    } catch {
      // The process ended while we read.
    }
  }
  const inTree = (pid: string, depth = 0): boolean => {
    const stat = stats.get(pid);
    if (!stat || depth > 8) return false;
    return stat.named || inTree(stat.ppid, depth + 1);
  };
  const byKind: CpuByProcess = {};
  for (const [pid, stat] of stats) if (inTree(pid)) byKind[stat.kind] = (byKind[stat.kind] ?? 0) + (stat.ticks * 1000) / CLOCK_TICKS;
  return byKind;
}

/** What a launch adds: more command-line switches, and `desktop`: a desktop's screen and window (DESKTOP_ARGS). */
interface LaunchOptions {
  args?: readonly string[];
  desktop?: boolean;
}

/**
 * A desktop's screen and browser window. Headless Chromium's own are 800 × 600 with Playwright's
 * viewport, and a toolbar popup is sized to fit the screen from its button: there it was 678 × 510,
 * narrower than the popup's content (720 px), where on a desktop it is 750 × 600.
 */
const DESKTOP_ARGS = ['--screen-info={1920x1080}', '--window-size=1366,768'];

export async function launch(extensionDir: string | null, options: LaunchOptions = {}): Promise<Launched> {
  const profile = await mkdtemp(path.join(tmpdir(), 'cors-lens-bench-'));
  const args = [
    ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...CHROMIUM_ARGS] : [...CHROMIUM_ARGS, '--disable-extensions']),
    ...(options.desktop ? DESKTOP_ARGS : []),
    ...(options.args ?? []),
  ];
  // With a desktop window, pages take the window's size (no viewport emulated on top of it).
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args, ...(options.desktop ? { viewport: null } : {}) });
  const worker = extensionDir ? (context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))) : null;
  return {
    context,
    worker,
    extensionId: worker ? new URL(worker.url()).host : null,
    cpuMs: () => cpuMsOfProfile(profile),
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

/** The two pages loaded: the hls.js player (the worst case for CORS Lens) and an ordinary page without media. */
export type BenchPage = 'media' | 'general';

/** The page a CORS Lens build opens once after install (src/background/first-run.ts). */
const FIRST_RUN_PAGE = 'src/ui/welcome/welcome.html';

/**
 * Closes the first-run page a fresh install of a CORS Lens build opens (a person reads it and closes
 * it before browsing), so no extension page stays open during the loads and the popup's opens. A build
 * without that page (the no-op extension) opens none.
 */
export async function closeFirstRunPage(browser: Launched, extensionDir: string): Promise<void> {
  if (!existsSync(path.join(extensionDir, FIRST_RUN_PAGE))) return;
  const isFirstRun = (page: Page) => page.url().endsWith(FIRST_RUN_PAGE);
  const page = browser.context.pages().find(isFirstRun) ?? (await browser.context.waitForEvent('page', { predicate: isFirstRun, timeout: 30_000 }));
  await page.close();
}

/** A browser per page and configuration (a page not measured gets no browser), without the first-run page. */
async function launchPerPage<C extends string>(dirs: Record<C, string | null>, pages: readonly BenchPage[]): Promise<Record<BenchPage, Record<C, Launched>>> {
  const browsers = { media: {}, general: {} } as Record<BenchPage, Record<C, Launched>>;
  for (const which of pages) {
    for (const config of Object.keys(dirs) as C[]) {
      const dir = dirs[config];
      const browser = await launch(dir);
      if (dir !== null) await closeFirstRunPage(browser, dir);
      browsers[which][config] = browser;
    }
  }
  return browsers;
}

async function closeAll(browsers: Record<BenchPage, Record<string, Launched>>): Promise<void> {
  for (const byConfig of Object.values(browsers)) for (const browser of Object.values(byConfig)) await browser.close();
}

export interface PageOverhead {
  /** ms from navigation start to the last fragment loaded (media) or to the load event (general), per config. */
  loadMs: Record<Config, Summary>;
  /** Per iteration: CORS Lens ÷ no-op, CORS Lens ÷ none (same iteration). */
  ratioVsNoop: Summary;
  ratioVsNone: Summary;
  /** Per iteration: the no-op extension ÷ none: what Chromium charges any extension with these listeners. */
  noopVsNone: Summary;
  /** Per iteration: the permission alone ÷ none, and CORS Lens ÷ the permission alone (what CORS Lens adds to it). */
  permissionVsNone: Summary;
  ratioVsPermission: Summary;
  /**
   * CPU time all the browser's processes spent per load (median, from /proc, warm-up loads left out),
   * per config: steadier than wall time on a loaded machine, and what the user's battery pays.
   */
  cpuMs: Record<Config, number>;
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

/** One load of a bench page in a fresh tab, under a fresh folder of the other origin (no cache): ms, or why not. */
async function loadPage(browser: Launched, servers: BenchServers, which: BenchPage, segments: number, folder: string): Promise<{ ms: number; cpuMs: CpuByProcess } | { error: string }> {
  const page = await browser.context.newPage();
  const cpuBefore = await browser.cpuMs();
  try {
    const assets = `${servers.mediaOrigin}/${folder}`;
    const url =
      which === 'media'
        ? `${servers.pageOrigin}/player.html?frags=${segments}&src=${encodeURIComponent(`${assets}/stream.m3u8`)}`
        : `${servers.pageOrigin}/general.html?assets=${encodeURIComponent(assets)}`;
    await page.goto(url);
    await page.waitForFunction('window.__bench && window.__bench.done', null, { timeout: 30_000, polling: 50 });
    const state = (await page.evaluate('window.__bench')) as { loadedAtMs: number | null; error: string | null; loaded: number };
    if (state.loadedAtMs === null) return { error: `${state.error ?? 'unknown error'} after ${state.loaded} ${which === 'media' ? 'fragments' : 'resources'}` };
    const cpuAfter = await browser.cpuMs();
    const cpuMs: CpuByProcess = {};
    // A process that ended during the load is left out (its CPU time is gone from /proc).
    for (const [kind, ms] of Object.entries(cpuAfter)) cpuMs[kind] = ms - (cpuBefore[kind] ?? 0);
    return { ms: state.loadedAtMs, cpuMs };
  } finally {
    await page.close();
  }
}

/** Load times per page and configuration, and what each iteration measured (for ratios within one iteration). */
interface Alternated<C extends string> {
  times: Record<BenchPage, Record<C, number[]>>;
  /** CPU ms of the browser's processes per load (when the load reports it), by kind of process. */
  cpu: Record<BenchPage, Record<C, CpuByProcess[]>>;
  iterations: Record<BenchPage, Partial<Record<C, number>>[]>;
  failures: string[];
}

/** `config` ÷ `baseline`, per iteration where both loaded. */
function ratiosOf<C extends string>(alternated: Alternated<C>, which: BenchPage, config: C, baseline: C): number[] {
  const ratios: number[] = [];
  for (const got of alternated.iterations[which]) {
    const [ms, base] = [got[config], got[baseline]];
    if (ms !== undefined && base !== undefined) ratios.push(ms / base);
  }
  return ratios;
}

/**
 * Alternating runs: each iteration loads each page once in each configuration, the order rotating so
 * no configuration always goes first; one warm-up load each first (hls.js in the HTTP cache, workers
 * started). `load` gets a run number for a fresh folder.
 */
async function alternate<C extends string>(
  configs: readonly C[],
  pages: readonly BenchPage[],
  iterations: number,
  load: (config: C, which: BenchPage, run: number) => Promise<{ ms: number; cpuMs?: CpuByProcess } | { error: string }>,
  log: (line: string) => void,
): Promise<Alternated<C>> {
  const perConfig = <T>(): Record<C, T[]> => Object.fromEntries(configs.map((config) => [config, []])) as unknown as Record<C, T[]>;
  const times = { media: perConfig<number>(), general: perConfig<number>() };
  const cpu = { media: perConfig<CpuByProcess>(), general: perConfig<CpuByProcess>() };
  const iterationsMeasured: Record<BenchPage, Partial<Record<C, number>>[]> = { media: [], general: [] };
  const failures: string[] = [];
  let run = 0;
  const once = async (config: C, which: BenchPage, warmUp = false): Promise<number | null> => {
    run++;
    const result = await load(config, which, run);
    if ('ms' in result) {
      if (result.cpuMs !== undefined && !warmUp) cpu[which][config].push(result.cpuMs);
      return result.ms;
    }
    failures.push(`${config} ${which} run ${run}: ${result.error}`);
    return null;
  };
  for (const which of pages) for (const config of configs) await once(config, which, true);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const shift = iteration % configs.length;
    const rotated = [...configs.slice(shift), ...configs.slice(0, shift)];
    for (const which of pages) {
      const got: Partial<Record<C, number>> = {};
      for (const config of rotated) {
        const ms = await once(config, which);
        if (ms === null) continue;
        got[config] = ms;
        times[which][config].push(ms);
      }
      iterationsMeasured[which].push(got);
      log(`  ${which} ${iteration + 1}/${iterations}: ${configs.map((config) => `${config} ${got[config]?.toFixed(0) ?? '–'} ms`).join(', ')}`);
    }
  }
  return { times, cpu, iterations: iterationsMeasured, failures };
}

/**
 * CORS Lens, the no-op extension, the permission alone and no extension (`dirs`, null: none), both
 * pages. The ordinary page's events are counted by the no-op extension, around each of its loads.
 */
export async function measureOverhead(dirs: Record<Config, string | null>, iterations: number, segments: number, log: (line: string) => void): Promise<OverheadResult> {
  const servers = await startBenchServers(segments);
  // One browser per configuration and page: CORS Lens reads headers for a while after a tab requested
  // media (src/background/header-recording.ts), and the ordinary page is measured as browsing that saw none.
  const browsers = await launchPerPage(dirs, ['media', 'general']);
  const eventsPerLoad: Record<string, number> = {};
  let subresourceEvents = 0;
  let generalLoads = 0;
  const deliveredEvents = async (): Promise<Record<string, number>> => (await browsers.general.noop.worker!.evaluate('({ ...globalThis.__deliveredEvents })')) as Record<string, number>;
  const load = async (config: Config, which: BenchPage, run: number): Promise<{ ms: number } | { error: string }> => {
    const countEvents = which === 'general' && config === 'noop';
    const before = countEvents ? await deliveredEvents() : {};
    const result = await loadPage(browsers[which][config], servers, which, segments, `run${run}-${config}`);
    if (countEvents && 'ms' in result) {
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
    return result;
  };
  let alternated: Alternated<Config>;
  try {
    alternated = await alternate<Config>(['cors-lens', 'noop', 'permission', 'none'], ['media', 'general'], iterations, load, log);
  } finally {
    await closeAll(browsers);
    await servers.close();
  }
  const { times } = alternated;
  const overheadOf = (which: BenchPage): PageOverhead => {
    const ratioVsNone = ratiosOf(alternated, which, 'cors-lens', 'none');
    return {
      loadMs: { 'cors-lens': summarise(times[which]['cors-lens']), noop: summarise(times[which].noop), permission: summarise(times[which].permission), none: summarise(times[which].none) },
      ratioVsNoop: summarise(ratiosOf(alternated, which, 'cors-lens', 'noop')),
      ratioVsNone: summarise(ratioVsNone),
      noopVsNone: summarise(ratiosOf(alternated, which, 'noop', 'none')),
      permissionVsNone: summarise(ratiosOf(alternated, which, 'permission', 'none')),
      ratioVsPermission: summarise(ratiosOf(alternated, which, 'cors-lens', 'permission')),
      cpuMs: {
        'cors-lens': median(alternated.cpu[which]['cors-lens'].map(cpuTotal)),
        noop: median(alternated.cpu[which].noop.map(cpuTotal)),
        permission: median(alternated.cpu[which].permission.map(cpuTotal)),
        none: median(alternated.cpu[which].none.map(cpuTotal)),
      },
      pairs: ratioVsNone.length,
    };
  };
  return { segments, media: overheadOf('media'), general: overheadOf('general'), generalEvents: { perLoad: eventsPerLoad, subresourceEvents, loads: generalLoads }, failures: alternated.failures };
}

export interface VariantLoads {
  /** Per configuration ('none', the build as it is, each variant): load times and ratio to no extension. */
  byConfig: Record<string, { loadMs: Summary; ratioVsNone: Summary; cpuMs: Summary; cpuByProcessMs: CpuByProcess }>;
  failures: string[];
}

/**
 * The ordinary page (and optionally the media page) in no extension, the build as it is, and each
 * listener variant of it (scripts/bench/listener-variants.ts), side by side in one run.
 */
export async function measureVariants(dirs: Record<string, string | null>, pages: readonly BenchPage[], iterations: number, segments: number, log: (line: string) => void): Promise<Record<BenchPage, VariantLoads>> {
  const servers = await startBenchServers(segments);
  const configs = Object.keys(dirs);
  let browsers: Record<BenchPage, Record<string, Launched>> | undefined;
  try {
    browsers = await launchPerPage(dirs, pages);
    const launched = browsers;
    const alternated = await alternate(configs, pages, iterations, (config, which, run) => loadPage(launched[which][config]!, servers, which, segments, `run${run}-${config}`), log);
    const of = (which: BenchPage): VariantLoads => ({
      byConfig: Object.fromEntries(
        configs.map((config) => {
          const cpu = alternated.cpu[which][config]!;
          const kinds = [...new Set(cpu.flatMap((load) => Object.keys(load)))].sort();
          const cpuByProcessMs = Object.fromEntries(kinds.map((kind) => [kind, median(cpu.map((load) => load[kind] ?? 0))]));
          return [config, { loadMs: summarise(alternated.times[which][config]!), ratioVsNone: summarise(ratiosOf(alternated, which, config, 'none')), cpuMs: summarise(cpu.map(cpuTotal)), cpuByProcessMs }];
        }),
      ),
      failures: alternated.failures.filter((failure) => failure.includes(` ${which} `)),
    });
    return { media: of('media'), general: of('general') };
  } finally {
    if (browsers) await closeAll(browsers);
    await servers.close();
  }
}

/** Headers the diagnosis and the popup read; the rest is dropped so 10 000 records fit storage.session's 10 MB. */
const KEPT_REQUEST_HEADERS = new Set(['origin', 'sec-fetch-mode', 'access-control-request-method', 'access-control-request-headers']);
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
  /** Each run's figure, in order (scripts/bench/popup.ts pools them over rounds). */
  coldRuns: number[];
  coldDiagnosisRuns: number[];
  warmRuns: number[];
}

/** Times from navigation start (performance.timeOrigin) to the first rows in the DOM, measured in the page. */
export const FIRST_ROWS_SCRIPT = `(() => {
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
  // The diagnosis: its first card, or the section saying nothing was found (the cards may come a
  // frame after the section that holds them).
  markWhen('[data-testid="finding"], [data-testid="nothing-found"]', '__findingsAt');
})();`;

/**
 * storage.session's items for a log of `records` on `tabId`, as the worker's store writes them (each
 * record judged as it arrived, then flushed), and their size as JSON.
 */
export async function storedLogItems(tabId: number, records: readonly RequestRecord[]): Promise<{ items: Record<string, unknown>; bytes: number }> {
  const area = new RecordingArea();
  const store = new TabLogStore(area, { isQuotaError: () => false, maxRecordsPerTab: Math.max(1, records.length) });
  store.startPage(tabId, 'http://127.0.0.1/bench-player');
  for (const record of records) store.add({ ...record, tabId }, verdictForRecord(record));
  await store.flush();
  const bytes = Object.entries(area.items).reduce((sum, [key, value]) => sum + key.length + JSON.stringify(value).length, 0);
  return { items: area.items, bytes };
}

/** The store's own layout for `count` records of the bench's workload on one tab, their headers slimmed. */
function seedItems(tabId: number, count: number): Promise<{ items: Record<string, unknown>; bytes: number }> {
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
  return storedLogItems(tabId, records);
}

/** Counts tried when the full log does not fit storage.session's quota. */
const FALLBACK_COUNTS = [7_500, 5_000, 4_000, 3_000, 2_000, 1_000];

export const POPUP_PAGE = 'src/ui/popup/popup.html';

/** The popup's page for `tabId` (or another page of the extension: scripts/bench/popup.ts's floor page). */
export function popupUrlOf(extensionId: string, tabId: number, page = POPUP_PAGE): string {
  return `chrome-extension://${extensionId}/${page}?tabId=${tabId}`;
}

/**
 * Writes the largest log of `count` records or fewer (FALLBACK_COUNTS) that storage.session accepts
 * onto `tabId`, from the extension's service worker. Returns the count stored and its JSON size.
 */
export async function seedPopupLog(worker: Worker, tabId: number, count: number, log: (line: string) => void): Promise<{ seeded: number; storedBytes: number; quotaNote: string | null }> {
  let quotaNote: string | null = null;
  for (const tryCount of [count, ...FALLBACK_COUNTS.filter((fallback) => fallback < count)]) {
    const { items, bytes } = await seedItems(tabId, tryCount);
    // Source text, not a function: tsx would wrap a function in helpers the worker does not have.
    const outcome = (await worker.evaluate(
      `chrome.storage.session.clear().then(() => chrome.storage.session.set(${JSON.stringify(items)})).then(() => 'ok', (error) => String(error))`,
    )) as string;
    log(`  seeding ${tryCount} records (${Object.keys(items).length} keys, ${(bytes / 1e6).toFixed(2)} MB as JSON): ${outcome}`);
    if (outcome === 'ok') return { seeded: tryCount, storedBytes: bytes, quotaNote };
    quotaNote ??= `storage.session refused ${tryCount.toLocaleString('en')} records (${(bytes / 1e6).toFixed(1)} MB as JSON; Chromium counts its quota on its own value representation, well above the JSON size): ${outcome}`;
  }
  throw new Error(quotaNote ?? 'storage.session refused every log size tried');
}

/** What evaluates an expression in a page: a Playwright Page, or a TargetSession (the toolbar's popup). */
interface EvaluatingPage {
  evaluate(expression: string): Promise<unknown>;
}

/** Polls the page (over CDP: the extension page's CSP forbids the eval waitForFunction needs) until `expression` is a number. */
async function pollNumber(page: EvaluatingPage, expression: string, deadline: number, what: () => Promise<string>): Promise<number> {
  for (;;) {
    const value = (await page.evaluate(`typeof ${expression} === "number" ? ${expression} : null`)) as number | null;
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(await what());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Opens the popup once in a new 800×600 tab and waits for its first rows and its diagnosis cards.
 * The times are taken in the page (FIRST_ROWS_SCRIPT, installed on the context), so the polling
 * interval does not enter the figures. `beforeOpen` gets the page before it navigates (profiling).
 */
export async function openPopupOnce(context: BrowserContext, url: string, beforeOpen?: (page: Page) => Promise<void>): Promise<{ ms: number; diagnosisMs: number; rows: number; page: Page }> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 800, height: 600 });
  await beforeOpen?.(popup);
  await popup.goto(url);
  const deadline = Date.now() + 60_000;
  const ms = await pollNumber(popup, 'window.__firstRowsAt', deadline, async () => {
    const state = await popup.evaluate('JSON.stringify({ installed: window.__firstRowsInstalled === true, rows: document.querySelectorAll(\'[data-testid="request-row"]\').length, text: document.body.innerText.slice(0, 300) })');
    return `no request rows within 60 s: ${String(state)}`;
  });
  const rows = (await popup.evaluate('document.querySelectorAll(\'[data-testid="request-row"]\').length')) as number;
  const diagnosisMs = await pollNumber(popup, 'window.__findingsAt', deadline, async () => 'no diagnosis within 60 s');
  return { ms, diagnosisMs, rows, page: popup };
}

export async function measurePopup(corsLensDir: string, count: number, coldRuns: number, warmRuns: number, log: (line: string) => void, page = POPUP_PAGE): Promise<PopupResult> {
  const tabId = 424242;
  const browser = await launch(corsLensDir);
  try {
    await closeFirstRunPage(browser, corsLensDir);
    const { context, extensionId } = browser;
    const worker = browser.worker!;
    const { seeded, storedBytes, quotaNote } = await seedPopupLog(worker, tabId, count, log);
    const storedKeys = (await worker.evaluate('chrome.storage.session.get(null).then((all) => Object.keys(all).length)')) as number;
    log(`  storage.session holds ${storedKeys} keys`);
    const popupUrl = popupUrlOf(extensionId!, tabId, page);
    await context.addInitScript(FIRST_ROWS_SCRIPT);
    const helper = await context.newPage();
    const openOnce = async (): Promise<{ ms: number; diagnosisMs: number; rows: number }> => {
      const { page, ...result } = await openPopupOnce(context, popupUrl);
      await page.close();
      return result;
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
      coldRuns: cold,
      coldDiagnosisRuns: coldDiagnosis,
      warmRuns: warm,
    };
  } finally {
    await browser.close();
  }
}

/**
 * The browser's own fixed cost of opening an extension page, as the floor of the popup's figures: a copy
 * of `dir` with one more page whose module script (a few lines, no framework, no storage, no messages)
 * puts one request row and the diagnosis marker in the DOM. Measured like the popup (measurePopup with
 * `page` FLOOR_PAGE).
 */
export const FLOOR_PAGE = 'floor.html';
export async function floorBuildOf(dir: string): Promise<string> {
  const copy = await mkdtemp(path.join(tmpdir(), 'cors-lens-popup-floor-'));
  await cp(dir, copy, { recursive: true, force: true });
  await writeFile(`${copy}/${FLOOR_PAGE}`, '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="floor.js"></script></head><body></body></html>');
  await writeFile(
    `${copy}/floor.js`,
    `const row = document.createElement('div'); row.dataset.testid = 'request-row'; row.textContent = 'row';
const findings = document.createElement('div'); findings.dataset.testid = 'finding'; findings.textContent = 'finding';
document.body.append(findings, row);`,
  );
  return copy;
}


/** A loopback port nothing listens on now (for the browser's DevTools endpoint). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * One page target reached over the browser's DevTools protocol without flattened sessions: commands
 * go out as Target.sendMessageToTarget and answers come back as Target.receivedMessageFromTarget.
 */
class TargetSession {
  readonly #cdp: CDPSession;
  readonly #sessionId: string;
  readonly #answers = new Map<number, (message: { result?: { result?: { value?: unknown } }; error?: unknown }) => void>();
  #next = 1;

  readonly #received = (event: { sessionId: string; message: string }): void => {
    if (event.sessionId !== this.#sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } }; error?: unknown };
    if (message.id === undefined) return;
    this.#answers.get(message.id)?.(message);
    this.#answers.delete(message.id);
  };

  private constructor(cdp: CDPSession, sessionId: string) {
    this.#cdp = cdp;
    this.#sessionId = sessionId;
    cdp.on('Target.receivedMessageFromTarget', this.#received);
  }

  /** Stops listening for this session's answers (one browser session serves every popup opened). */
  detach(): void {
    this.#cdp.off('Target.receivedMessageFromTarget', this.#received);
  }

  static async attach(cdp: CDPSession, targetId: string): Promise<TargetSession> {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
    return new TargetSession(cdp, sessionId);
  }

  /** The value of `expression` in the page, or null when it threw or the page has no context yet. */
  evaluate(expression: string): Promise<unknown> {
    const id = this.#next++;
    const answer = new Promise<unknown>((resolve) => this.#answers.set(id, (message) => resolve(message.error === undefined ? (message.result?.result?.value ?? null) : null)));
    void this.#cdp.send('Target.sendMessageToTarget', { sessionId: this.#sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }) });
    return answer;
  }
}

/**
 * Opens the real toolbar popup (chrome.action.openPopup(), from the worker) and waits for its first
 * rows: their time from the popup's navigation start, and from the worker's call (wall clocks of one
 * machine). Closes it and waits until it is gone.
 */
async function openActionPopupOnce(caller: Pick<Worker, 'evaluate'>, cdp: CDPSession, tab: { tabId: number; windowId: number }, page: string): Promise<{ ms: number; cardsMs: number; fromCallMs: number; rows: number; size: string }> {
  const target = new Promise<string>((resolve) => {
    const seen = (event: { targetInfo: { targetId: string; url: string } }) => {
      // The tab opens' pages have the popup's URL too, with ?tabId=: the toolbar's has none.
      if (!event.targetInfo.url.endsWith(page)) return;
      cdp.off('Target.targetCreated', seen);
      cdp.off('Target.targetInfoChanged', seen);
      resolve(event.targetInfo.targetId);
    };
    cdp.on('Target.targetCreated', seen);
    cdp.on('Target.targetInfoChanged', seen);
  });
  // Source text, not a function: tsx would wrap a function in helpers the worker does not have.
  // The popup shows its window's active tab: the seeded one, made active by the extension API itself
  // (the tab opens in between take the focus, and a page's bringToFront reaches the tab model late).
  const calledAt = (await caller.evaluate(
    `chrome.tabs.update(${tab.tabId}, { active: true }).then(() => { const at = Date.now(); chrome.action.openPopup({ windowId: ${tab.windowId} }).catch(() => undefined); return at; })`,
  )) as number;
  const targetId = await target;
  const session = await TargetSession.attach(cdp, targetId);
  // The same polling as openPopupOnce's: each poll is a task in the page in both methods.
  const deadline = Date.now() + 60_000;
  const pageText = async () => String(await session.evaluate('location.href + " " + document.body.innerText.slice(0, 200)'));
  const firstRows = await pollNumber(session, 'window.__firstRowsAt', deadline, async () => `the toolbar popup drew no request rows within 60 s: ${await pageText()}`);
  const cards = await pollNumber(session, 'window.__findingsAt', deadline, async () => `the toolbar popup drew no diagnosis within 60 s: ${await pageText()}`);
  const reading = JSON.parse(String(await session.evaluate('JSON.stringify({ origin: performance.timeOrigin, rows: document.querySelectorAll(\'[data-testid="request-row"]\').length, size: innerWidth + "×" + innerHeight })'))) as { origin: number; rows: number; size: string };
  session.detach();
  const gone = new Promise<void>((resolve) => {
    const destroyed = (event: { targetId: string }) => {
      if (event.targetId !== targetId) return;
      cdp.off('Target.targetDestroyed', destroyed);
      resolve();
    };
    cdp.on('Target.targetDestroyed', destroyed);
  });
  await cdp.send('Target.closeTarget', { targetId });
  await gone;
  return { ms: firstRows, cardsMs: cards, fromCallMs: reading.origin + firstRows - calledAt, rows: reading.rows, size: reading.size };
}

/** Warm opens of the toolbar's popup beside the bench's tab opens (measureToolbarPopup), ms, medians. */
export interface ToolbarPopupResult {
  /** The tab opens (popup.html?tabId=N in an 800×600 tab): first rows, and cards. */
  tabMs: number;
  tabCardsMs: number;
  /** The toolbar's popup, from its navigation start: first rows, and cards. */
  actionMs: number;
  actionCardsMs: number;
  /** The toolbar's popup's first rows, from the worker's openPopup() call. */
  actionFromCallMs: number;
  /** The popup's window size (innerWidth × innerHeight) at its first rows, each size seen. */
  sizes: string[];
  runs: number;
  /** Cold opens (worker stopped; the call from an extension page in another window): first rows and cards, from navigation start. */
  coldActionMs: number | null;
  coldActionCardsMs: number | null;
  coldRuns: number;
}

/**
 * Warm opens of the real toolbar popup (chrome.action.openPopup() from the worker; the popup asks
 * tabs.query for the active tab as after a click), alternated with the bench's opens of
 * popup.html?tabId=N in a tab, in one browser. Playwright does not expose the action popup as a page
 * and no init script reaches it, so it is reached over the browser's DevTools protocol and
 * FIRST_ROWS_SCRIPT is put at the top of a copy of the page's script (the tab opens of that copy run it
 * the same way). `page`: the page the toolbar opens (the popup, or the empty page of floorBuildOf).
 */
export async function measureToolbarPopup(dir: string, count: number, runs: number, log: (line: string) => void, page = POPUP_PAGE, coldRuns = 0): Promise<ToolbarPopupResult> {
  const copy = await mkdtemp(path.join(tmpdir(), 'cors-lens-action-'));
  await cp(dir, copy, { recursive: true });
  // The page's one script (the popup's bundle, or the empty page's floor.js), timed from its first line.
  const html = await readFile(`${copy}/${page}`, 'utf8');
  const scriptPath = /<script[^>]*\ssrc="\/?([^"]+)"/.exec(html)?.[1];
  if (scriptPath === undefined) throw new Error(`no script in ${page}`);
  const script = path.join(copy, page.includes('/') && !html.includes('src="/') ? path.dirname(page) : '', scriptPath);
  await writeFile(script, `${FIRST_ROWS_SCRIPT}\n${await readFile(script, 'utf8')}`);
  // The toolbar opens the page under test.
  const manifestPath = `${copy}/manifest.json`;
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { action: { default_popup: string } };
  manifest.action.default_popup = page;
  await writeFile(manifestPath, JSON.stringify(manifest));
  const port = await freePort();
  const browser = await launch(copy, { args: [`--remote-debugging-port=${port}`], desktop: true });
  const devtools = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const cdp = await devtools.newBrowserCDPSession();
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    const tab = await browser.context.newPage();
    await tab.goto('about:blank');
    await tab.bringToFront();
    // The first-run page is closed: the seeded tab is the only page, and the popup opens in its window.
    await closeFirstRunPage(browser, copy);
    const { tabId, windowId } = (await browser.worker!.evaluate('chrome.tabs.query({ active: true, lastFocusedWindow: true }).then(([tab]) => ({ tabId: tab.id, windowId: tab.windowId }))')) as { tabId: number; windowId: number };
    await seedPopupLog(browser.worker!, tabId, count, log);
    const url = popupUrlOf(browser.extensionId!, tabId, page);
    // Primed as the bench primes its tab opens (primed()): the worker restarted, so it restores the
    // seeded log, and one open of each first.
    const restarted = await stopServiceWorker(browser.context, tab);
    await (await openPopupOnce(browser.context, url)).page.close();
    await restarted.waitUntilRunning();
    // Playwright keeps the worker's handle across the restart (it reports no new worker).
    const worker = browser.context.serviceWorkers().at(-1)!;
    await openActionPopupOnce(worker, cdp, { tabId, windowId }, page);
    const figures = { action: [] as number[], actionCards: [] as number[], actionFromCall: [] as number[], tab: [] as number[], tabCards: [] as number[] };
    const sizes = new Set<string>();
    for (let run = 0; run < runs; run++) {
      const opened = await openPopupOnce(browser.context, url);
      await opened.page.close();
      figures.tab.push(opened.ms);
      figures.tabCards.push(opened.diagnosisMs);
      const action = await openActionPopupOnce(worker, cdp, { tabId, windowId }, page);
      figures.action.push(action.ms);
      figures.actionCards.push(action.cardsMs);
      figures.actionFromCall.push(action.fromCallMs);
      sizes.add(action.size);
      log(`  warm ${run + 1}/${runs}: tab first rows ${opened.ms.toFixed(0)} ms, cards ${opened.diagnosisMs.toFixed(0)}; toolbar popup (${action.size}) first rows ${action.ms.toFixed(0)} ms, cards ${action.cardsMs.toFixed(0)}, first rows ${action.fromCallMs.toFixed(0)} ms from openPopup()`);
    }
    // Cold: the worker stopped, so the call comes from an extension page in a window of its own (the
    // seeded window keeps its active tab); the popup's messages start the worker, as after a click.
    const cold = { action: [] as number[], actionCards: [] as number[] };
    if (coldRuns > 0) {
      const helperOpened = browser.context.waitForEvent('page', { predicate: (opened) => opened.url().includes('welcome.html') });
      await worker.evaluate("chrome.windows.create({ url: chrome.runtime.getURL('src/ui/welcome/welcome.html'), focused: false }).then(() => undefined)");
      const helper = await helperOpened;
      for (let run = 0; run < coldRuns; run++) {
        const stopped = await stopServiceWorker(browser.context, tab);
        const action = await openActionPopupOnce(helper, cdp, { tabId, windowId }, page);
        await stopped.waitUntilRunning();
        cold.action.push(action.ms);
        cold.actionCards.push(action.cardsMs);
        log(`  cold ${run + 1}/${coldRuns}: toolbar popup (${action.size}) first rows ${action.ms.toFixed(0)} ms, cards ${action.cardsMs.toFixed(0)}`);
      }
    }
    return {
      coldActionMs: cold.action.length > 0 ? median(cold.action) : null,
      coldActionCardsMs: cold.actionCards.length > 0 ? median(cold.actionCards) : null,
      coldRuns,
      tabMs: median(figures.tab),
      tabCardsMs: median(figures.tabCards),
      actionMs: median(figures.action),
      actionCardsMs: median(figures.actionCards),
      actionFromCallMs: median(figures.actionFromCall),
      sizes: [...sizes],
      runs,
    };
  } finally {
    await devtools.close().catch(() => undefined);
    await browser.close();
    await rm(copy, { recursive: true, force: true });
  }
}

export { median };
