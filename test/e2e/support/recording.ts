/**
 * A recorded stream as the e2e tests need it: hls.js plays a stream from the media server in a tab,
 * and that tab's popup lists every request the media server answered for it. Also reads a download.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { browserErrorsOf, openPopup, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from './chromium.ts';
import type { RunningServer } from './servers.ts';

/** The hls.js player page of `pageServer` playing `streamPath` (e.g. '/exports/stream.m3u8') from `mediaServer`. */
export function hlsPageUrl(pageServer: RunningServer, mediaServer: RunningServer, streamPath: string): string {
  return `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}${streamPath}`)}`;
}

/** Requests the media server answered under a folder ('/exports/'). */
export function servedUnder(mediaServer: RunningServer, folder: string): number {
  return mediaServer.requests.filter((request) => request.path.startsWith(folder)).length;
}

/**
 * Waits until a popup or panel page lists at least `count` request rows. On a timeout the error names
 * what the view lists and, given `served` (the media server's paths), what it should have listed.
 */
export async function waitForRows(page: Page, count: number, options: { timeoutMs?: number; served?: () => string[] } = {}): Promise<void> {
  try {
    await page.waitForFunction((wanted) => document.querySelectorAll('[data-testid="request-row"]').length >= wanted, count, { timeout: options.timeoutMs ?? 30_000 });
  } catch (error) {
    const listed = await page
      .$$eval('[data-testid="request-row"]', (rows) => rows.map((row) => `${row.getAttribute('data-file')}:${row.getAttribute('data-outcome')}`))
      .catch((reason: unknown) => [`(could not read the rows: ${String(reason)})`]);
    const shown = await page.evaluate(() => document.body.innerText.slice(0, 600)).catch(() => '(no text)');
    const served = options.served ? `; the media server answered ${JSON.stringify(options.served())}` : '';
    const errors = browserErrorsOf(page.context());
    throw new Error(
      `the view lists ${listed.length} of ${count} rows: ${JSON.stringify(listed)}${served}; it shows: ${JSON.stringify(shown)}; errors reported: ${JSON.stringify(errors)}`,
      { cause: error },
    );
  }
}

/** The paths the media server answered under a folder, in order. */
export function servedPathsUnder(mediaServer: RunningServer, folder: string): string[] {
  return mediaServer.requests.filter((request) => request.path.startsWith(folder)).map((request) => request.path);
}

export interface RecordedStream {
  player: Page;
  popup: Page;
  tabId: number;
  pageUrl: string;
}

/**
 * Plays `pageUrl` to its end in a new tab, then opens the tab's popup and waits until it lists as many
 * rows as the media server answered under `folder` (each test uses its own folder).
 */
export async function playToEndAndOpenPopup(browser: ChromiumWithExtension, pageUrl: string, mediaServer: RunningServer, folder: string): Promise<RecordedStream> {
  const player = await browser.context.newPage();
  await player.goto(pageUrl);
  await waitForPlayerDone(player);
  const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
  const popup = await openPopup(browser.context, browser.extensionId, tabId);
  await waitForRows(popup, servedUnder(mediaServer, folder), { served: () => servedPathsUnder(mediaServer, folder) });
  return { player, popup, tabId, pageUrl };
}

/** Clicks a download button (by data-testid) and returns the downloaded file's text. */
export async function downloadText(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testId}"]`)]);
  return readFile((await file.path())!, 'utf8');
}
