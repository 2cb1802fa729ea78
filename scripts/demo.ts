/**
 * `npm run demo`: builds the extension, serves a stream whose segment2 lacks
 * Access-Control-Allow-Origin, plays it with hls.js in Chromium with CORS Lens loaded, opens the popup,
 * prints what it shows and saves a screenshot. With a display it opens a window and waits for Ctrl-C;
 * headless (or with --ci) it exits by itself. Every server and browser it starts is stopped on exit.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchChromiumWithExtension, openPopup, tabIdOf, waitForPlayerDone } from '../test/e2e/support/chromium.ts';
import { readPopup } from '../test/e2e/support/popup.ts';
import { startMediaServer, startPageServer } from '../test/e2e/support/servers.ts';

const ci = process.argv.includes('--ci') || process.env.CI === 'true';
const headed = !ci && Boolean(process.env.DISPLAY);
const outDir = path.resolve('demo-output');

const pageServer = await startPageServer();
const mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
const browser = await launchChromiumWithExtension(undefined, { headless: !headed });
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await browser.close().catch(() => undefined);
    await pageServer.close();
    await mediaServer.close();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/demo/stream.m3u8`)}`;
  console.log(`page  ${pageServer.origin} plays ${mediaServer.origin}/demo/stream.m3u8 with hls.js`);
  const player = await browser.context.newPage();
  await player.goto(pageUrl);
  await waitForPlayerDone(player);
  const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
  const popup = await openPopup(browser.context, browser.extensionId, tabId);
  const served = mediaServer.requests.filter((request) => /\.(m3u8|ts)$/.test(request.path)).length;
  await popup.waitForFunction((count) => document.querySelectorAll('[data-testid="request-row"]').length >= count, served, { timeout: 20_000 });
  const view = await readPopup(popup);
  await mkdir(outDir, { recursive: true });
  const screenshot = path.join(outDir, 'popup.png');
  await popup.screenshot({ path: screenshot });

  console.log(`\nCORS Lens popup — page origin ${view.pageOrigin} · ${view.media} · ${view.failing}\n`);
  for (const row of view.rows) {
    const [verdict, file, kind, status, allowOrigin, cache] = row.cells;
    console.log(`${(verdict ?? '').padEnd(9)} ${(file ?? '').padEnd(13)} ${(kind ?? '').padEnd(9)} ${(status ?? '').padEnd(4)} ACAO ${(allowOrigin ?? '').padEnd(5)} ${cache ?? ''}`);
    if (row.reason) console.log(`          ${row.reason}`);
  }
  console.log(`\nscreenshot: ${path.relative(process.cwd(), screenshot)}`);
  if (headed) {
    console.log('The browser stays open; press Ctrl-C to stop.');
    await new Promise(() => undefined);
  }
  await stop(0);
} catch (error) {
  console.error(error);
  await stop(1);
}
