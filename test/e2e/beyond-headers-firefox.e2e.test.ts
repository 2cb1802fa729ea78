/**
 * The beyond-header scenarios Firefox shows too (test/lab/scenarios/beyond-headers.ts), played in
 * Firefox ESR with CORS Lens: the popup names the same causes. One launch for the file. The page's
 * request headers are added by a preload script (evaluateOnNewDocument, BiDi script.addPreloadScript);
 * the blocked segments are cancelled by a second, test-only extension (support/client-blocker/, a
 * webRequest `cancel` as an ad blocker does) on pages that ask for it with `block=segments`.
 * Local Network Access is played here too, from a second page server that Firefox's LNA test prefs
 * make public (test/lab/scenarios/local-network-access.ts); Chromium's has its own file
 * (local-network-access.e2e.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { firefoxTabIdOf, launchFirefoxWithExtension, openExtensionPage, pollPage, pollUntil, type FirefoxWithExtension } from './support/firefox.ts';
import { artifactPath } from './support/artifacts.ts';
import { readPopup } from './support/popup.ts';
import { startPageServer, type RunningServer } from './support/servers.ts';
import { BEYOND_HEADERS_SCENARIOS, requestHeadersScript } from '../lab/scenarios/beyond-headers.ts';
import { FIREFOX_LNA_ERROR, PUBLIC_PAGE_HOST, localNetworkAccessFirefoxPrefs, startLoopbackMedia } from '../lab/scenarios/local-network-access.ts';

const IN_FIREFOX = new Set([
  'not-a-cors-failure',
  'expose-headers-missing',
  'redirect-taints-origin',
  'timing-allow-origin-missing',
  'preflight-per-segment',
  'preflight-cached-at-cdn',
  'extension-interference',
  'coep-blocks-media',
]);

const clientBlocker = fileURLToPath(new URL('./support/client-blocker', import.meta.url));

let firefox: FirefoxWithExtension;
let pageServer: RunningServer;
/** A page server Firefox counts as public (the LNA prefs), for local-network-access. */
let publicPages: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  publicPages = await startPageServer();
  firefox = await launchFirefoxWithExtension(undefined, { extraPrefs: localNetworkAccessFirefoxPrefs(publicPages.port) });
  await firefox.browser.installExtension(clientBlocker);
});

afterAll(async () => {
  await firefox?.close();
  await pageServer?.close();
  await publicPages?.close();
});

describe('causes beyond a missing header, in Firefox', () => {
  for (const scenario of BEYOND_HEADERS_SCENARIOS.filter((candidate) => IN_FIREFOX.has(candidate.id))) {
    test(`${scenario.id}: ${scenario.title}`, async () => {
      const stage = await scenario.start({ pageOrigin: pageServer.origin });
      const player = await firefox.browser.newPage();
      const popup = await firefox.browser.newPage();
      try {
        if (stage.requestHeaders) await player.evaluateOnNewDocument(requestHeadersScript(stage.requestHeaders));
        const block = stage.blockedInBrowser ? '&block=segments' : '';
        const pageUrl = `${stage.pageUrl ?? `${pageServer.origin}/hls.html`}?scenario=${scenario.id}${block}&src=${encodeURIComponent(stage.src)}`;
        await player.goto(pageUrl);
        await pollPage(player, () => (window as unknown as { __player: { done: boolean } }).__player, (state) => state.done, 60_000);
        await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html`);
        const tabId = await firefoxTabIdOf(popup, pageUrl);
        expect(tabId).not.toBeNull();
        await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html?tabId=${tabId}`);
        const view = await pollUntil(
          () => readPopup(popup),
          (candidate) => scenario.expectedCauses.every((cause) => candidate.findings.some((finding) => finding.cause === cause)),
          20_000,
        ).catch(async () => readPopup(popup));
        await popup.screenshot({ path: artifactPath(`beyond-headers-firefox-${scenario.id}.png`) });
        const causes = view.findings.map((finding) => finding.cause);
        const shown = `${scenario.id} in Firefox: ${JSON.stringify(causes)}; rows ${JSON.stringify(view.rows.map((row) => [row.file, row.outcome, row.reason]))}`;
        for (const cause of scenario.expectedCauses) expect(causes, shown).toContain(cause);
        for (const cause of scenario.notNamed) expect(causes, shown).not.toContain(cause);
        if (scenario.answerSays) expect(view.answer?.conclusion, shown).toContain(scenario.answerSays);
        if (stage.requestHeaders) {
          // The preload script really added the header: the server saw it on the player's requests.
          const name = Object.keys(stage.requestHeaders)[0]!;
          const asked = stage.log().filter((request) => request.method === 'OPTIONS').map((request) => String(request.headers['access-control-request-headers'] ?? ''));
          expect(asked.length, 'Firefox preflighted the requests').toBeGreaterThan(0);
          expect(asked.every((value) => value.includes(name)), JSON.stringify(asked)).toBe(true);
        }
        if (scenario.withheldRow) {
          const { file, says, never } = scenario.withheldRow;
          // What Firefox told the page: the video failed, and its Resource Timing entry has no status.
          const seen = await player.evaluate((name) => ({
            error: (window as unknown as { __player: { error: string | null } }).__player.error,
            statuses: performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith(name)).map((entry) => (entry as PerformanceResourceTiming).responseStatus),
          }), file);
          expect(seen.error, 'the page\'s video failed').not.toBeNull();
          expect(seen.statuses, 'the page got no response').toEqual([0]);
          const row = view.rows.find((candidate) => candidate.file === file);
          expect(row?.reason, shown).toContain(says);
          expect(row?.reason, shown).not.toContain(never);
        }
        if (stage.blockedInBrowser) expect(stage.log().filter((request) => stage.blockedInBrowser!.test(request.path)), 'blocked requests never reached the server').toEqual([]);
      } finally {
        await popup.close();
        await player.close();
        await stage.close();
      }
    });
  }

  test('local-network-access: a public http page loads media from 127.0.0.1', async () => {
    const stage = await startLoopbackMedia();
    const player = await firefox.browser.newPage();
    const popup = await firefox.browser.newPage();
    try {
      const pageUrl = `http://${PUBLIC_PAGE_HOST}:${publicPages.port}/hls.html?scenario=local-network-access&src=${encodeURIComponent(stage.src)}`;
      await player.goto(pageUrl);
      const played = await pollPage(player, () => (window as unknown as { __player: { done: boolean; fatal: string | null } }).__player, (state) => state.done, 60_000);
      expect(played.fatal, 'the player failed to load the playlist').toBe('manifestLoadError');
      expect(stage.log(), 'nothing reached the loopback server').toEqual([]);
      await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html`);
      const tabId = await firefoxTabIdOf(popup, pageUrl);
      await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html?tabId=${tabId}`);
      const view = await pollUntil(
        () => readPopup(popup),
        (candidate) => candidate.findings.some((finding) => finding.cause === 'local-network-access'),
        20_000,
      ).catch(async () => readPopup(popup));
      await popup.screenshot({ path: artifactPath('beyond-headers-firefox-local-network-access.png') });
      const shown = `${JSON.stringify(view.findings.map((finding) => [finding.cause, finding.confidence]))}; rows ${JSON.stringify(view.rows.map((row) => [row.file, row.outcome, row.reason]))}`;
      // Firefox names the block in webRequest, so the card is certain and quotes Firefox's error.
      const card = view.findings.find((finding) => finding.cause === 'local-network-access');
      expect(card?.confidence, shown).toBe('certain');
      expect([card?.message, ...(card?.evidence ?? [])].join(' '), shown).toContain(FIREFOX_LNA_ERROR);
      for (const cause of ['not-a-cors-failure', 'origin-without-cors', 'extension-interference']) expect(view.findings.map((finding) => finding.cause), shown).not.toContain(cause);
    } finally {
      await popup.close();
      await player.close();
      await stage.close();
    }
  });
});
