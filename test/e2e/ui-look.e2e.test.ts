/**
 * How the popup and the DevTools panel look to a person, in English and Korean, light and dark: the
 * screenshots land in test-results/ to be looked at; the assertions check the language really
 * switched (every visible label from _locales) and the dark theme really applies.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromiumWithExtension, openPopup, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from './support/chromium.ts';
import { artifactPath } from './support/artifacts.ts';
import { servedPathsUnder, servedUnder, waitForRows } from './support/recording.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';

let pageServer: RunningServer;
const mediaServers = new Map<boolean, RunningServer>();

beforeAll(async () => {
  pageServer = await startPageServer();
  for (const perResponseId of [true, false]) mediaServers.set(perResponseId, await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']), perResponseId }));
});

afterAll(async () => {
  await pageServer?.close();
  for (const server of mediaServers.values()) await server.close();
});

// Korean's stream comes from a cache layer without a per-response id (no x-amz-cf-id): there only
// Date, Age and ETag can tell the browser's stored copy from the CDN's copy fetched again.
const LANGUAGES = [
  { lang: 'en', perResponseId: true, failing: '2 rejected by CORS', filter: 'Failing', cardCount: '2 requests', browserCopy: "the browser's own stored copy" },
  { lang: 'ko', perResponseId: false, failing: 'CORS 거부 2개', filter: '실패', cardCount: '요청 2개', browserCopy: '브라우저가 자체 저장해 둔 사본' },
] as const;

describe.each(LANGUAGES)('popup and panel in $lang', ({ lang, perResponseId, failing, filter, cardCount, browserCopy }) => {
  let mediaServer: RunningServer;
  let browser: ChromiumWithExtension;
  beforeAll(async () => {
    mediaServer = mediaServers.get(perResponseId)!;
    browser = await launchChromiumWithExtension(undefined, { lang });
  });
  afterAll(async () => browser?.close());

  test('light and dark, popup and panel', async () => {
    const player = await browser.context.newPage();
    const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/look-${lang}/stream.m3u8`)}`;
    await player.goto(pageUrl);
    await waitForPlayerDone(player);
    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    const folder = `/look-${lang}/`;
    const served = servedUnder(mediaServer, folder);
    const popup = await openPopup(browser.context, browser.extensionId, tabId);
    await waitForRows(popup, served, { served: () => servedPathsUnder(mediaServer, folder) });
    expect(await popup.locator('[data-testid="count-failing"]').innerText()).toBe(failing);
    expect(await popup.locator('[data-testid="filter-failing"]').innerText()).toContain(filter);
    // Chromium rejects both tries of segment2 (hls.js retries; the retry gets the CDN's copy again or the
    // browser's stored copy of it): the one card names every request Chromium rejected.
    await expect.poll(() => popup.locator('.finding-count').allInnerTexts(), { timeout: 15_000 }).toEqual([cardCount]);
    // The card says a try got the browser's stored copy only when the lab server never saw that try
    // (the server counts what reached it; Chromium may report a cached answer as from the network).
    const tries = await popup.locator('[data-testid="request-row"][data-file="segment2.ts"]').count();
    const reachedServer = servedPathsUnder(mediaServer, folder).filter((served) => served.endsWith('/segment2.ts')).length;
    await expect.poll(() => popup.locator('[data-testid="finding"] .finding-message').first().textContent(), { timeout: 15_000 }).not.toBe('');
    const said = (await popup.locator('[data-testid="finding"] .finding-message').first().textContent()) ?? '';
    expect({ tries, reachedServer, saysBrowserCopy: said.includes(browserCopy) }).toEqual({ tries: 2, reachedServer, saysBrowserCopy: reachedServer < tries });

    for (const scheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme: scheme });
      const background = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(32, 33, 36)' : 'rgb(255, 255, 255)');
      await popup.screenshot({ path: artifactPath(`popup-${lang}-${scheme}.png`) });
    }
    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 1200, height: 800 });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=${tabId}`);
    await waitForRows(panel, served, { served: () => servedPathsUnder(mediaServer, folder) });
    await panel.screenshot({ path: artifactPath(`panel-${lang}-dark.png`), fullPage: true });
    await panel.close();
    await popup.close();
    await player.close();
  });
});
