/**
 * Measures, in real Chromium and Firefox, what a page's Resource Timing shows for CORS loads that
 * pass and that the browser rejects (docs/capture.md#firefox-evidence): hls.js plays a stream whose
 * segment2 lacks ACAO, and the page fetches with credentials from an ACAO '*' URL and an ACAO echo URL
 * without ACAC. Prints one line per entry: the URL, responseStatus, transferSize, decodedBodySize.
 * Run: npx tsx scripts/measure-page-evidence.ts
 */
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { startMediaServer, startPageServer } from '../test/e2e/support/servers.ts';

const pageServer = await startPageServer();
const media = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });

async function probe(evaluate: (fn: string) => Promise<unknown>, label: string): Promise<void> {
  const result = await evaluate(`(async () => {
    const credentialed = await fetch(${JSON.stringify(media.origin + '/cred/segment0.ts')}, { credentials: 'include' }).then(() => 'ok', (e) => String(e));
    const anonymous = await fetch(${JSON.stringify(media.origin + '/anon/segment0.ts')}).then(() => 'ok', (e) => String(e));
    const blocked = await fetch(${JSON.stringify(media.origin + '/blk/segment2.ts')}).then(() => 'ok', (e) => String(e));
    await new Promise((r) => setTimeout(r, 300));
    return { credentialed, anonymous, blocked, entries: performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, '').replace(${JSON.stringify(media.origin)}, 'M'), e.initiatorType, e.responseStatus, e.transferSize, e.encodedBodySize, e.decodedBodySize, Math.round(e.duration), e.contentType]) };
  })()`);
  console.log(label, JSON.stringify(result, null, 1));
}

const src = encodeURIComponent(`${media.origin}/hlsjs/stream.m3u8`);
const pageUrl = `${pageServer.origin}/hls.html?src=${src}`;

const cr = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const crPage = await cr.newPage();
await crPage.goto(pageUrl);
await crPage.waitForFunction(() => (window as unknown as { __player: { done: boolean } }).__player.done, undefined, { timeout: 60_000 });
await probe((fn) => crPage.evaluate(fn), `chromium ${cr.version()}`);
await cr.close();

const ff = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
const ffPage = await ff.newPage();
await ffPage.goto(pageUrl);
await ffPage.waitForFunction(() => (window as unknown as { __player: { done: boolean } }).__player.done, { timeout: 60_000 });
await probe((fn) => ffPage.evaluate(fn), `firefox ${await ff.version()}`);
console.log('server requests', media.requests.map((r) => `${r.path} cookie=${r.headers.cookie ?? '-'}`).join('\n'));
await ff.close();
await media.close();
await pageServer.close();
