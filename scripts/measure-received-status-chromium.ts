/**
 * Measures, in real Chromium with CORS Lens loaded, what a page's Resource Timing entry shows in the
 * page's main world and in the extension's isolated world (chrome.scripting.executeScript), for loads
 * CORS blocked, loads the page read and loads the page cancelled before the response: whether
 * Chromium, like Firefox, shows the extension the status the browser received
 * (docs/capture.md#received-status).
 * Run: npm run build:chrome && npx tsx scripts/measure-received-status-chromium.ts [trials, default 20]
 */
import { launchChromiumWithExtension, tabIdOf } from '../test/e2e/support/chromium.ts';
import { PAGE_LOAD_HELPERS, startMeasureServers } from './measure-servers.ts';

const TRIALS = Number(process.argv[2] ?? 20);

const servers = await startMeasureServers();

const WAYS: Record<string, { query: string; run: string }> = {
  blocked: { query: 'head=0', run: `xhr(url, { credentials: true })` },
  read: { query: 'head=0', run: `xhr(url, {})` },
  'cancelled before the response': { query: 'head=200', run: `xhr(url, { abortAfterMs: 50 })` },
};
const chromium = await launchChromiumWithExtension();
const tab = await chromium.context.newPage();
const pageUrl = `${servers.page}/received.html`;
await tab.goto(pageUrl);
await tab.evaluate(PAGE_LOAD_HELPERS);
const loads: Array<{ way: string; url: string; saw: string }> = [];
for (let trial = 0; trial < TRIALS; trial++) {
  for (const [way, { query, run }] of Object.entries(WAYS)) {
    const url = `${servers.media}/${way.replace(/\W+/g, '-')}/${trial}/seg.ts?${query}`;
    loads.push({ way, url, saw: String(await tab.evaluate(`((url) => ${run})(${JSON.stringify(url)})`)) });
  }
}
await tab.waitForTimeout(500);
const tabId = await tabIdOf(chromium.serviceWorker, pageUrl);
const urls = loads.map((load) => load.url);
// A string, not a function: tsx's name helpers would be serialised into the injected function.
const read = async (world: 'MAIN' | 'ISOLATED') =>
  (await chromium.serviceWorker.evaluate(`(async () => {
    const [injection] = await chrome.scripting.executeScript({
      target: { tabId: ${tabId} },
      world: '${world}',
      args: [${JSON.stringify(urls)}],
      func: (wanted) => wanted.map((url) => performance.getEntriesByName(url)[0]?.responseStatus ?? -2),
    });
    return injection.result;
  })()`)) as number[];
const [main, isolated] = [await read('MAIN'), await read('ISOLATED')];
const histogram = new Map<string, number>();
loads.forEach((load, index) => {
  const key = `${load.way} (page saw ${load.saw}): page ${main[index]}, isolated ${isolated[index]}`;
  histogram.set(key, (histogram.get(key) ?? 0) + 1);
});
console.log(`Chromium ${chromium.context.browser()?.version() ?? ''}, ${TRIALS} trials per way`);
for (const [key, count] of histogram) console.log(`  ${key} ×${count}`);
await chromium.close();
await servers.close();
