/**
 * Accessibility of the popup and the DevTools panel with real content (failing rows, diagnosis cards,
 * the request detail open), checked by axe-core in real Chromium: no serious or critical violation.
 * Keyboard: Tab reaches the rows and Enter opens a row's detail.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromiumWithExtension, openPopup, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from './support/chromium.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import { servedPathsUnder, servedUnder, waitForRows } from './support/recording.ts';
import { seriousViolations } from './support/axe.ts';

let browser: ChromiumWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;
let tabId: number;
let served: number;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  browser = await launchChromiumWithExtension();
  const player = await browser.context.newPage();
  const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/a11y/stream.m3u8`)}`;
  await player.goto(pageUrl);
  await waitForPlayerDone(player);
  tabId = await tabIdOf(browser.serviceWorker, pageUrl);
  served = servedUnder(mediaServer, '/a11y/');
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

describe('accessibility (axe-core)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`popup, ${scheme}: with cards, rows and an open detail`, async () => {
      const popup = await openPopup(browser.context, browser.extensionId, tabId);
      await popup.emulateMedia({ colorScheme: scheme });
      await waitForRows(popup, served, { served: () => servedPathsUnder(mediaServer, '/a11y/') });
      // Keyboard: Tab moves through the controls to the first row; Enter opens its detail.
      for (let i = 0; i < 40; i++) {
        await popup.keyboard.press('Tab');
        if (await popup.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'request-row')) break;
      }
      expect(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('request-row');
      await popup.keyboard.press('Enter');
      await popup.waitForSelector('[data-testid="request-detail"]');
      expect(await seriousViolations(popup)).toEqual([]);
      await popup.close();
    });
  }

  test('DevTools panel', async () => {
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=${tabId}`);
    await waitForRows(panel, served, { served: () => servedPathsUnder(mediaServer, '/a11y/') });
    expect(await seriousViolations(panel)).toEqual([]);
    await panel.close();
  });
});
