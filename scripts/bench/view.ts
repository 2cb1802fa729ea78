/**
 * View-layer figures, run in a child process of their own (scripts/bench.ts): the popup's work per live
 * update measured in the page (real Chromium with the built extension, a tab holding 5 000 requests, 20
 * more arriving each second: main-thread time per update from CDP's Performance metrics, and the time
 * from each update's arrival in the page to the frame after it), packing 10 000 rows for a message
 * (`packRows`), and, as a secondary figure, the view-model functions alone timed in Node. Prints one
 * JSON object (ViewResult). `--dist <dir>` measures another build (a before/after comparison);
 * `--page-only` skips the Node figures.
 */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { loadavg } from 'node:os';
import { analyze } from '../../src/engine/analyze.ts';
import { packRows, rowFactsOf, type RowFacts } from '../../src/view/row-facts.ts';
import { applyViewUpdate, type LiveView, type ViewUpdate } from '../../src/view/updates.ts';
import { RequestList } from '../../src/view/list.ts';
import { emptyTotals } from '../../src/view/totals.ts';
import { chromeDist, launchChromiumWithExtension, openPopup, tabIdOf } from '../../test/e2e/support/chromium.ts';
import { startMediaServer, startPageServer } from '../../test/e2e/support/servers.ts';
import type { Summary } from './stats.ts';
import { summarise } from './stats.ts';
import { workloadRecords } from './workload.ts';

/** One live-updating popup measured in the page. */
export interface PageLiveResult {
  /** Rows the popup listed when the stream started, and requests a second arriving. */
  rowsListed: number;
  requestsPerSecond: number;
  /** Updates the page received (answers to get-tab-view with a version) in the measured window. */
  updates: number;
  rowsPerUpdate: number;
  /** Main-thread time of the popup's page per update (CDP Performance.getMetrics TaskDuration over the window ÷ updates), and its script, style and layout parts. */
  mainThreadMsPerUpdate: number;
  scriptMsPerUpdate: number;
  styleMsPerUpdate: number;
  layoutMsPerUpdate: number;
  /** Per update: from the answer's arrival in the page to the end of the frame after it (rAF, then a task). */
  latencyMs: Summary;
  /** Per update: from the answer's arrival to the end of the task it arrived in (the script work: merge, list update, render). */
  taskMs: Summary;
  loadDuring: number[];
}

export interface ViewResult {
  packRows10kMs: Summary;
  /** The budget figure: main-thread work per update in the popup's page (pageLive.mainThreadMsPerUpdate), as a one-run summary. */
  liveUpdateMs: Summary;
  liveUpdateRows: number;
  pageLive: PageLiveResult | null;
  pageLiveError: string | null;
  /**
   * Secondary: one live update of a view listing 5 000 rows, 8 new per update (20 a second, a flush every
   * 400 ms), timed in Node: the view-model work on the update it receives — unpack and merge
   * (applyViewUpdate), then RequestList.update (rows, counts, groups).
   */
  liveUpdateNodeMs: Summary;
}

const PACK_RUNS = 15;

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Rows as the background holds them: each with the fresh verdict object its analysis gave. */
function benchRows(count: number): RowFacts[] {
  const records = workloadRecords(count, 11);
  const report = analyze(records);
  return records.map((record, index) => rowFactsOf(record, report.verdicts[index]!.verdict, index));
}

const LISTED = 5_000;
const PER_UPDATE = 8;
const UPDATES = 60;

/** What TabView works out on each update (src/ui/components/TabView.tsx), on the merged rows. */
function viewWork(list: RequestList, view: LiveView): number {
  list.update(view.data.rows, view.data.summary?.findings ?? [], ARRANGEMENT);
  return list.counts().all + list.groups().length;
}
const ARRANGEMENT = { filter: 'all', sort: null, groupedAt: 0 } as const;

function liveUpdatesInNode(): Summary {
  const rows = benchRows(LISTED + PER_UPDATE * UPDATES);
  const base = { tabId: 1, logId: 'bench', pageUrl: null, pageOrigin: null, totals: emptyTotals(), evicted: 0, preserveLog: false, storageError: null, firstSeq: 0, summary: null };
  let view = applyViewUpdate(null, { ...base, revision: 1, full: true, rows: packRows(rows.slice(0, LISTED)) } satisfies ViewUpdate);
  const list = new RequestList();
  viewWork(list, view);
  const perUpdate: number[] = [];
  for (let update = 0; update < UPDATES; update++) {
    const arriving = rows.slice(LISTED + update * PER_UPDATE, LISTED + (update + 1) * PER_UPDATE);
    const message: ViewUpdate = { ...base, revision: update + 2, full: false, rows: packRows(arriving) };
    // The message as it arrives (structured clone of the background's answer), then the view's work.
    const received = structuredClone(message);
    const current = view;
    perUpdate.push(
      time(() => {
        view = applyViewUpdate(current, received);
        viewWork(list, view);
      }),
    );
  }
  return summarise(perUpdate.slice(10));
}

/**
 * Installed in the popup before its scripts run: each answer to a versioned get-tab-view (a live update)
 * is timed from its arrival to the end of its task and to the end of the frame after it. It wraps the
 * extension's own sendMessage (the native `browser` the polyfill hands through, else `chrome`).
 */
const UPDATE_TIMING_SCRIPT = `(() => {
  const api = globalThis.browser && globalThis.browser.runtime && globalThis.browser.runtime.id ? globalThis.browser : globalThis.chrome;
  if (!api || !api.runtime || !api.runtime.sendMessage) return;
  const send = api.runtime.sendMessage.bind(api.runtime);
  const updates = (window.__liveUpdates = []);
  const after = (then) => { const channel = new MessageChannel(); channel.port1.onmessage = () => then(performance.now()); channel.port2.postMessage(null); };
  api.runtime.sendMessage = (message, ...rest) => {
    const pending = send(message, ...rest);
    if (!message || message.type !== 'get-tab-view' || !message.since || !pending || !pending.then) return pending;
    return pending.then((answer) => {
      const entry = { arrived: performance.now(), rows: answer && answer.rows ? answer.rows.rows.length : 0, taskEnd: null, frameEnd: null };
      updates.push(entry);
      after((now) => { entry.taskEnd = now; });
      requestAnimationFrame(() => after((now) => { entry.frameEnd = now; }));
      return answer;
    });
  };
  window.__liveTimingInstalled = api.runtime.sendMessage !== send;
})();`;

interface TimedUpdate {
  arrived: number;
  rows: number;
  taskEnd: number | null;
  frameEnd: number | null;
}

/** Polls an expression in an extension page (its CSP forbids the eval waitForFunction needs). */
async function until(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await page.evaluate(expression)) !== true) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const STREAM_SECONDS = 20;
const REQUESTS_PER_SECOND = 20;

/** The popup of a tab holding LISTED requests while 20 more arrive each second: its main-thread work per update, measured in the page. */
async function liveUpdatesInPage(dist: string): Promise<PageLiveResult> {
  const pageServer = await startPageServer();
  // Every 8th segment lacks Access-Control-Allow-Origin: rejected rows, named by findings, arrive too.
  const mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  const browser = await launchChromiumWithExtension(dist);
  try {
    const { context } = browser;
    const page = await context.newPage();
    const pageUrl = `${pageServer.origin}/blank.html`;
    await page.goto(pageUrl);
    const urlOf = (n: number) => `${mediaServer.origin}/live/${n % 8 === 7 ? 'segment2' : `segment${n % 2}`}.ts?n=${n}`;
    // Source text, not functions: tsx would wrap a function in helpers the page does not have.
    await page.evaluate(`(async (urls) => {
      let next = 0;
      const worker = async () => {
        while (next < urls.length) await fetch(urls[next++]).then((response) => response.arrayBuffer()).catch(() => null); // CORS failures reject
      };
      await Promise.all(Array.from({ length: 12 }, worker));
    })(${JSON.stringify(Array.from({ length: LISTED }, (_, n) => urlOf(n)))})`);
    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    await context.addInitScript(UPDATE_TIMING_SCRIPT);
    const popup = await openPopup(context, browser.extensionId, tabId);
    const counted = (count: number) => `document.querySelector('[data-testid="count-media"]')?.textContent === ${JSON.stringify(`${count} media requests`)}`;
    await until(popup, counted(LISTED), 300_000);
    await until(popup, `document.querySelector('[data-testid="findings"]') !== null`, 120_000);
    if ((await popup.evaluate('window.__liveTimingInstalled === true')) !== true) throw new Error('could not time the popup\'s updates (sendMessage not wrapped)');
    const cdp = await context.newCDPSession(popup);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((metric) => [metric.name, metric.value]));
    // Let the first answers settle, then measure a window of streaming.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const startIndex = (await popup.evaluate('window.__liveUpdates.length')) as number;
    const before = await metrics();
    const load: number[] = [loadavg()[0]!];
    const total = STREAM_SECONDS * REQUESTS_PER_SECOND;
    // One request every 50 ms, each on its own (a player's pace, not a burst).
    await page.evaluate(`(async (urls, interval) => {
      await Promise.all(urls.map((url, index) => new Promise((resolve) => setTimeout(() => void fetch(url).then((response) => response.arrayBuffer()).catch(() => null).then(resolve), index * interval))));
    })(${JSON.stringify(Array.from({ length: total }, (_, n) => urlOf(LISTED + n)))}, ${1_000 / REQUESTS_PER_SECOND})`);
    // The last flush (400 ms) and its update.
    const expected = LISTED + total;
    await until(popup, counted(expected), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await metrics();
    load.push(loadavg()[0]!);
    const timed = (JSON.parse((await popup.evaluate('JSON.stringify(window.__liveUpdates)')) as string) as TimedUpdate[]).slice(startIndex);
    const updates = timed.filter((update) => update.rows > 0);
    if (updates.length === 0) throw new Error('the popup received no update while requests arrived');
    const perUpdate = (name: string) => ((after[name]! - before[name]!) * 1_000) / timed.length;
    return {
      rowsListed: LISTED,
      requestsPerSecond: REQUESTS_PER_SECOND,
      updates: timed.length,
      rowsPerUpdate: updates.reduce((sum, update) => sum + update.rows, 0) / updates.length,
      mainThreadMsPerUpdate: perUpdate('TaskDuration'),
      scriptMsPerUpdate: perUpdate('ScriptDuration'),
      styleMsPerUpdate: perUpdate('RecalcStyleDuration'),
      layoutMsPerUpdate: perUpdate('LayoutDuration'),
      latencyMs: summarise(timed.filter((update) => update.frameEnd !== null).map((update) => update.frameEnd! - update.arrived)),
      taskMs: summarise(timed.filter((update) => update.taskEnd !== null).map((update) => update.taskEnd! - update.arrived)),
      loadDuring: load,
    };
  } finally {
    await browser.close();
    await pageServer.close();
    await mediaServer.close();
  }
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const pageOnly = process.argv.includes('--page-only');
  let packRows10kMs = summarise([]);
  let liveUpdateNodeMs = summarise([]);
  if (!pageOnly) {
    const rows = benchRows(10_000);
    for (let run = 0; run < 3; run++) packRows(rows); // warm-up
    const packMs: number[] = [];
    for (let run = 0; run < PACK_RUNS; run++) packMs.push(time(() => packRows(rows)));
    packRows10kMs = summarise(packMs);
    liveUpdateNodeMs = liveUpdatesInNode();
  }
  let pageLive: PageLiveResult | null = null;
  let pageLiveError: string | null = null;
  try {
    pageLive = await liveUpdatesInPage(argument('--dist') ?? chromeDist);
  } catch (error) {
    pageLiveError = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
  const result: ViewResult = {
    packRows10kMs,
    liveUpdateMs: summarise(pageLive ? [pageLive.mainThreadMsPerUpdate] : []),
    liveUpdateRows: LISTED,
    pageLive,
    pageLiveError,
    liveUpdateNodeMs,
  };
  console.log(JSON.stringify(result));
}

await main();
