/**
 * The beyond-header scenarios Firefox shows too (test/lab/scenarios/beyond-headers.ts), played with
 * hls.js in Firefox ESR with CORS Lens: the popup names the same causes. Left out here: the scenarios
 * that need request headers added by the page or a request cancelled by the test (puppeteer over BiDi
 * has no request interception for them), COEP (Chromium's error name) and Local Network Access
 * (Chromium only).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { firefoxTabIdOf, launchFirefoxWithExtension, openExtensionPage, pollPage, pollUntil, type FirefoxWithExtension } from './support/firefox.ts';
import { artifactPath } from './support/artifacts.ts';
import { readPopup } from './support/popup.ts';
import { startPageServer, type RunningServer } from './support/servers.ts';
import { BEYOND_HEADERS_SCENARIOS } from '../lab/scenarios/beyond-headers.ts';

const IN_FIREFOX = new Set(['not-a-cors-failure', 'expose-headers-missing', 'redirect-taints-origin', 'timing-allow-origin-missing']);

let firefox: FirefoxWithExtension;
let pageServer: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  firefox = await launchFirefoxWithExtension();
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
        const pageUrl = `${pageServer.origin}/hls.html?scenario=${scenario.id}&src=${encodeURIComponent(stage.src)}`;
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
        for (const cause of scenario.expectedCauses) expect(causes, `${scenario.id} in Firefox: ${JSON.stringify(causes)}`).toContain(cause);
        for (const cause of scenario.notNamed) expect(causes).not.toContain(cause);
      } finally {
        await popup.close();
        await player.close();
        await stage.close();
      }
    });
  }
});
