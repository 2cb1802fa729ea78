/**
 * The bench's popup step alone (`npm run bench` runs it among the others): cold and warm opens of the
 * popup on a tab holding 10 000 stored records, for one or more builds side by side in one session.
 *
 *   tsx scripts/bench/popup.ts [--runs N] [--rounds N] [--count N] [--profile DIR | --timeline | --cpu | --action] [--floor] [label=distDir ...]
 *
 * Builds are measured in alternating rounds (each round: every build once, `--runs` cold and warm
 * opens each), so a change of the machine's load touches them alike. Without a build named, dist/chrome.
 * `--profile DIR` instead opens the first build's popup once cold and once warm under a CDP trace
 * (DIR/cold.json, DIR/warm.json, loadable in DevTools' Performance panel) and prints where the time
 * went: the page's own timeline (navigation, storage reads, messages, first rows) and the longest
 * main-thread tasks with what ran in them. `--timeline` prints that timeline alone for `--runs` cold
 * and warm opens, untraced (the trace's profiler slows the page's start several times over). `--cpu`
 * measures every named build's opens under a trace without the profiler, alternating like the untraced
 * figures, and prints the medians of the main thread's CPU time up to the first rows (and of compiling
 * and evaluating modules): the figure to compare builds by on a loaded machine. `--action` measures
 * warm opens of the real toolbar popup against the tab opens (actionOpens).
 */
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type CDPSession, type Page, type Worker } from 'playwright-core';
import { stopServiceWorker } from '../../test/e2e/support/chromium.ts';
import { FIRST_ROWS_SCRIPT, FLOOR_PAGE, floorBuildOf, launch, measurePopup, openPopupOnce, POPUP_PAGE, popupUrlOf, seedPopupLog, type PopupResult } from './browser.ts';
import { median, round } from './stats.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

function log(line: string): void {
  console.log(`[popup ${new Date().toISOString().slice(11, 19)} load ${loadavg()[0]!.toFixed(2)}] ${line}`);
}

/** Wraps the page's storage and messaging calls to time them (profile runs only: the wrapping costs a little). */
const TIMELINE_SCRIPT = `(() => {
  const events = (window.__timeline = []);
  const note = (what) => events.push([Math.round(performance.now() * 10) / 10, what]);
  const wrap = (object, name, label) => {
    const original = object && object[name];
    if (typeof original !== 'function') return;
    object[name] = function (...args) {
      const what = label(args);
      note(what + ' sent');
      const result = original.apply(this, args);
      if (result && typeof result.then === 'function') result.then(() => note(what + ' answered'), () => note(what + ' failed'));
      return result;
    };
  };
  const keys = (args) => Array.isArray(args[0]) ? args[0].length + ' keys' : JSON.stringify(args[0]);
  if (globalThis.chrome && chrome.storage && chrome.storage.session) wrap(chrome.storage.session, 'get', (args) => 'storage.session.get ' + keys(args));
  if (globalThis.chrome && chrome.runtime) wrap(chrome.runtime, 'sendMessage', (args) => 'sendMessage ' + (args[0] && args[0].type) + (args[0] && args[0].since ? ' since' : ''));
  document.addEventListener('DOMContentLoaded', () => {
    note('DOMContentLoaded');
    // When the document itself came and was parsed: the wait before any script of the page could run.
    const [navigation] = performance.getEntriesByType('navigation');
    if (navigation) for (const mark of ['fetchStart', 'responseStart', 'responseEnd', 'domInteractive']) events.push([Math.round(navigation[mark] * 10) / 10, 'navigation ' + mark]);
  });
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (entry.name.includes('/assets/') || entry.entryType === 'paint') note(entry.entryType + ' ' + entry.name.split('/').pop() + ' ' + Math.round(entry.startTime) + '+' + Math.round(entry.duration)); }).observe({ entryTypes: ['resource', 'paint'] });
  const rows = setInterval(() => { if (typeof window.__firstRowsAt === 'number') { note('first rows frame'); clearInterval(rows); } }, 1);
  const cards = setInterval(() => { if (typeof window.__findingsAt === 'number') { note('diagnosis frame'); clearInterval(cards); } }, 1);
})();`;

/** TIMELINE_SCRIPT's events (JSON), in time order: the navigation's marks are noted after the steps they precede. */
function printTimeline(timeline: string): void {
  for (const [at, what] of (JSON.parse(timeline) as Array<[number, string]>).sort((a, b) => a[0] - b[0])) console.log(`  ${String(at).padStart(7)} ms  ${what}`);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, µs: unlike `dur`, not lengthened by waiting for a loaded machine's CPU. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber: number };
}

/**
 * The popup renderer's sampled CPU time by function (the trace's v8 cpu profile): self time and
 * time including callees, the largest first. Names are readable in an unminified build
 * (`vite build --minify false`).
 */
function summariseSamples(events: TraceEvent[], pid: number | undefined, tid: number | undefined, until = Infinity): string[] {
  // Node ids are per profile (one per thread); the popup's main thread has its own.
  const profileEvent = events.find((event) => event.pid === pid && event.tid === tid && event.name === 'Profile');
  const profileId = profileEvent?.id;
  // Sample times: the profile's start plus the deltas so far (trace clock, µs).
  let sampledAt = Number((profileEvent?.args?.data as { startTime?: number } | undefined)?.startTime ?? 0);
  const nodes = new Map<number, ProfileNode>();
  const samples: Array<{ node: number; delta: number; at: number }> = [];
  for (const event of events) {
    if (event.pid !== pid || event.name !== 'ProfileChunk' || event.id !== profileId) continue;
    const data = event.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
    for (const node of data?.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
    const ids = data?.cpuProfile?.samples ?? [];
    ids.forEach((node, index) => {
      sampledAt += data?.timeDeltas?.[index] ?? 0;
      samples.push({ node, delta: data?.timeDeltas?.[index] ?? 0, at: sampledAt });
    });
  }
  const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${(node.callFrame.url ?? '').split('/').pop()}:${node.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  // Each sample's time goes to the node that was running at the next sample (the deltas are between samples).
  samples.forEach((sample, index) => {
    const ms = (samples[index + 1]?.delta ?? 0) / 1000;
    let node = nodes.get(sample.node);
    if (!node || sample.at > until) return;
    if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') return;
    self.set(label(node), (self.get(label(node)) ?? 0) + ms);
    const seen = new Set<string>();
    while (node) {
      const name = label(node);
      if (!seen.has(name)) total.set(name, (total.get(name) ?? 0) + ms);
      seen.add(name);
      node = node.parent === undefined ? undefined : nodes.get(node.parent);
    }
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .filter(([name]) => !name.startsWith('(root)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => `    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  const when = until === Infinity ? '' : ' until the first rows frame';
  return [`sampled self time${when}:`, ...top(self, 20), `sampled time with callees${when}:`, ...top(total, 30)];
}

/** Trace categories without the sampling profiler, whose start alone slows the page's first tasks. */
const TIMING_CATEGORIES = ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading', 'v8'];

async function traced(page: Page, cdp: CDPSession, open: () => Promise<void>, categories: readonly string[] = [...TIMING_CATEGORIES, 'disabled-by-default-v8.cpu_profiler']): Promise<TraceEvent[]> {
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: [...categories] } });
  await open();
  const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream!, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream! });
  void page;
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

/** The popup renderer's main thread in a trace: its events and the navigation start (trace clock, µs). */
function popupMainThread(events: TraceEvent[], page = POPUP_PAGE): { pid: number | undefined; main: TraceEvent[]; origin: number } {
  const threadNames = new Map<string, string>();
  for (const event of events) if (event.name === 'thread_name') threadNames.set(`${event.pid}:${event.tid}`, event.args?.name ?? '');
  const navigation = events.find((event) => event.name === 'navigationStart' && String((event.args?.data as { documentLoaderURL?: string } | undefined)?.documentLoaderURL ?? '').includes(page));
  const pid = navigation?.pid;
  const main = events.filter((event) => event.pid === pid && threadNames.get(`${event.pid}:${event.tid}`) === 'CrRendererMain' && event.ph === 'X');
  return { pid, main, origin: navigation?.ts ?? Math.min(...main.map((event) => event.ts)) };
}

/**
 * Up to the first rows frame: the wall time of the main thread's tasks, the CPU time they had (`tdur`,
 * which a loaded machine's waiting for the CPU does not lengthen), and the CPU time of compiling and
 * evaluating the page's modules within them.
 */
function cpuUntilFirstRows(events: TraceEvent[], firstRowsMs: number, page?: string): { wallMs: number; cpuMs: number; modulesCpuMs: number } {
  const { main, origin } = popupMainThread(events, page);
  const end = origin + firstRowsMs * 1000;
  const before = (event: TraceEvent) => event.ts >= origin && event.ts + (event.dur ?? 0) <= end;
  const tasks = main.filter((event) => event.name === 'RunTask' && before(event));
  const modules = main.filter((event) => /^v8\.(compileModule|evaluateModule|produceModuleCache)$/.test(event.name) && before(event));
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0) / 1000;
  return { wallMs: sum(tasks.map((event) => event.dur ?? 0)), cpuMs: sum(tasks.map((event) => event.tdur ?? 0)), modulesCpuMs: sum(modules.map((event) => event.tdur ?? 0)) };
}

/**
 * The longest main-thread tasks of the popup's renderer, from its navigation start, with the biggest
 * things run in each; the sampled profile over the whole trace and up to `firstRowsMs` after navigation
 * start (the page's own mark of the first rows frame).
 */
function summariseTrace(events: TraceEvent[], firstRowsMs: number): string[] {
  const { pid, main, origin } = popupMainThread(events);
  const tasks = main.filter((event) => event.name === 'RunTask' && (event.dur ?? 0) >= 2000 && event.ts >= origin);
  const lines: string[] = [];
  let busy = 0;
  for (const event of main) if (event.name === 'RunTask' && event.ts >= origin) busy += event.dur ?? 0;
  lines.push(`renderer main thread busy ${(busy / 1000).toFixed(1)} ms after navigation start (tasks ≥ 2 ms below)`);
  const untilRows = cpuUntilFirstRows(events, firstRowsMs);
  lines.push(`until the first rows frame: main thread tasks ${untilRows.wallMs.toFixed(1)} ms, of which CPU ${untilRows.cpuMs.toFixed(1)} ms (modules: CPU ${untilRows.modulesCpuMs.toFixed(1)} ms)`);
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    const inside = main.filter((event) => event !== task && event.ts >= task.ts && event.ts + (event.dur ?? 0) <= end && (event.dur ?? 0) >= 1000);
    const what = inside
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 6)
      .map((event) => {
        const data = event.args?.data ?? {};
        const detail = String(data.url ?? data.functionName ?? data.type ?? '').split('/').pop();
        return `${event.name}${detail ? `(${detail})` : ''} ${((event.dur ?? 0) / 1000).toFixed(1)}`;
      });
    lines.push(`  @${((task.ts - origin) / 1000).toFixed(1)} ms  ${((task.dur ?? 0) / 1000).toFixed(1)} ms: ${what.join(', ')}`);
  }
  return [...lines, ...summariseSamples(events, pid, main[0]?.tid), ...summariseSamples(events, pid, main[0]?.tid, origin + firstRowsMs * 1000)];
}

/**
 * A browser with the build, `count` records seeded on one tab and the popup opened once cold: the
 * worker restores the log seeded behind its back, and later opens find the browser's caches of the
 * extension's files alike. `scripts` are installed in every page before that open.
 */
async function primed(dir: string, count: number, scripts: readonly string[], page?: string): Promise<{ browser: Awaited<ReturnType<typeof launch>>; url: string; helper: Page }> {
  const tabId = 424242;
  const browser = await launch(dir);
  const { context } = browser;
  await seedPopupLog(browser.worker!, tabId, count, log);
  for (const script of scripts) await context.addInitScript(script);
  const url = popupUrlOf(browser.extensionId!, tabId, page);
  const helper = await context.newPage();
  const restarted = await stopServiceWorker(context, helper);
  await (await openPopupOnce(context, url)).page.close();
  await restarted.waitUntilRunning();
  return { browser, url, helper };
}

async function profile(dir: string, count: number, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const { browser, url, helper } = await primed(dir, count, [FIRST_ROWS_SCRIPT, TIMELINE_SCRIPT]);
  try {
    const { context } = browser;
    for (const kind of ['cold', 'warm'] as const) {
      const stopped = kind === 'cold' ? await stopServiceWorker(context, helper) : null;
      let opened: Awaited<ReturnType<typeof openPopupOnce>> | undefined;
      let cdp: CDPSession | undefined;
      const events = await traced(helper, await context.newCDPSession(helper), async () => {
        opened = await openPopupOnce(context, url, async (page) => {
          cdp = await context.newCDPSession(page);
        });
      });
      await stopped?.waitUntilRunning();
      void cdp;
      await writeFile(`${outDir}/${kind}.json`, JSON.stringify({ traceEvents: events }));
      const timeline = (await opened!.page.evaluate('JSON.stringify(window.__timeline)')) as string;
      await opened!.page.close();
      log(`${kind}: first rows ${opened!.ms.toFixed(0)} ms, diagnosis ${opened!.diagnosisMs.toFixed(0)} ms (${outDir}/${kind}.json)`);
      printTimeline(timeline);
      for (const line of summariseTrace(events, opened!.ms)) console.log(`  ${line}`);
    }
  } finally {
    await browser.close();
  }
}

/**
 * `--cpu`: every named build's cold and warm opens under a trace without the sampling profiler, in
 * alternating rounds like the untimed figures, and the medians of the main thread's CPU time up to the
 * first rows frame (all of it, and compiling and evaluating modules alone). CPU time is what a loaded
 * machine's waiting does not lengthen, so it compares builds where the wall-clock figures scatter.
 */
async function cpuFigures(builds: ReadonlyArray<[string, string]>, pages: ReadonlyMap<string, string>, count: number, runs: number, rounds: number): Promise<void> {
  const figures = new Map(builds.map(([label]) => [label, { cold: [] as number[], coldModules: [] as number[], warm: [] as number[], warmModules: [] as number[] }]));
  for (let round_ = 0; round_ < rounds; round_++) {
    for (const [label, dir] of round_ % 2 === 0 ? builds : [...builds].reverse()) {
      log(`round ${round_ + 1}/${rounds}: ${label} (${dir})`);
      const page = pages.get(label);
      const { browser, url, helper } = await primed(dir, count, [FIRST_ROWS_SCRIPT], page);
      try {
        const figure = figures.get(label)!;
        for (let run = 0; run < runs; run++) {
          for (const kind of ['cold', 'warm'] as const) {
            const stopped = kind === 'cold' ? await stopServiceWorker(browser.context, helper) : null;
            let opened: Awaited<ReturnType<typeof openPopupOnce>> | undefined;
            const events = await traced(helper, await browser.context.newCDPSession(helper), async () => {
              opened = await openPopupOnce(browser.context, url);
            }, TIMING_CATEGORIES);
            await stopped?.waitUntilRunning();
            await opened!.page.close();
            const { cpuMs, modulesCpuMs } = cpuUntilFirstRows(events, opened!.ms, page);
            figure[kind].push(cpuMs);
            figure[kind === 'cold' ? 'coldModules' : 'warmModules'].push(modulesCpuMs);
            log(`  ${kind} ${run + 1}/${runs}: first rows ${opened!.ms.toFixed(0)} ms, main-thread CPU until then ${cpuMs.toFixed(1)} ms (modules ${modulesCpuMs.toFixed(1)} ms)`);
          }
        }
      } finally {
        await browser.close();
      }
    }
  }
  const summary = Object.fromEntries(
    [...figures].map(([label, figure]) => [label, { coldCpuMs: round(median(figure.cold), 1), coldModulesCpuMs: round(median(figure.coldModules), 1), warmCpuMs: round(median(figure.warm), 1), warmModulesCpuMs: round(median(figure.warmModules), 1), runs: figure.cold.length }]),
  );
  for (const [label, figure] of Object.entries(summary)) log(`${label}: CPU until first rows cold ${figure.coldCpuMs} ms (modules ${figure.coldModulesCpuMs}), warm ${figure.warmCpuMs} ms (modules ${figure.warmModulesCpuMs}) (medians of ${figure.runs} runs each)`);
  console.log(JSON.stringify(summary));
}

/**
 * Cold and warm opens of the first build's popup with the page's timeline only (TIMELINE_SCRIPT, no CDP
 * trace, whose profiler start alone costs the page hundreds of milliseconds): when the storage reads
 * and messages went out and came back, and when each frame was painted.
 */
async function timelines(dir: string, count: number, runs: number, page?: string): Promise<void> {
  const { browser, url, helper } = await primed(dir, count, [FIRST_ROWS_SCRIPT, TIMELINE_SCRIPT], page);
  try {
    for (let run = 0; run < runs; run++) {
      for (const kind of ['cold', 'warm'] as const) {
        const stopped = kind === 'cold' ? await stopServiceWorker(browser.context, helper) : null;
        const opened = await openPopupOnce(browser.context, url);
        await stopped?.waitUntilRunning();
        const timeline = (await opened.page.evaluate('JSON.stringify(window.__timeline)')) as string;
        await opened.page.close();
        log(`${kind} ${run + 1}/${runs}: first rows ${opened.ms.toFixed(0)} ms, diagnosis ${opened.diagnosisMs.toFixed(0)} ms`);
        printTimeline(timeline);
      }
    }
  } finally {
    await browser.close();
  }
}

/** A warm open of the first build's popup, as a PNG once its diagnosis is drawn (to look at what the numbers measure). */
async function shoot(dir: string, count: number, file: string): Promise<void> {
  const { browser, url } = await primed(dir, count, [FIRST_ROWS_SCRIPT]);
  try {
    const opened = await openPopupOnce(browser.context, url);
    await opened.page.screenshot({ path: file });
    log(`first rows ${opened.ms.toFixed(0)} ms, diagnosis ${opened.diagnosisMs.toFixed(0)} ms: ${file}`);
  } finally {
    await browser.close();
  }
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

  private constructor(cdp: CDPSession, sessionId: string) {
    this.#cdp = cdp;
    this.#sessionId = sessionId;
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== this.#sessionId) return;
      const message = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } }; error?: unknown };
      if (message.id === undefined) return;
      this.#answers.get(message.id)?.(message);
      this.#answers.delete(message.id);
    });
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
async function openActionPopupOnce(worker: Worker, cdp: CDPSession, windowId: number, page: string): Promise<{ ms: number; cardsMs: number; fromCallMs: number; rows: number; size: string }> {
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
  const calledAt = (await worker.evaluate(`(() => { const at = Date.now(); chrome.action.openPopup({ windowId: ${windowId} }).catch(() => undefined); return at; })()`)) as number;
  const targetId = await target;
  const session = await TargetSession.attach(cdp, targetId);
  const deadline = Date.now() + 60_000;
  let reading: { origin: number; firstRows: number; cards: number; rows: number; size: string } | null = null;
  while (reading === null) {
    const value = await session.evaluate(
      'typeof window.__firstRowsAt === "number" && typeof window.__findingsAt === "number" ? JSON.stringify({ origin: performance.timeOrigin, firstRows: window.__firstRowsAt, cards: window.__findingsAt, rows: document.querySelectorAll(\'[data-testid="request-row"]\').length, size: innerWidth + "×" + innerHeight }) : null',
    );
    if (typeof value === 'string') reading = JSON.parse(value) as { origin: number; firstRows: number; cards: number; rows: number; size: string };
    else if (Date.now() > deadline) throw new Error(`the action popup drew no request rows within 60 s: ${String(await session.evaluate('location.href + " " + document.body.innerText.slice(0, 200)'))}`);
    // The same 20 ms polling as openPopupOnce's: each poll is a task in the page in both methods.
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
  return { ms: reading.firstRows, cardsMs: reading.cards, fromCallMs: reading.origin + reading.firstRows - calledAt, rows: reading.rows, size: reading.size };
}

/**
 * `--action`: warm opens of the real toolbar popup, which asks tabs.query for the active tab as a click
 * does, alternated with the bench's opens of popup.html?tabId=N in a tab, in one browser. Playwright
 * does not expose the action popup as a page and no init script reaches it, so FIRST_ROWS_SCRIPT is put
 * at the top of a copy of the build's popup script (the tab opens of that copy run it the same way).
 */
async function actionOpens(label: string, dir: string, count: number, runs: number, page = POPUP_PAGE): Promise<void> {
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
  const browser = await launch(copy, [`--remote-debugging-port=${port}`]);
  const devtools = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const cdp = await devtools.newBrowserCDPSession();
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    const tab = await browser.context.newPage();
    await tab.goto('about:blank');
    await tab.bringToFront();
    // The first-run page opens in a window of its own: the popup must open in the seeded tab's window.
    for (const page of browser.context.pages()) if (page.url().startsWith(`chrome-extension://${browser.extensionId}/`)) await page.close();
    const { tabId, windowId } = (await browser.worker!.evaluate('chrome.tabs.query({ active: true, lastFocusedWindow: true }).then(([tab]) => ({ tabId: tab.id, windowId: tab.windowId }))')) as { tabId: number; windowId: number };
    await seedPopupLog(browser.worker!, tabId, count, log);
    const url = popupUrlOf(browser.extensionId!, tabId, page);
    // Primed as the bench primes its tab opens (primed()): the worker restarted, so it restores the
    // seeded log, and one open of each first.
    const restarted = await stopServiceWorker(browser.context, tab);
    await (await openPopupOnce(browser.context, url)).page.close();
    await restarted.waitUntilRunning();
    const worker = browser.context.serviceWorkers().at(-1)!;
    await tab.bringToFront();
    await openActionPopupOnce(worker, cdp, windowId, page);
    const figures = { action: [] as number[], actionCards: [] as number[], actionFromCall: [] as number[], tab: [] as number[], tabCards: [] as number[] };
    for (let run = 0; run < runs; run++) {
      const opened = await openPopupOnce(browser.context, url);
      await opened.page.close();
      figures.tab.push(opened.ms);
      figures.tabCards.push(opened.diagnosisMs);
      // The popup shows the active tab's log: the seeded tab, not the one the tab open used.
      await tab.bringToFront();
      const action = await openActionPopupOnce(worker, cdp, windowId, page);
      figures.action.push(action.ms);
      figures.actionCards.push(action.cardsMs);
      figures.actionFromCall.push(action.fromCallMs);
      log(`warm ${run + 1}/${runs}: tab first rows ${opened.ms.toFixed(0)} ms, cards ${opened.diagnosisMs.toFixed(0)}; toolbar popup (${action.size}) first rows ${action.ms.toFixed(0)} ms, cards ${action.cardsMs.toFixed(0)}, first rows ${action.fromCallMs.toFixed(0)} ms from openPopup()`);
    }
    const summary = {
      tabMs: round(median(figures.tab), 1),
      tabCardsMs: round(median(figures.tabCards), 1),
      actionMs: round(median(figures.action), 1),
      actionCardsMs: round(median(figures.actionCards), 1),
      actionFromCallMs: round(median(figures.actionFromCall), 1),
      runs,
    };
    log(`${label}: warm, medians of ${runs}, from navigation start: tab first rows ${summary.tabMs} ms, cards ${summary.tabCardsMs}; toolbar popup first rows ${summary.actionMs} ms, cards ${summary.actionCardsMs}; first rows ${summary.actionFromCallMs} ms from openPopup()`);
    console.log(JSON.stringify({ [label]: summary }));
  } finally {
    await devtools.close().catch(() => undefined);
    await browser.close();
    await rm(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = Number(option('--runs') ?? 5);
  const count = Number(option('--count') ?? 10_000);
  const builds = process.argv.slice(2).filter((arg) => /^[\w-]+=/.test(arg)).map((arg) => arg.split('=', 2) as [string, string]);
  if (builds.length === 0) builds.push(['dist', `${root}dist/chrome`]);
  // `--floor`: an empty page of the first build, measured alongside (floorBuildOf).
  const pages = new Map<string, string>();
  if (process.argv.includes('--floor')) {
    const floorDir = await floorBuildOf(builds[0]![1]);
    process.once('exit', () => rmSync(floorDir, { recursive: true, force: true }));
    builds.push(['floor', floorDir]);
    pages.set('floor', FLOOR_PAGE);
  }
  if (process.argv.includes('--action')) {
    // With --floor, the empty page as the toolbar's popup too, after the first build.
    for (const [label, dir] of [builds[0]!, ...builds.filter(([name]) => pages.has(name))]) await actionOpens(label, dir, count, runs, pages.get(label));
    return;
  }
  const profileDir = option('--profile');
  if (profileDir) return profile(builds[0]![1], count, profileDir);
  if (process.argv.includes('--cpu')) return cpuFigures(builds, pages, count, Number(option('--runs') ?? 3), Number(option('--rounds') ?? 2));
  if (process.argv.includes('--timeline')) {
    // With --floor, the empty page's timeline after the first build's: where the two part.
    for (const [label, dir] of [builds[0]!, ...builds.filter(([name]) => pages.has(name))]) {
      log(`timeline: ${label}`);
      await timelines(dir, count, Number(option('--runs') ?? 3), pages.get(label));
    }
    return;
  }
  const screenshot = option('--screenshot');
  if (screenshot) return shoot(builds[0]![1], count, screenshot);
  const rounds = Number(option('--rounds') ?? 2);
  const figures = new Map<string, { cold: number[]; diagnosis: number[]; warm: number[] }>(builds.map(([label]) => [label, { cold: [], diagnosis: [], warm: [] }]));
  for (let round_ = 0; round_ < rounds; round_++) {
    for (const [label, dir] of round_ % 2 === 0 ? builds : [...builds].reverse()) {
      log(`round ${round_ + 1}/${rounds}: ${label} (${dir})`);
      const result: PopupResult = await measurePopup(dir, count, runs, runs, log, pages.get(label));
      const figure = figures.get(label)!;
      // Every run, not the round's median: the medians below are over all rounds' runs.
      figure.cold.push(...result.coldRuns);
      figure.diagnosis.push(...result.coldDiagnosisRuns);
      figure.warm.push(...result.warmRuns);
    }
  }
  const summary = Object.fromEntries(
    [...figures].map(([label, figure]) => [label, { coldMs: round(median(figure.cold), 1), diagnosisMs: round(median(figure.diagnosis), 1), warmMs: round(median(figure.warm), 1), runs: figure.cold.length }]),
  );
  for (const [label, figure] of Object.entries(summary)) log(`${label}: cold first rows ${figure.coldMs} ms, diagnosis ${figure.diagnosisMs} ms, warm ${figure.warmMs} ms (medians of ${figure.runs} runs each)`);
  console.log(JSON.stringify(summary));
}

await main();
