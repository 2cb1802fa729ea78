/**
 * The DevTools panel in real Chromium: it updates live while a stream plays (no reload), keeps
 * updating after the service worker is stopped (its port reconnects and wakes a new worker), and its
 * columns sort. The panel page is opened as a tab with ?tabId= (headless Chromium has no DevTools UI).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromiumWithExtension, stopServiceWorker, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from './support/chromium.ts';
import { readPopup } from './support/popup.ts';
import { artifactPath } from './support/artifacts.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import type { Page } from 'playwright-core';

let browser: ChromiumWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  browser = await launchChromiumWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

const hlsPage = (prefix: string) => `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/${prefix}/stream.m3u8`)}`;
const servedUnder = (prefix: string) => mediaServer.requests.filter((r) => r.path.startsWith(`/${prefix}/`)).length;

async function rowUrls(panel: Page): Promise<string[]> {
  return panel.locator('[data-testid="request-row"] td.file').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title') ?? ''));
}

describe('DevTools panel (Chromium)', () => {
  test('live updates, reconnect after a service-worker restart, sortable columns', async () => {
    const player = await browser.context.newPage();
    await player.goto(`${pageServer.origin}/blank.html`);
    const tabId = await tabIdOf(browser.serviceWorker, `${pageServer.origin}/blank.html`);
    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 1200, height: 800 });
    await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=${tabId}`);
    await panel.waitForSelector('[data-testid="empty"]');

    // Live: the panel was open before playback and is never reloaded.
    await player.goto(hlsPage('live-a'));
    await waitForPlayerDone(player);
    await expect.poll(async () => (await readPopup(panel)).rows.length, { timeout: 20_000 }).toBe(servedUnder('live-a'));
    expect((await rowUrls(panel)).every((url) => url.includes('/live-a/'))).toBe(true);
    expect((await readPopup(panel)).failing).toBe('2 rejected by CORS');

    // The worker stops (as Chrome does when idle); the panel's port drops and reconnects.
    const worker = await stopServiceWorker(browser.context, player);
    await worker.waitUntilRunning();
    await player.goto(hlsPage('live-b'));
    await waitForPlayerDone(player);
    await expect
      .poll(async () => (await rowUrls(panel)).filter((url) => url.includes('/live-b/')).length, { timeout: 20_000 })
      .toBe(servedUnder('live-b'));
    expect((await rowUrls(panel)).some((url) => url.includes('/live-a/'))).toBe(false); // the new page cleared the log

    // Sorting by file makes one sorted list; a second click reverses it.
    await panel.click('[data-testid="sort-file"]');
    const ascending = (await readPopup(panel)).rows.map((row) => row.file);
    expect(ascending).toEqual(['segment0.ts', 'segment1.ts', 'segment2.ts', 'segment2.ts', 'stream.m3u8']);
    await panel.click('[data-testid="sort-file"]');
    const descending = (await readPopup(panel)).rows.map((row) => row.file);
    expect(descending).toEqual([...ascending].reverse());
    expect(await panel.getAttribute('th:has([data-testid="sort-file"])', 'aria-sort')).toBe('descending');
    await panel.screenshot({ path: artifactPath('devtools-panel-chromium.png') });
  });
});
