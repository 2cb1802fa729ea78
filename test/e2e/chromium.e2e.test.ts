/**
 * End to end in real Chromium: hls.js on 127.0.0.1:A plays a stream from localhost:B whose segment2
 * lacks Access-Control-Allow-Origin. The popup must flag exactly that segment (both hls.js tries), say
 * why, and the badge must count it. A native <video> without crossorigin plays the same stream in
 * no-cors mode: nothing may be flagged.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { launchChromiumWithExtension, openPopup, stopServiceWorker, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from './support/chromium.ts';
import { artifactPath } from './support/artifacts.ts';
import { readPopup, type PopupView } from './support/popup.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import { waitForRows } from './support/recording.ts';
import type { Page } from 'playwright-core';

let browser: ChromiumWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']), freshCopyHasAllowOrigin: true });
  browser = await launchChromiumWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

const mediaRequestsSince = (start: number) => mediaServer.requests.slice(start).filter((r) => /\.(m3u8|ts)$/.test(r.path));

/** Waits until the popup lists as many requests as the media server answered for this page. */
async function waitForAllRows(popup: Page, expected: number): Promise<PopupView> {
  await waitForRows(popup, expected, { timeoutMs: 20_000, served: () => mediaRequestsSince(0).map((request) => request.path) });
  return readPopup(popup);
}

describe('Chromium', () => {
  test('hls.js: exactly the segment without ACAO is flagged, with its reason, the badge and the JSON export', async () => {
    const before = mediaServer.requests.length;
    const player = await browser.context.newPage();
    const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/hlsjs/stream.m3u8`)}`;
    await player.goto(pageUrl);
    await waitForPlayerDone(player);
    const playerState = await player.evaluate(() => (window as unknown as { __player: { fatal: string | null; fragLoaded: string[] } }).__player);
    expect(playerState.fatal).toBe('fragLoadError');

    const served = mediaRequestsSince(before);
    const segment2Tries = served.filter((r) => r.path.endsWith('/segment2.ts'));
    expect(segment2Tries.length).toBe(2); // hls.js retries once with a new requestId
    expect(segment2Tries.every((r) => r.headers.origin === pageServer.origin)).toBe(true);
    // Privacy: every request the media origin saw came from the page's player, none from the extension.
    expect(served.every((r) => r.headers.origin === pageServer.origin && r.headers.referer?.startsWith(pageServer.origin))).toBe(true);
    expect(mediaServer.requests.some((r) => r.headers.origin?.startsWith('chrome-extension://'))).toBe(false);

    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    const popup = await openPopup(browser.context, browser.extensionId, tabId);
    const view = await waitForAllRows(popup, served.length);

    expect(view.pageOrigin).toBe(pageServer.origin);
    expect(view.rows).toHaveLength(served.length);
    const failing = view.rows.filter((row) => row.outcome === 'fail');
    expect(failing.map((row) => row.file)).toEqual(['segment2.ts', 'segment2.ts']);
    // Flagged rows come first, and say why in plain words plus Chromium's own error name.
    expect(view.rows.slice(0, 2).map((row) => row.outcome)).toEqual(['fail', 'fail']);
    for (const row of failing) {
      expect(row.reason).toContain('no Access-Control-Allow-Origin header');
      expect(row.reason).toContain('MissingAllowOriginHeader');
      expect(row.cells).toContain('segment');
      expect(row.cells).toContain('200');
      expect(row.cells.join(' ')).toContain('Hit from cloudfront');
    }
    const passing = view.rows.filter((row) => row.outcome === 'pass').map((row) => row.file).sort();
    expect(passing).toEqual(['segment0.ts', 'segment1.ts', 'stream.m3u8']);
    expect(view.failing).toBe('2 rejected by CORS');

    const badge = await browser.serviceWorker.evaluate((id: number) => chrome.action.getBadgeText({ tabId: id }), tabId);
    expect(badge).toBe('2');
    await popup.screenshot({ path: artifactPath('popup-chromium-hls.png') });

    // The Failing chip leaves only the rejected rows; a click opens the detail with both browsers' names.
    await popup.click('[data-testid="filter-failing"]');
    expect((await readPopup(popup)).rows.map((row) => row.outcome)).toEqual(['fail', 'fail']);
    await popup.click('[data-testid="request-row"]');
    const detail = popup.locator('[data-testid="request-detail"]');
    await expect.poll(() => detail.count()).toBe(1);
    expect(await detail.locator('[data-testid="chromium-error"]').innerText()).toBe('MissingAllowOriginHeader');
    expect(await detail.locator('[data-testid="firefox-error"]').innerText()).toBe('CORSMissingAllowOrigin2');
    const sentHeaders = await detail.locator('[data-testid="detail-request-headers"]').innerText();
    expect(sentHeaders).toContain('origin');
    expect(sentHeaders).toContain(pageServer.origin);
    await popup.screenshot({ path: artifactPath('popup-chromium-detail.png') });
    await popup.click('[data-testid="filter-all"]');

    const [download] = await Promise.all([popup.waitForEvent('download'), popup.click('[data-testid="export-json"]')]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      schemaVersion: number;
      redacted: boolean;
      report: { counts: { failing: number }; verdicts: Array<{ recordId: string; verdict: { outcome: string; chromiumError?: string } }> };
      records: Array<{ id: string; url: string; browser: string; error: string | null }>;
    };
    expect(exported.schemaVersion).toBe(1);
    expect(exported.redacted).toBe(true);
    expect(exported.report.counts.failing).toBe(2);
    const failingIds = new Set(exported.report.verdicts.filter((v) => v.verdict.outcome === 'fail').map((v) => v.recordId));
    const failingRecords = exported.records.filter((r) => failingIds.has(r.id));
    expect(failingRecords.map((r) => r.url.split('/').pop())).toEqual(['segment2.ts', 'segment2.ts']);
    // Chromium reports the block as onHeadersReceived (200, no ACAO) then onErrorOccurred net::ERR_FAILED.
    expect(failingRecords.every((r) => r.error === 'net::ERR_FAILED' && r.browser === 'chromium')).toBe(true);

    await popup.close();
    await player.close();
  });

  test('native <video> without crossorigin: no-cors requests are listed and never flagged', async () => {
    const before = mediaServer.requests.length;
    const player = await browser.context.newPage();
    const pageUrl = `${pageServer.origin}/native.html?src=${encodeURIComponent(`${mediaServer.origin}/native/stream.m3u8`)}`;
    await player.goto(pageUrl);
    await waitForPlayerDone(player);
    const playerState = await player.evaluate(() => (window as unknown as { __player: { ended: boolean; error: string | null } }).__player);
    expect(playerState).toMatchObject({ ended: true, error: null });

    const served = mediaRequestsSince(before);
    expect(served.some((r) => r.path.endsWith('/segment2.ts'))).toBe(true);
    expect(served.every((r) => r.headers.origin === undefined)).toBe(true);

    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    const popup = await openPopup(browser.context, browser.extensionId, tabId);
    const view = await waitForAllRows(popup, served.length);
    expect(view.rows.length).toBe(served.length);
    expect(view.rows.map((row) => row.outcome)).toEqual(view.rows.map(() => 'not-applicable'));
    expect(view.rows.some((row) => row.file === 'segment2.ts')).toBe(true);
    expect(view.failing).toBe('0 rejected by CORS');
    const badge = await browser.serviceWorker.evaluate((id: number) => chrome.action.getBadgeText({ tabId: id }), tabId);
    expect(badge).toBe('');
    await popup.screenshot({ path: artifactPath('popup-chromium-native.png') });
    await popup.close();
    await player.close();
  });

  test('re-test from the page: one labelled, cache-busted request with the page Origin, and what the difference proves', async () => {
    const player = await browser.context.newPage();
    const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/retest/stream.m3u8`)}`;
    await player.goto(pageUrl);
    await waitForPlayerDone(player);
    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    const popup = await openPopup(browser.context, browser.extensionId, tabId);
    const served = mediaRequestsSince(0).filter((r) => r.path.startsWith('/retest/')).length;
    await waitForAllRows(popup, served);
    const before = mediaServer.requests.length;

    await popup.click('[data-testid="request-row"][data-outcome="fail"]');
    await popup.click('[data-testid="retest"]');
    const comparison = popup.locator('[data-testid="retest-comparison"]');
    await comparison.waitFor({ timeout: 20_000 });
    expect(await comparison.getAttribute('data-conclusion')).toBe('cached-copy-lacked-cors');
    expect(await popup.locator('[data-testid="retest-explanation"]').innerText()).toContain('came from the CDN cache');

    // Exactly one request reached the server: the re-test, from the page's origin, cache-busted.
    const sent = mediaServer.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/retest/segment2.ts');
    expect(sent[0]!.headers.origin).toBe(pageServer.origin);
    const view = await readPopup(popup);
    const retestRows = view.rows.filter((row) => row.cells[1]?.includes('re-test'));
    expect(retestRows).toHaveLength(1);
    expect(retestRows[0]!.outcome).toBe('pass');
    await popup.screenshot({ path: artifactPath('popup-chromium-retest.png') });
    await popup.close();
    await player.close();
  });

  // Runs last: Playwright's handle on the old worker is stale afterwards.
  test('the worker stopped mid-playback: every request before and after the stop is in the popup', async () => {
    // Segments answer slowly here, so the stop falls between segment requests of one playback.
    const slowMedia = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']), segmentDelayMs: 400 });
    try {
      const player = await browser.context.newPage();
      const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${slowMedia.origin}/restart/stream.m3u8`)}`;
      const tabId = await (async () => {
        await player.goto(`${pageServer.origin}/blank.html`);
        return tabIdOf(browser.serviceWorker, `${pageServer.origin}/blank.html`);
      })();
      await player.goto(pageUrl);
      await expect.poll(() => slowMedia.requests.some((r) => r.path.endsWith('/segment1.ts')), { timeout: 20_000 }).toBe(true);
      const worker = await stopServiceWorker(browser.context, player);
      const stoppedAt = Date.now();
      await waitForPlayerDone(player);
      await worker.waitUntilRunning();

      const served = slowMedia.requests.filter((r) => /\.(m3u8|ts)$/.test(r.path));
      const inFlightAtStop = served.filter((r) => (r.receivedAt ?? 0) <= stoppedAt && (r.answeredAt ?? Infinity) >= stoppedAt).length;
      const afterStop = served.filter((r) => (r.receivedAt ?? 0) > stoppedAt).length;
      expect(afterStop).toBeGreaterThan(0); // playback went on after the stop
      const popup = await openPopup(browser.context, browser.extensionId, tabId);
      await popup.waitForFunction((count) => document.querySelectorAll('[data-testid="request-row"]').length >= count, served.length - inFlightAtStop, {
        timeout: 20_000,
      });
      const view = await readPopup(popup);
      const missing = served.length - view.rows.length;
      console.log(`worker stop mid-playback: ${served.length} requests served, ${view.rows.length} in the popup, ${inFlightAtStop} in flight at the stop, ${missing} missing`);
      expect(missing).toBeGreaterThanOrEqual(0);
      expect(missing).toBeLessThanOrEqual(inFlightAtStop);
      expect(view.rows.filter((row) => row.outcome === 'fail').every((row) => row.file === 'segment2.ts')).toBe(true);
      await popup.close();
      await player.close();
    } finally {
      await slowMedia.close();
    }
  });
});
