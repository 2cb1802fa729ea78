/**
 * Measures the page's Resource Timing buffer in real Chromium and Firefox (docs/capture.md#firefox-evidence,
 * "Limits"): a page fetches LOADS distinct media URLs (ACAO '*', loopback), half of them with
 * credentials (CORS-blocked), and reports how many entries the page holds, whether
 * `resourcetimingbufferfull` fired, and which loads got no entry (the evidence a view could not read).
 * Run: npx tsx scripts/measure-timing-buffer.ts
 */
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { startMediaServer, startPageServer } from '../test/e2e/support/servers.ts';

const LOADS = 300;
const pageServer = await startPageServer();
const media = await startMediaServer({ withoutAllowOrigin: new Set() });

const PROBE = `(async () => {
  let fullEvents = 0;
  performance.addEventListener('resourcetimingbufferfull', () => { fullEvents++; });
  const before = performance.getEntriesByType('resource').length;
  const urls = [];
  for (let index = 0; index < ${LOADS}; index++) {
    const url = ${JSON.stringify(media.origin)} + '/buf' + index + '/segment0.ts';
    urls.push(url);
    // Odd loads are credentialed against ACAO '*': the browser blocks them (status 0 in the entry).
    await fetch(url, index % 2 ? { credentials: 'include' } : {}).then((r) => r.arrayBuffer(), () => null);
  }
  await new Promise((r) => setTimeout(r, 500));
  const entries = performance.getEntriesByType('resource');
  const byUrl = new Map(entries.map((e) => [e.name, e]));
  const missing = urls.map((url, index) => byUrl.has(url) ? -1 : index).filter((index) => index >= 0);
  return {
    before,
    entries: entries.length,
    fullEvents,
    firstMissing: missing[0] ?? null,
    missing: missing.length,
    blockedWithEntry: urls.filter((url, index) => index % 2 && byUrl.get(url)?.responseStatus === 0).length,
    passedWithEntry: urls.filter((url, index) => !(index % 2) && (byUrl.get(url)?.responseStatus ?? 0) > 0).length,
  };
})()`;

const crBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const crPage = await crBrowser.newPage();
await crPage.goto(`${pageServer.origin}/`);
console.log(`chromium ${crBrowser.version()}`, JSON.stringify(await crPage.evaluate(PROBE)));
await crBrowser.close();

const ffBrowser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
const ffPage = await ffBrowser.newPage();
await ffPage.goto(`${pageServer.origin}/`);
console.log(`firefox ${await ffBrowser.version()}`, JSON.stringify(await ffPage.evaluate(PROBE)));
await ffBrowser.close();
await media.close();
await pageServer.close();
