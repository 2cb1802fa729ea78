/**
 * Measures, in real Chromium with CORS Lens loaded, what a page's Resource Timing entry shows in the
 * page's main world and in the extension's isolated world (chrome.scripting.executeScript), for loads
 * CORS blocked, loads the page read and loads the page cancelled before the response: whether
 * Chromium, like Firefox, shows the extension the status the browser received
 * (docs/capture.md#received-status).
 * Run: npm run build:chrome && npx tsx scripts/measure-received-status-chromium.ts [trials, default 20]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromiumWithExtension, tabIdOf } from '../test/e2e/support/chromium.ts';

const TRIALS = Number(process.argv[2] ?? 20);

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}
const page = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>received status</title>');
});
const media = createServer((req, res) => {
  const head = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('head') ?? 0);
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'video/mp2t', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    res.end(Buffer.alloc(40_000, 0x47));
  }, head);
});
const pageOrigin = await listen(page);
const mediaOrigin = (await listen(media)).replace('127.0.0.1', 'localhost');

const WAYS: Record<string, { query: string; run: string }> = {
  blocked: { query: 'head=0', run: `xhr(url, { credentials: true })` },
  read: { query: 'head=0', run: `xhr(url, {})` },
  'cancelled before the response': { query: 'head=200', run: `xhr(url, { abortAfterMs: 50 })` },
};
const HELPERS = `
  window.xhr = (url, options) => new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('GET', url);
    if (options.credentials) request.withCredentials = true;
    if (options.abortAfterMs !== undefined) setTimeout(() => request.abort(), options.abortAfterMs);
    request.onload = () => resolve('load');
    request.onerror = () => resolve('error');
    request.onabort = () => resolve('abort');
    request.send();
  });
`;

const chromium = await launchChromiumWithExtension();
const tab = await chromium.context.newPage();
const pageUrl = `${pageOrigin}/received.html`;
await tab.goto(pageUrl);
await tab.evaluate(HELPERS);
const loads: Array<{ way: string; url: string; saw: string }> = [];
for (let trial = 0; trial < TRIALS; trial++) {
  for (const [way, { query, run }] of Object.entries(WAYS)) {
    const url = `${mediaOrigin}/${way.replace(/\W+/g, '-')}/${trial}/seg.ts?${query}`;
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
page.close();
media.close();
