/**
 * View-layer figures, run in a child process of their own (scripts/bench.ts): the popup's work per live
 * update measured in the page (real Chromium with the built extension, a tab holding 5 000 requests, 20
 * more arriving each second for 30 s: main-thread time per update from CDP's Performance metrics, per 5-second window
 * of the stream, reported as the windows' min / median / max, and, in a second stream, the time
 * from each update's arrival in the page to the frame after it), packing 10 000 rows for a message
 * (`packRows`), and, as a secondary figure, the view-model functions alone timed in Node. Prints one
 * JSON object (ViewResult). `--dist <dir>` measures another build (a before/after comparison);
 * `--page-only` skips the Node figures; `--profile <file>` also traces the window (CDP Tracing, written
 * to the file, with the CPU profile and a screenshot of the popup next to it) and prints, per update, where the popup's
 * main thread spent it (self time by trace event and by function: script, style, layout, paint, GC),
 * which parts of the page changed (DOM mutations by data-testid) and the update's size.
 */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { loadavg } from 'node:os';
import { writeFile } from 'node:fs/promises';
import type { CDPSession } from 'playwright-core';
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
  /** Updates the page received (pushed on its port, or answers to get-tab-view with a version) in the measured window. */
  updates: number;
  rowsPerUpdate: number;
  /** Main-thread time of the popup's page per update (CDP Performance.getMetrics TaskDuration over the whole stream ÷ updates), and its script, style and layout parts. */
  mainThreadMsPerUpdate: number;
  /**
   * The same, per window of WINDOW_SECONDS of the stream (TaskDuration in the window ÷ updates that
   * arrived in it): the budget figure is their median, which one slow second moves less than the whole.
   */
  windowMsPerUpdate: number[];
  scriptMsPerUpdate: number;
  styleMsPerUpdate: number;
  layoutMsPerUpdate: number;
  /**
   * Per update: from the answer's arrival in the page to the end of the frame after it (rAF, then a
   * task). Timed in a second stream (LATENCY_SECONDS): the probe's own tasks would count in the
   * main-thread time above.
   */
  latencyMs: Summary;
  /** Per update of that second stream: from the answer's arrival to the end of the task it arrived in (the script work: merge, list update, render). */
  taskMs: Summary;
  loadDuring: number[];
}

export interface ViewResult {
  packRows10kMs: Summary;
  /** The budget figure: main-thread work per update in the popup's page, min / median / max over the stream's windows (pageLive.windowMsPerUpdate). */
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
 * Installed in the popup before its scripts run: each live update — an update the background pushes on
 * the view's port, or the answer to a versioned get-tab-view (a view not at the pushed update's version
 * asks) — is timed from its arrival to the end of its task and to the end of the frame after it. It
 * wraps the extension's own connect and sendMessage (the native \`browser\` the polyfill hands through,
 * else \`chrome\`).
 */
const UPDATE_TIMING_SCRIPT = `(() => {
  const api = globalThis.browser && globalThis.browser.runtime && globalThis.browser.runtime.id ? globalThis.browser : globalThis.chrome;
  if (!api || !api.runtime || !api.runtime.sendMessage || !api.runtime.connect) return;
  const send = api.runtime.sendMessage.bind(api.runtime);
  const connect = api.runtime.connect.bind(api.runtime);
  const updates = (window.__liveUpdates = []);
  const after = (then) => { const channel = new MessageChannel(); channel.port1.onmessage = () => then(performance.now()); channel.port2.postMessage(null); };
  // One update per revision: a pushed update the view did not take (it held another version), and the
  // answer it then asked for, are one update of its list, not two.
  // (Revisions grow within one log id; a restarted worker numbers its own.)
  let last = { logId: null, revision: -Infinity };
  const timed = (answer) => {
    if (!answer || (answer.logId === last.logId && answer.revision <= last.revision)) return;
    last = { logId: answer.logId, revision: answer.revision };
    const entry = { arrived: performance.now(), rows: answer && answer.rows ? answer.rows.rows.length : 0, summaryChars: window.__measureChars && answer && answer.summary ? JSON.stringify(answer.summary).length : 0, chars: window.__measureChars ? JSON.stringify(answer).length : 0, taskEnd: null, frameEnd: null };
    updates.push(entry);
    // The latency probe is the bench's own work (two tasks and a frame callback an update): off while
    // the main-thread time is measured, on in a stream of its own (liveUpdatesInPage).
    if (window.__timeLatency !== true) return;
    after((now) => { entry.taskEnd = now; });
    requestAnimationFrame(() => after((now) => { entry.frameEnd = now; }));
  };
  api.runtime.sendMessage = (message, ...rest) => {
    const pending = send(message, ...rest);
    if (!message || message.type !== 'get-tab-view' || !message.since || !pending || !pending.then) return pending;
    return pending.then((answer) => {
      timed(answer);
      return answer;
    });
  };
  api.runtime.connect = (...args) => {
    const port = connect(...args);
    const add = port.onMessage.addListener.bind(port.onMessage);
    port.onMessage.addListener = (listener) => add((message, ...rest) => {
      if (message && message.update) timed(message.update);
      return listener(message, ...rest);
    });
    return port;
  };
  window.__liveTimingInstalled = api.runtime.sendMessage !== send && api.runtime.connect !== connect;
})();`;

interface TimedUpdate {
  arrived: number;
  rows: number;
  /** Characters of the update's summary as JSON (0 when it carried none), and of the whole answer under --profile. */
  summaryChars: number;
  chars: number;
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

/** Counts the popup's DOM mutations by the nearest data-testid above them (what an update redraws). */
const MUTATION_COUNT_SCRIPT = `(() => {
  const counts = (window.__mutations = {});
  new MutationObserver((records) => {
    for (const record of records) {
      let node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      while (node && !node.dataset?.testid) node = node.parentElement;
      const key = (node ? node.dataset.testid : 'page') + ':' + record.type + (record.attributeName ? '.' + record.attributeName : '');
      counts[key] = (counts[key] || 0) + 1;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { frames?: Array<{ url?: string; processId?: number }> } };
}

/** Self time (ms) per trace event name on the popup renderer's main thread: children's time is not counted twice. */
function selfTimeByEvent(events: readonly TraceEvent[], popupUrlPart: string): Record<string, number> {
  const pids = new Set<number>();
  for (const event of events) for (const frame of event.args?.data?.frames ?? []) if (frame.url?.includes(popupUrlPart) && frame.processId) pids.add(frame.processId);
  const mainThreads = new Set(events.filter((event) => event.name === 'thread_name' && pids.has(event.pid) && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
  const complete = events.filter((event) => event.ph === 'X' && event.dur !== undefined && mainThreads.has(`${event.pid}:${event.tid}`)).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self: Record<string, number> = {};
  const open: Array<{ event: TraceEvent; end: number }> = [];
  for (const event of complete) {
    while (open.length > 0 && open.at(-1)!.end <= event.ts) open.pop();
    const parent = open.at(-1);
    if (parent) self[parent.event.name] = (self[parent.event.name] ?? 0) - event.dur! / 1_000;
    self[event.name] = (self[event.name] ?? 0) + event.dur! / 1_000;
    open.push({ event, end: event.ts + event.dur! });
  }
  return self;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) per function of a CPU profile, most first. */
function selfTimeByFunction(profile: CpuProfile): Array<[string, number]> {
  const nameOf = new Map(profile.nodes.map((node) => [node.id, `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const name = nameOf.get(id)!;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[index + 1] ?? 0) / 1_000);
  });
  return [...self].sort((a, b) => b[1] - a[1]);
}

/** Starts a trace of the window; the returned function stops it and writes it to `file`. */
async function startTrace(cdp: CDPSession, file: string): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (chunk) => {
    for (const event of chunk.value as unknown as TraceEvent[]) events.push(event);
  });
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    // No invalidationTracking: it records a JS stack with every DOM invalidation, which made each row's
    // removal cost ≈ 3 ms in the traced window (≈ 0.1 ms untraced), a cost the popup does not have.
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.gc', 'blink', 'toplevel', '__metadata'] },
  });
  return async () => {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    await writeFile(file, JSON.stringify({ traceEvents: events }));
    return events;
  };
}

const STREAM_SECONDS = 30;
/** The stream is measured in windows of this length (≈ 12 updates each), and the median window reported. */
const WINDOW_SECONDS = 5;
const REQUESTS_PER_SECOND = 20;
/** Seconds of the second stream, whose updates are timed from arrival to the frame after them (secondary figures). */
const LATENCY_SECONDS = 8;

/** The popup of a tab holding LISTED requests while 20 more arrive each second: its main-thread work per update, measured in the page. */
async function liveUpdatesInPage(dist: string, profile?: string): Promise<PageLiveResult> {
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
    if (profile) await context.addInitScript(`window.__measureChars = true; ${MUTATION_COUNT_SCRIPT}`);
    const popup = await openPopup(context, browser.extensionId, tabId);
    const counted = (count: number) => `document.querySelector('[data-testid="count-media"]')?.textContent === ${JSON.stringify(`${count} media requests`)}`;
    await until(popup, counted(LISTED), 300_000);
    await until(popup, `document.querySelector('[data-testid="findings"]') !== null`, 120_000);
    if ((await popup.evaluate('window.__liveTimingInstalled === true')) !== true) throw new Error('could not time the popup\'s updates (connect and sendMessage not wrapped)');
    const cdp = await context.newCDPSession(popup);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((metric) => [metric.name, metric.value]));
    // Let the first answers settle, then measure a window of streaming.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const startIndex = (await popup.evaluate('window.__liveUpdates.length')) as number;
    const stopTrace = profile ? await startTrace(cdp, profile) : null;
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    if (profile) await popup.evaluate('Object.keys(window.__mutations).forEach((key) => delete window.__mutations[key])');
    // The end of the window is awaited in the page, where the count changes, with one evaluate: polling
    // it (an evaluate every 50 ms) ran Playwright's script in the popup's main thread inside the window,
    // ≈ 1.6 ms of every update's figure by profile, none of it the popup's work.
    const counting = async (expected: number): Promise<() => Promise<void>> => {
      await popup.evaluate(`(() => {
        const count = document.querySelector('[data-testid="count-media"]');
        window.__streamDone = new Promise((resolve) => {
          const check = () => { if (count.textContent === ${JSON.stringify(`${expected} media requests`)}) { observer.disconnect(); resolve(true); } };
          const observer = new MutationObserver(check);
          observer.observe(count, { subtree: true, childList: true, characterData: true });
          check();
        });
      })()`);
      return async () => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the popup did not count ${expected} requests within 60 s`)), 60_000)));
        await Promise.race([popup.evaluate('window.__streamDone'), late]).finally(() => clearTimeout(timer));
        // The last flush (400 ms) and its update.
        await new Promise((resolve) => setTimeout(resolve, 500));
      };
    };
    // One request every 50 ms, each on its own (a player's pace, not a burst).
    const stream = (from: number, count: number) =>
      page.evaluate(`(async (urls, interval) => {
        await Promise.all(urls.map((url, index) => new Promise((resolve) => setTimeout(() => void fetch(url).then((response) => response.arrayBuffer()).catch(() => null).then(resolve), index * interval))));
      })(${JSON.stringify(Array.from({ length: count }, (_, n) => urlOf(from + n)))}, ${1_000 / REQUESTS_PER_SECOND})`);
    const total = STREAM_SECONDS * REQUESTS_PER_SECOND;
    const expected = LISTED + total;
    const streamDone = await counting(expected);
    // Window edges in the popup's clock (its performance.now()), from this process's clock: reading the
    // metrics (CDP) runs no script in the page, and the updates are put in windows afterwards.
    const pageClockOrigin = (await popup.evaluate('performance.timeOrigin')) as number;
    const edges: Array<{ at: number; taskSeconds: number }> = [];
    const takeEdge = async () => edges.push({ at: Date.now() - pageClockOrigin, taskSeconds: (await metrics())['TaskDuration']! });
    const before = await metrics();
    await takeEdge();
    const edgeTimer = setInterval(() => void takeEdge(), WINDOW_SECONDS * 1_000);
    const load: number[] = [loadavg()[0]!];
    await stream(LISTED, total).finally(() => clearInterval(edgeTimer));
    await streamDone();
    const after = await metrics();
    load.push(loadavg()[0]!);
    const timed = (JSON.parse((await popup.evaluate('JSON.stringify(window.__liveUpdates)')) as string) as TimedUpdate[]).slice(startIndex);
    if (stopTrace) {
      // What the user saw at the end of the stream, to look at.
      await popup.screenshot({ path: `${profile!.replace(/\.json$/, '')}.png` });
      const { profile: cpu } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await writeFile(`${profile!.replace(/\.json$/, '')}.cpuprofile`, JSON.stringify(cpu));
      console.error('script self time per update (ms), by function:');
      for (const [name, ms] of selfTimeByFunction(cpu).slice(0, 40)) console.error(`  ${(ms / timed.length).toFixed(3)}  ${name}`);
      const self = selfTimeByEvent(await stopTrace(), 'popup.html');
      const perUpdate = Object.entries(self).map(([name, ms]) => [name, ms / timed.length] as const).filter(([, ms]) => ms >= 0.01).sort((a, b) => b[1] - a[1]);
      const mutations = JSON.parse((await popup.evaluate('JSON.stringify(window.__mutations)')) as string) as Record<string, number>;
      console.error(`profile: ${timed.length} updates; main-thread self time per update (ms), by trace event:`);
      for (const [name, ms] of perUpdate) console.error(`  ${ms.toFixed(3)}  ${name}`);
      const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
      console.error(`update size: ${average(timed.map((update) => update.chars)).toFixed(0)} characters as JSON, of which the summary ${average(timed.map((update) => update.summaryChars)).toFixed(0)} (in ${timed.filter((update) => update.summaryChars > 0).length} of ${timed.length} updates)`);
      console.error('DOM mutations per update, by data-testid:');
      for (const [key, count] of Object.entries(mutations).sort((a, b) => b[1] - a[1])) console.error(`  ${(count / timed.length).toFixed(2)}  ${key}`);
    }
    // The latency, in a stream of its own with the probe on (it would add its own work to the figure above).
    const probedFrom = (await popup.evaluate('window.__liveUpdates.length')) as number;
    await popup.evaluate('window.__timeLatency = true');
    const latencyDone = await counting(expected + LATENCY_SECONDS * REQUESTS_PER_SECOND);
    await stream(expected, LATENCY_SECONDS * REQUESTS_PER_SECOND);
    await latencyDone();
    load.push(loadavg()[0]!);
    const probed = (JSON.parse((await popup.evaluate('JSON.stringify(window.__liveUpdates)')) as string) as TimedUpdate[]).slice(probedFrom);
    const updates = timed.filter((update) => update.rows > 0);
    if (updates.length === 0) throw new Error('the popup received no update while requests arrived');
    const perUpdate = (name: string) => ((after[name]! - before[name]!) * 1_000) / timed.length;
    // Whole windows only (the last edge is the last one taken while requests arrived).
    const windowMsPerUpdate: number[] = [];
    for (let window = 1; window < edges.length; window++) {
      const [start, end] = [edges[window - 1]!, edges[window]!];
      const arrived = timed.filter((update) => update.arrived >= start.at && update.arrived < end.at).length;
      if (arrived > 0) windowMsPerUpdate.push(((end.taskSeconds - start.taskSeconds) * 1_000) / arrived);
    }
    return {
      rowsListed: LISTED,
      requestsPerSecond: REQUESTS_PER_SECOND,
      updates: timed.length,
      rowsPerUpdate: updates.reduce((sum, update) => sum + update.rows, 0) / updates.length,
      mainThreadMsPerUpdate: perUpdate('TaskDuration'),
      windowMsPerUpdate,
      scriptMsPerUpdate: perUpdate('ScriptDuration'),
      styleMsPerUpdate: perUpdate('RecalcStyleDuration'),
      layoutMsPerUpdate: perUpdate('LayoutDuration'),
      latencyMs: summarise(probed.filter((update) => update.frameEnd !== null).map((update) => update.frameEnd! - update.arrived)),
      taskMs: summarise(probed.filter((update) => update.taskEnd !== null).map((update) => update.taskEnd! - update.arrived)),
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
    pageLive = await liveUpdatesInPage(argument('--dist') ?? chromeDist, argument('--profile'));
  } catch (error) {
    pageLiveError = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
  const result: ViewResult = {
    packRows10kMs,
    liveUpdateMs: summarise(pageLive ? pageLive.windowMsPerUpdate : []),
    liveUpdateRows: LISTED,
    pageLive,
    pageLiveError,
    liveUpdateNodeMs,
  };
  console.log(JSON.stringify(result));
}

await main();
