/**
 * The bench's popup step alone (`npm run bench` runs it among the others): cold and warm opens of the
 * popup on a tab holding 10 000 stored records, for one or more builds side by side in one session.
 *
 *   tsx scripts/bench/popup.ts [--runs N] [--rounds N] [--count N] [--profile DIR | --timeline | --cpu | --action [--cold N]] [--floor] [label=distDir ...]
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
 * warm opens of the real toolbar popup against the tab opens, and with `--cold N` N cold opens of it
 * (actionOpens).
 */
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import { stopServiceWorker } from '../../test/e2e/support/chromium.ts';
import { closeFirstRunPage, FIRST_ROWS_SCRIPT, FLOOR_PAGE, floorBuildOf, launch, measurePopup, measureToolbarPopup, openPopupOnce, POPUP_PAGE, popupUrlOf, seedPopupLog, type PopupResult } from './browser.ts';
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
  await closeFirstRunPage(browser, dir);
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

/** `--action`: the toolbar popup's warm opens beside the tab's (measureToolbarPopup), for one build. */
async function actionOpens(label: string, dir: string, count: number, runs: number, page = POPUP_PAGE): Promise<void> {
  const result = await measureToolbarPopup(dir, count, runs, log, page, Number(option('--cold') ?? 0));
  const { sizes } = result;
  const summary = {
    tabMs: round(result.tabMs, 1),
    tabCardsMs: round(result.tabCardsMs, 1),
    actionMs: round(result.actionMs, 1),
    actionCardsMs: round(result.actionCardsMs, 1),
    actionFromCallMs: round(result.actionFromCallMs, 1),
    sizes,
    runs: result.runs,
    coldActionMs: result.coldActionMs === null ? null : round(result.coldActionMs, 1),
    coldActionCardsMs: result.coldActionCardsMs === null ? null : round(result.coldActionCardsMs, 1),
    coldRuns: result.coldRuns,
  };
  log(`${label}: warm, medians of ${runs}, from navigation start: tab first rows ${summary.tabMs} ms, cards ${summary.tabCardsMs}; toolbar popup (${sizes.join(', ')}) first rows ${summary.actionMs} ms, cards ${summary.actionCardsMs}; first rows ${summary.actionFromCallMs} ms from openPopup()${summary.coldActionMs === null ? '' : `; cold (${summary.coldRuns}): first rows ${summary.coldActionMs} ms, cards ${summary.coldActionCardsMs}`}`);
  console.log(JSON.stringify({ [label]: summary }));
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
  // --action and --timeline: the first build, and with --floor the empty page after it (where the two part).
  const firstAndFloor = [builds[0]!, ...builds.filter(([name]) => pages.has(name))];
  if (process.argv.includes('--action')) {
    for (const [label, dir] of firstAndFloor) await actionOpens(label, dir, count, runs, pages.get(label));
    return;
  }
  const profileDir = option('--profile');
  if (profileDir) return profile(builds[0]![1], count, profileDir);
  if (process.argv.includes('--cpu')) return cpuFigures(builds, pages, count, Number(option('--runs') ?? 3), Number(option('--rounds') ?? 2));
  if (process.argv.includes('--timeline')) {
    for (const [label, dir] of firstAndFloor) {
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
