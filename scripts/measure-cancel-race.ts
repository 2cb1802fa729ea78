/**
 * Measures, in real Firefox ESR with CORS Lens loaded, the one case scripts/measure-cancel-vs-block.ts
 * left open: a load webRequest saw complete (onCompleted) whose Resource Timing entry has
 * responseStatus 0. A CORS block leaves it, and so does a page cancel that races the response
 * (docs/capture.md#firefox-evidence). This script provokes that race often: the server sends the
 * headers HEAD_MS after the request, and the page aborts within a few ms of that moment. For every load
 * it records every webRequest event with all of Firefox's fields (timeStamp, requestSize, responseSize,
 * fromCache, urlClassification, ip…) through listeners added from an extension page of CORS Lens, the
 * page's whole entry (startTime, fetchStart, responseEnd, duration, with performance.timeOrigin), and
 * when the page saw the load end. Then, for the loads that end in onCompleted with status 0, it prints
 * each candidate signal per ground truth (what the page saw: error = blocked, abort = cancelled).
 * Run: npm run build:firefox && npx tsx scripts/measure-cancel-race.ts [trials per way, default 40]
 */
import { launchFirefoxWithExtension, openExtensionPage, pollUntil } from '../test/e2e/support/firefox.ts';
import { PAGE_LOAD_HELPERS, startMeasureServers } from './measure-servers.ts';

const TRIALS = Number(process.argv[2] ?? 40);
/** When the server sends its headers (ms after the request), and so when the page's cancel races them. */
const HEAD_MS = 30;

type Truth = 'blocked' | 'cancelled' | 'passed';
/** Ways a load ends; `run` is page JavaScript resolving to what the page saw ('load …', 'error', 'abort'). */
const WAYS: Record<string, { truth: Truth; query: string; run: string }> = {
  'blocked xhr': { truth: 'blocked', query: `head=${HEAD_MS}`, run: `xhr(url, { credentials: true })` },
  'blocked xhr, at once': { truth: 'blocked', query: 'head=0', run: `xhr(url, { credentials: true })` },
  'blocked fetch': { truth: 'blocked', query: `head=${HEAD_MS}`, run: `fetch(url, { credentials: 'include' }).then((r) => r.arrayBuffer()).then(() => 'load', () => 'error')` },
  'blocked xhr, 400 KB': { truth: 'blocked', query: `head=${HEAD_MS}&size=400000`, run: `xhr(url, { credentials: true })` },
  'passed xhr': { truth: 'passed', query: `head=${HEAD_MS}`, run: `xhr(url, {})` },
  // Cancels timed around the headers' arrival, where the page may cancel after the network side finished.
  'cancel xhr as the response arrives': { truth: 'cancelled', query: `head=${HEAD_MS}`, run: `xhr(url, { abortAfterMs: ${HEAD_MS} - 2 + Math.random() * 8 })` },
  'cancel credentialed xhr as the response arrives': { truth: 'cancelled', query: `head=${HEAD_MS}`, run: `xhr(url, { credentials: true, abortAfterMs: ${HEAD_MS} - 2 + Math.random() * 8 })` },
  'cancel fetch as the response arrives': {
    truth: 'cancelled',
    query: `head=${HEAD_MS}`,
    run: `(async () => { const c = new AbortController(); setTimeout(() => c.abort(), ${HEAD_MS} - 2 + Math.random() * 8); return fetch(url, { signal: c.signal }).then((r) => r.arrayBuffer()).then(() => 'load', (e) => e.name === 'AbortError' ? 'abort' : 'error'); })()`,
  },
  // The page's main thread busy while the whole response arrives, then a cancel in the same task: the
  // network side has completed the load (onCompleted) and the page's side never saw its headers. This
  // is the race at will (a player parsing or transmuxing while it switches quality or seeks).
  'cancel xhr after a busy main thread': { truth: 'cancelled', query: `head=${HEAD_MS}`, run: `xhr(url, { busyThenAbortMs: ${HEAD_MS} + 20 })` },
  'cancel credentialed xhr after a busy main thread': { truth: 'cancelled', query: `head=${HEAD_MS}`, run: `xhr(url, { credentials: true, busyThenAbortMs: ${HEAD_MS} + 20 })` },
  'cancel fetch after a busy main thread': {
    truth: 'cancelled',
    query: `head=${HEAD_MS}`,
    run: `(async () => { const c = new AbortController(); const loading = fetch(url, { signal: c.signal }).then((r) => r.arrayBuffer()).then(() => 'load', (e) => e.name === 'AbortError' ? 'abort' : 'error'); busy(${HEAD_MS} + 20); c.abort(); return loading; })()`,
  },
  'blocked xhr after a busy main thread': { truth: 'blocked', query: `head=${HEAD_MS}`, run: `xhr(url, { credentials: true, busyMs: ${HEAD_MS} + 20 })` },
  'cancel xhr at once (0-8 ms)': { truth: 'cancelled', query: 'head=0', run: `xhr(url, { abortAfterMs: Math.random() * 8 })` },
};

/** Runs one way in the page and says when it was sent and when the page saw its end (epoch ms). */
const RUN_HELPER = `
  window.run = async (url, code) => {
    const sent = performance.timeOrigin + performance.now();
    const saw = await Promise.race([code(url), wait(5000).then(() => 'timeout')]);
    return { saw: String(saw), sent, sawAt: performance.timeOrigin + performance.now() };
  };
`;

/** The page's entry for `url`, every field, with absolute times (epoch ms). */
const ENTRY_OF = `(url) => {
  const e = performance.getEntriesByName(url)[0];
  if (!e) return null;
  return { ...e.toJSON(), absoluteStart: performance.timeOrigin + e.startTime, absoluteEnd: performance.timeOrigin + e.responseEnd };
}`;

/** Added in an extension page: every webRequest event for the media origin, with all its details. */
const LISTEN = (mediaOrigin: string) => `(() => {
  window.seen = [];
  // <all_urls> and a prefix test: Firefox's match patterns do not take a port.
  const prefix = ${JSON.stringify(`${mediaOrigin}/`)};
  for (const event of ['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onResponseStarted', 'onCompleted', 'onErrorOccurred']) {
    browser.webRequest[event].addListener((details) => { if (details.url.startsWith(prefix)) window.seen.push({ event, ...JSON.parse(JSON.stringify(details)) }); }, { urls: ['<all_urls>'] });
  }
  return true;
})()`;

interface WebRequestEvent {
  event: string;
  url: string;
  timeStamp: number;
  [field: string]: unknown;
}
interface Trial {
  way: string;
  url: string;
  saw: string;
  sent: number;
  sawAt: number;
  entry: Record<string, number | string> | null;
  /** The same entry's responseStatus read from the extension's isolated world (-2: no entry there). */
  isolatedStatus: number;
  events: WebRequestEvent[];
}

const servers = await startMeasureServers();
const firefox = await launchFirefoxWithExtension(undefined, { extraPrefs: { 'dom.timeout.enable_budget_timer_throttling': false, 'dom.min_background_timeout_value': 0 } });
const listener = await firefox.browser.newPage();
await openExtensionPage(listener, `${firefox.extensionBase}/src/ui/welcome/welcome.html`);
await listener.evaluate(LISTEN(servers.media));
const page = await firefox.browser.newPage();
await page.goto(`${servers.page}/race.html`);
await page.evaluate(PAGE_LOAD_HELPERS + RUN_HELPER);
await page.evaluate('performance.setResourceTimingBufferSize(100000)');
const trials: Trial[] = [];
for (let trial = 0; trial < TRIALS; trial++) {
  await page.bringToFront();
  for (const [way, { query, run }] of Object.entries(WAYS)) {
    const url = `${servers.media}/${way.replace(/\W+/g, '-')}/${trial}/seg.ts?${query}`;
    const result = (await page.evaluate(`run(${JSON.stringify(url)}, (url) => ${run})`)) as { saw: string; sent: number; sawAt: number };
    trials.push({ way, url, ...result, entry: null, isolatedStatus: -2, events: [] });
  }
}
await pollUntil(
  async () => (await page.evaluate(`${JSON.stringify(trials.map((trial) => trial.url))}.filter((url) => performance.getEntriesByName(url).length === 0).length`)) as number,
  (missing) => missing === 0,
  3_000,
).catch(() => undefined);
for (const trial of trials) trial.entry = (await page.evaluate(`(${ENTRY_OF})(${JSON.stringify(trial.url)})`)) as Trial['entry'];
// The same entries read through the extension's isolated world (scripting.executeScript), as CORS Lens could.
const isolated = (await listener.evaluate(`(async () => {
  const [tab] = (await browser.tabs.query({})).filter((candidate) => candidate.url === ${JSON.stringify(`${servers.page}/race.html`)});
  const [injection] = await browser.scripting.executeScript({ target: { tabId: tab.id }, world: 'ISOLATED', args: [${JSON.stringify(trials.map((trial) => trial.url))}], func: (urls) => urls.map((url) => { const e = performance.getEntriesByName(url)[0]; return e ? e.responseStatus : -2; }) });
  return injection.result;
})()`)) as number[];
trials.forEach((trial, index) => (trial.isolatedStatus = isolated[index] ?? -2));
const seen = (await listener.evaluate('window.seen')) as WebRequestEvent[];
const eventsByUrl = new Map<string, WebRequestEvent[]>();
for (const event of seen) eventsByUrl.set(event.url, [...(eventsByUrl.get(event.url) ?? []), event]);
for (const trial of trials) trial.events = eventsByUrl.get(trial.url) ?? [];

const eventOf = (trial: Trial, name: string) => trial.events.find((event) => event.event === name);
const ending = (trial: Trial) => {
  const error = eventOf(trial, 'onErrorOccurred');
  if (error) return `ERR ${String(error.error)}`;
  const completed = eventOf(trial, 'onCompleted');
  return completed ? `C ${String(completed.statusCode)}` : trial.events.length === 0 ? 'no record' : 'no ending';
};
const truthOf = (trial: Trial): string => (trial.saw === 'error' ? 'blocked' : trial.saw === 'abort' ? 'cancelled' : trial.saw.startsWith('load') ? 'read' : trial.saw);
const round = (value: number) => Math.round(value * 10) / 10;
/** Signed ms, entry time minus a webRequest event's time. */
const minus = (trial: Trial, field: 'absoluteEnd' | 'absoluteStart', event: string): number | undefined => {
  const at = eventOf(trial, event)?.timeStamp;
  return trial.entry && at !== undefined ? round(Number(trial.entry[field]) - at) : undefined;
};

const SIGNALS: Record<string, (trial: Trial) => unknown> = {
  'responseStatus, isolated world': (trial) => String(trial.isolatedStatus),
  'RT end - onCompleted (ms)': (trial) => minus(trial, 'absoluteEnd', 'onCompleted'),
  'RT end - onResponseStarted (ms)': (trial) => minus(trial, 'absoluteEnd', 'onResponseStarted'),
  'RT end - onHeadersReceived (ms)': (trial) => minus(trial, 'absoluteEnd', 'onHeadersReceived'),
  'RT start - onBeforeRequest (ms)': (trial) => minus(trial, 'absoluteStart', 'onBeforeRequest'),
  'RT duration (ms)': (trial) => (trial.entry ? round(Number(trial.entry.duration)) : undefined),
  'page saw end - onCompleted (ms)': (trial) => {
    const at = eventOf(trial, 'onCompleted')?.timeStamp;
    return at === undefined ? undefined : round(trial.sawAt - at);
  },
  'page saw end - RT end (ms)': (trial) => (trial.entry ? round(trial.sawAt - Number(trial.entry.absoluteEnd)) : undefined),
  'onCompleted - onResponseStarted (ms)': (trial) => {
    const completed = eventOf(trial, 'onCompleted')?.timeStamp;
    const started = eventOf(trial, 'onResponseStarted')?.timeStamp;
    return completed === undefined || started === undefined ? undefined : round(completed - started);
  },
  responseSize: (trial) => eventOf(trial, 'onCompleted')?.responseSize,
  requestSize: (trial) => eventOf(trial, 'onCompleted')?.requestSize,
  fromCache: (trial) => eventOf(trial, 'onCompleted')?.fromCache,
  urlClassification: (trial) => JSON.stringify(eventOf(trial, 'onCompleted')?.urlClassification),
  thirdParty: (trial) => eventOf(trial, 'onCompleted')?.thirdParty,
  'events seen': (trial) => trial.events.map((event) => event.event.replace(/^on/, '')).join(' '),
  transferSize: (trial) => trial.entry?.transferSize,
  encodedBodySize: (trial) => trial.entry?.encodedBodySize,
  'RT responseStart': (trial) => trial.entry?.responseStart,
  'RT fetchStart - startTime (ms)': (trial) => (trial.entry ? round(Number(trial.entry.fetchStart) - Number(trial.entry.startTime)) : undefined),
};

/** Numbers: min / median / max; anything else: a value histogram. */
function summary(values: unknown[]): string {
  const defined = values.filter((value) => value !== undefined);
  if (defined.length > 0 && defined.every((value) => typeof value === 'number')) {
    const sorted = (defined as number[]).sort((a, b) => a - b);
    const missing = values.length - defined.length;
    return `min ${sorted[0]} / median ${sorted[sorted.length >> 1]} / max ${sorted[sorted.length - 1]} (n ${sorted.length}${missing > 0 ? `, ${missing} without` : ''})`;
  }
  const counts = new Map<string, number>();
  for (const value of values) counts.set(JSON.stringify(value) ?? 'undefined', (counts.get(JSON.stringify(value) ?? 'undefined') ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ×${count}`).join(', ');
}

console.log(`Firefox ${await firefox.browser.version()}, ${TRIALS} trials per way, ${trials.length} loads, ${seen.length} webRequest events`);
console.log('\n## per way: what the page saw, webRequest ending + responseStatus');
for (const way of Object.keys(WAYS)) {
  const ofWay = trials.filter((trial) => trial.way === way);
  console.log(`  ${way} (${WAYS[way]!.truth}): ${summary(ofWay.map((trial) => `${truthOf(trial)}: ${ending(trial)}, status ${trial.entry?.responseStatus ?? 'no entry'} (isolated ${trial.isolatedStatus})`))}`);
}
// The case that matters: onCompleted with an entry of status 0, by what the page saw.
const ambiguous = trials.filter((trial) => eventOf(trial, 'onCompleted') !== undefined && !eventOf(trial, 'onErrorOccurred') && trial.entry?.responseStatus === 0);
const readLoads = trials.filter((trial) => truthOf(trial) === 'read');
console.log(`\n## onCompleted + responseStatus 0: ${ambiguous.length} loads`);
for (const [label, group] of [
  ...[...new Set(ambiguous.map(truthOf))].map((truth) => [`page saw ${truth}`, ambiguous.filter((trial) => truthOf(trial) === truth)] as const),
  ['for comparison, loads the page read', readLoads] as const,
]) {
  console.log(`\n### ${label} (${group.length})`);
  for (const [signal, read] of Object.entries(SIGNALS)) console.log(`  ${signal}: ${summary(group.map(read))}`);
}
if (process.env.MEASURE_DUMP) {
  for (const trial of ambiguous.filter((candidate) => truthOf(candidate) === 'cancelled')) {
    console.log(JSON.stringify({ way: trial.way, saw: trial.saw, sent: trial.sent, sawAt: trial.sawAt, entry: trial.entry, events: trial.events.map((event) => ({ event: event.event, timeStamp: event.timeStamp, responseSize: event.responseSize, error: event.error })) }));
  }
}
await listener.close();
await page.close();
await firefox.close();
await servers.close();
