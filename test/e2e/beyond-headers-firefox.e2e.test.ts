/**
 * The beyond-header scenarios Firefox shows too (test/lab/scenarios/beyond-headers.ts), played in
 * Firefox ESR with CORS Lens: the popup names the same causes. One launch for the file. The page's
 * request headers are added by a preload script (evaluateOnNewDocument, BiDi script.addPreloadScript);
 * the blocked segments are cancelled by a second, test-only extension (support/client-blocker/, a
 * webRequest `cancel` as an ad blocker does) on pages that ask for it with `block=segments`.
 * Local Network Access is Chromium's and has its own file (local-network-access.e2e.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { firefoxTabIdOf, launchFirefoxWithExtension, openExtensionPage, pollPage, pollUntil, type FirefoxWithExtension } from './support/firefox.ts';
import { artifactPath } from './support/artifacts.ts';
import { readPopup } from './support/popup.ts';
import { startPageServer, type RunningServer } from './support/servers.ts';
import { BEYOND_HEADERS_SCENARIOS, requestHeadersScript } from '../lab/scenarios/beyond-headers.ts';

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

beforeAll(async () => {
  pageServer = await startPageServer();
  firefox = await launchFirefoxWithExtension();
  await firefox.browser.installExtension(clientBlocker);
});

afterAll(async () => {
  await firefox?.close();
  await pageServer?.close();
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
        if (stage.requestHeaders) {
          // The preload script really added the header: the server saw it on the player's requests.
          const name = Object.keys(stage.requestHeaders)[0]!;
          const asked = stage.log().filter((request) => request.method === 'OPTIONS').map((request) => String(request.headers['access-control-request-headers'] ?? ''));
          expect(asked.length, 'Firefox preflighted the requests').toBeGreaterThan(0);
          expect(asked.every((value) => value.includes(name)), JSON.stringify(asked)).toBe(true);
        }
        if (stage.blockedInBrowser) expect(stage.log().filter((request) => stage.blockedInBrowser!.test(request.path)), 'blocked requests never reached the server').toEqual([]);
      } finally {
        await popup.close();
        await player.close();
        await stage.close();
      }
    });
  }
});
