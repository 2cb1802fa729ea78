/**
 * Measures, in real Firefox ESR with CORS Lens loaded, whether anything the extension can read tells a
 * CORS-blocked load from a load the page cancelled (docs/capture.md#firefox-evidence, "A single network
 * error"). Both leave a Resource Timing entry with responseStatus 0; a cancel that happens after the
 * network finished also ends in webRequest's onCompleted, like a blocked load. For each trial the page
 * loads a fresh URL from an `ACAO: *` origin on loopback in one of these ways (ground truth by
 * construction), then the script reads every Resource Timing field of the page's entry and the
 * extension's record of the request (its webRequest ending), and prints, per way, how each candidate
 * signal came out:
 * - blocked: credentialed XHR / fetch (no cookie on the host), small and large bodies, served
 *   at once or slowly;
 * - cancelled by the page: before the headers, during the body, at the last progress event, after the
 *   body arrived but before the page read it (fetch), and at a random moment of a slow body.
 * Run: npm run build:firefox && npx tsx scripts/measure-cancel-vs-block.ts [trials per way, default 20]
 */
import { firefoxTabIdOf, launchFirefoxWithExtension, openPopupForTab, pollUntil } from '../test/e2e/support/firefox.ts';
import type { RequestRecord } from '../src/engine/model.ts';
import { PAGE_LOAD_HELPERS, startMeasureServers } from './measure-servers.ts';

const TRIALS = Number(process.argv[2] ?? 20);

/** The ways a load ends, each run in the page (plain JavaScript): resolves when the page saw its end. */
const WAYS: Record<string, { truth: 'blocked' | 'cancelled' | 'passed'; query: string; run: string }> = {
  'blocked xhr': { truth: 'blocked', query: 'size=40000', run: `xhr(url, { credentials: true })` },
  'blocked fetch': { truth: 'blocked', query: 'size=40000', run: `fetch(url, { credentials: 'include' }).then((r) => r.arrayBuffer()).catch(() => 'error')` },
  'blocked xhr, 2 MB slow body': { truth: 'blocked', query: 'size=2000000&slow=300', run: `xhr(url, { credentials: true })` },
  'blocked xhr, headers late': { truth: 'blocked', query: 'size=40000&head=200', run: `xhr(url, { credentials: true })` },
  'passed xhr': { truth: 'passed', query: 'size=40000', run: `xhr(url, {})` },
  'cancel before headers': { truth: 'cancelled', query: 'size=40000&head=400', run: `xhr(url, { abortAfterMs: 150 })` },
  'cancel during body': { truth: 'cancelled', query: 'size=400000&slow=400', run: `xhr(url, { abortOnProgress: (loaded, total) => loaded > 0 && loaded < total })` },
  'cancel at last progress': { truth: 'cancelled', query: 'size=40000', run: `xhr(url, { abortOnProgress: (loaded, total) => loaded === total })` },
  'cancel at readyState 3': { truth: 'cancelled', query: 'size=40000', run: `xhr(url, { abortOnState: 3 })` },
  'cancel fetch, body arrived unread': {
    truth: 'cancelled',
    query: 'size=40000',
    run: `(async () => { const c = new AbortController(); const r = await fetch(url, { signal: c.signal }); await wait(300); c.abort(); return r.arrayBuffer().catch(() => 'aborted'); })()`,
  },
  // The race behind last session's false red: the page cancels as the response arrives, after the
  // parent process finished the load (webRequest onCompleted) but before the page saw its headers.
  'cancel xhr near the response (0-8 ms)': { truth: 'cancelled', query: 'size=40000', run: `xhr(url, { abortAfterMs: Math.random() * 8 })` },
  'cancel fetch near the response (0-8 ms)': {
    truth: 'cancelled',
    query: 'size=40000',
    run: `(async () => { const c = new AbortController(); setTimeout(() => c.abort(), Math.random() * 8); return fetch(url, { signal: c.signal }).then((r) => r.arrayBuffer()).then(() => 'load', (e) => String(e.name)); })()`,
  },
  'cancel at a random moment': { truth: 'cancelled', query: 'size=400000&slow=200', run: `xhr(url, { abortAfterMs: Math.random() * 300 })` },
};

const ENTRY_FIELDS = `(url) => {
  const e = performance.getEntriesByName(url)[0];
  if (!e) return null;
  const j = e.toJSON();
  return { ...j, serverTiming: (e.serverTiming || []).length, absoluteStart: performance.timeOrigin + e.startTime, absoluteEnd: performance.timeOrigin + e.responseEnd };
}`;

interface Trial {
  way: string;
  url: string;
  pageSaw: string;
  entry: Record<string, number | string> | null;
  record?: RequestRecord;
}

const servers = await startMeasureServers();
// Timers on time: a throttled timer fires a planned cancel after the load ended (no cancel at all).
const firefox = await launchFirefoxWithExtension(undefined, { extraPrefs: { 'dom.timeout.enable_budget_timer_throttling': false, 'dom.min_background_timeout_value': 0 } });
const pageUrl = `${servers.page}/measure.html`;
const page = await firefox.browser.newPage();
await page.goto(pageUrl);
await page.evaluate(PAGE_LOAD_HELPERS);
// Raise the buffer so no trial loses its entry (docs/capture.md: 250 entries by default).
await page.evaluate('performance.setResourceTimingBufferSize(100000)');
const trials: Trial[] = [];
for (let trial = 0; trial < TRIALS; trial++) {
  await page.bringToFront();
  for (const [way, { query, run }] of Object.entries(WAYS)) {
    const url = `${servers.media}/${way.replace(/\W+/g, '-')}/${trial}/seg.ts?${query}`;
    const pageSaw = String(await page.evaluate(`Promise.race([(() => { const url = ${JSON.stringify(url)}; return ${run}; })(), wait(5000).then(() => 'timeout')])`));
    trials.push({ way, url, pageSaw, entry: null });
  }
}
// Entries are added when the load ends (or a little after): wait until every trial's is there or 3 s passed.
await pollUntil(
  async () => (await page.evaluate(`${JSON.stringify(trials.map((trial) => trial.url))}.filter((url) => performance.getEntriesByName(url).length === 0).length`)) as number,
  (missing) => missing === 0,
  3_000,
).catch(() => undefined);
for (const trial of trials) trial.entry = (await page.evaluate(`(${ENTRY_FIELDS})(${JSON.stringify(trial.url)})`)) as Trial['entry'];

const popup = await openPopupForTab(firefox, pageUrl);
const tabId = await firefoxTabIdOf(popup, pageUrl);
const log = (await pollUntil(
  () => popup.evaluate(`browser.runtime.sendMessage({ type: 'get-tab-log', tabId: ${tabId} })`) as Promise<{ records: RequestRecord[] }>,
  (value) => value.records.length >= trials.length,
  20_000,
).catch(() => popup.evaluate(`browser.runtime.sendMessage({ type: 'get-tab-log', tabId: ${tabId} })`))) as { records: RequestRecord[] };
const byUrl = new Map(log.records.map((record) => [record.url, record]));
for (const trial of trials) trial.record = byUrl.get(trial.url);

/** The webRequest ending as the extension recorded it. */
const ending = (record: RequestRecord | undefined) => (record === undefined ? 'no record' : record.error !== null ? `ERR ${record.error}` : `C ${record.status}`);
const round = (value: unknown) => (typeof value === 'number' ? Math.round(value) : value);

const SIGNALS: Record<string, (trial: Trial) => unknown> = {
  'page saw': (trial) => trial.pageSaw.replace(/\d+$/, ''),
  'webRequest ending': (trial) => ending(trial.record),
  'RT entry': (trial) => (trial.entry ? 'yes' : 'none'),
  responseStatus: (trial) => trial.entry?.responseStatus,
  'responseStart > 0': (trial) => (trial.entry ? Number(trial.entry.responseStart) > 0 : undefined),
  'responseEnd - responseStart (ms)': (trial) => (trial.entry ? (Number(trial.entry.responseStart) > 0 ? round(Number(trial.entry.responseEnd) - Number(trial.entry.responseStart)) : 'no responseStart') : undefined),
  transferSize: (trial) => trial.entry?.transferSize,
  encodedBodySize: (trial) => trial.entry?.encodedBodySize,
  decodedBodySize: (trial) => trial.entry?.decodedBodySize,
  nextHopProtocol: (trial) => trial.entry?.nextHopProtocol,
  contentType: (trial) => trial.entry?.contentType,
  'requestStart > 0': (trial) => (trial.entry ? Number(trial.entry.requestStart) > 0 : undefined),
  'RT start - webRequest start (ms)': (trial) => (trial.entry && trial.record ? round(Number(trial.entry.absoluteStart) - trial.record.timings.start) : undefined),
  'RT end - webRequest end (ms)': (trial) => (trial.entry && trial.record?.timings.end ? round(Number(trial.entry.absoluteEnd) - trial.record.timings.end) : undefined),
};

/** A value histogram per way, compacted: `value ×count`. */
function histogram(values: unknown[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(JSON.stringify(value) ?? 'undefined', (counts.get(JSON.stringify(value) ?? 'undefined') ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ×${count}`).join(', ');
}

console.log(`Firefox ${await firefox.browser.version()}, ${TRIALS} trials per way, ${trials.length} loads, ${log.records.length} records`);
for (const way of Object.keys(WAYS)) {
  const ofWay = trials.filter((trial) => trial.way === way);
  console.log(`\n## ${way} (truth: ${WAYS[way]!.truth})`);
  for (const [signal, read] of Object.entries(SIGNALS)) console.log(`  ${signal}: ${histogram(ofWay.map(read))}`);
}
// Ground truth is what the page saw (a planned cancel may come after the load ended): per ending the
// page saw, how the load ended in webRequest and its entry's status.
const sawOf = (trial: Trial) => (trial.pageSaw === 'error' ? 'error (blocked)' : /abort/i.test(trial.pageSaw) ? 'cancelled by the page' : trial.pageSaw.startsWith('load') ? 'read' : trial.pageSaw);
console.log('\n## by what the page saw: webRequest ending + responseStatus');
for (const saw of new Set(trials.map(sawOf))) {
  const ofSaw = trials.filter((trial) => sawOf(trial) === saw);
  console.log(`  ${saw} (${ofSaw.length}): ${histogram(ofSaw.map((trial) => `${ending(trial.record)}, status ${trial.entry?.responseStatus ?? 'no entry'}`))}`);
}
// The cases that matter: an entry with status 0 and a webRequest completion (what the row has today).
console.log('\n## loads that end in webRequest onCompleted with an entry of responseStatus 0');
for (const way of Object.keys(WAYS)) {
  const matching = trials.filter((trial) => trial.way === way && trial.record?.error === null && trial.entry?.responseStatus === 0);
  if (matching.length > 0) console.log(`  ${way}: ${matching.length}; ${Object.entries(SIGNALS).slice(4).map(([signal, read]) => `${signal}: ${histogram(matching.map(read))}`).join('; ')}`);
}
if (process.env.MEASURE_DUMP) console.log(JSON.stringify(trials.slice(0, Object.keys(WAYS).length), null, 1));
await popup.close();
await page.close();
await firefox.close();
await servers.close();
