/**
 * Local Network Access in real Chromium with CORS Lens (test/lab/scenarios/local-network-access.ts):
 * a public page (made public with Chromium's --ip-address-space-overrides) plays a stream from a
 * loopback server. The popup must name `local-network-access` exactly when Chromium itself blocked the
 * media for it (CDP Network.loadingFailed corsErrorStatus LocalNetworkAccessPermissionDenied or
 * InsecureLocalNetwork), and its rejected rows must be the loads Chromium rejected. One launch.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromiumWithExtension, waitForPlayerDone, type ChromiumWithExtension } from './support/chromium.ts';
import { popupNaming } from './support/chromium-lab.ts';
import { fileOf, watchNetwork } from './support/chromium-network.ts';
import type { Page } from 'playwright-core';
import { startPageServer, type RunningServer } from './support/servers.ts';
import { LOCAL_NETWORK_SCENARIOS, PUBLIC_PAGE_HOST, localNetworkAccessArgs, startLoopbackMedia, type LocalNetworkScenario } from '../lab/scenarios/local-network-access.ts';

let browser: ChromiumWithExtension;
let securePages: RunningServer;
let insecurePages: RunningServer;

beforeAll(async () => {
  securePages = await startPageServer();
  insecurePages = await startPageServer();
  browser = await launchChromiumWithExtension(undefined, { args: localNetworkAccessArgs({ secure: securePages.port, insecure: insecurePages.port }) });
});

afterAll(async () => {
  await browser?.close();
  await securePages?.close();
  await insecurePages?.close();
});

/** The Chromium error name each rejected row shows, whether the row marks it inferred, and its reason. */
async function rejectedRowNames(popup: Page): Promise<Array<{ file: string; name: string; inferred: boolean; reason: string }>> {
  return popup.$$eval('[data-testid="request-row"][data-outcome="fail"]', (rows) =>
    rows.map((row) => ({
      file: (row as HTMLElement).dataset.file ?? '',
      name: (row.querySelector('.error-name')?.textContent ?? '').trim(),
      inferred: row.querySelector('[data-testid="error-name-inferred"]') !== null,
      reason: (row.querySelector('[data-testid="reason"]')?.textContent ?? '').trim(),
    })),
  );
}

async function play(scenario: LocalNetworkScenario): Promise<void> {
  const stage = await startLoopbackMedia();
  const pageOrigin = `http://${PUBLIC_PAGE_HOST}:${(scenario.secureContext ? securePages : insecurePages).port}`;
  if (scenario.granted) await browser.context.grantPermissions(['local-network-access'], { origin: pageOrigin });
  const player = await browser.context.newPage();
  try {
    const network = await watchNetwork(player);
    const pageUrl = `${pageOrigin}/hls.html?scenario=${scenario.id}&src=${encodeURIComponent(stage.src)}`;
    await player.goto(pageUrl);
    expect(await player.evaluate(() => isSecureContext), 'the page is a secure context as the scenario says').toBe(scenario.secureContext);
    await waitForPlayerDone(player);
    await network.settled();
    const { popup, view } = await popupNaming(browser, pageUrl, scenario.expectedCauses, scenario.id);
    const named = view.findings.map((finding) => `${finding.cause} (${finding.severity}, ${finding.confidence})`);
    const causes = view.findings.map((finding) => finding.cause);
    for (const cause of scenario.expectedCauses) expect(causes, `${scenario.id}: popup named ${JSON.stringify(named)}`).toContain(cause);
    for (const cause of scenario.notNamed) expect(causes, `${scenario.id}: popup named ${JSON.stringify(named)}`).not.toContain(cause);

    // Chromium's own verdict: the scenario's CORS error on the loopback loads, or none at all.
    const mediaFailures = network.failures.filter((failure) => failure.url.startsWith(stage.media.origin));
    if (scenario.chromiumCorsError === null) {
      expect(mediaFailures, `${scenario.id}: Chromium failed loads`).toEqual([]);
      expect(network.finished.filter((url) => url.startsWith(stage.media.origin)).length, 'playlist and segments loaded').toBeGreaterThan(1);
    } else {
      expect(mediaFailures.length, `${scenario.id}: Chromium blocked the media`).toBeGreaterThan(0);
      expect(new Set(mediaFailures.map((failure) => failure.corsError)), JSON.stringify(mediaFailures)).toEqual(new Set([scenario.chromiumCorsError]));
      // webRequest names the block (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS), so the rule is certain.
      expect(view.findings.find((finding) => finding.cause === 'local-network-access')?.confidence, JSON.stringify(named)).toBe('certain');
      // Blocked before it was sent: the media server never saw the player's requests.
      expect(stage.log().filter((request) => request.method === 'GET'), 'nothing reached the loopback server').toEqual([]);
    }
    // The rows rejected are the loads Chromium rejected, each under Chromium's own name, or under a
    // name the row says is inferred and why (then naming Chromium's as the other possibility).
    const corsRejected = network.failures.filter((failure) => failure.corsError !== null);
    const shownRejected = view.rows.filter((row) => row.outcome === 'fail');
    const rowsAndChromium = `rows ${JSON.stringify(view.rows)}; Chromium ${JSON.stringify(network.failures)}`;
    expect(shownRejected.map((row) => row.file).sort(), `${scenario.id}: ${rowsAndChromium}`).toEqual(corsRejected.map((failure) => fileOf(failure.url)).sort());
    expect(Number.parseInt(view.failing, 10), `${scenario.id}: the header's rejected count`).toBe(corsRejected.length);
    const names = await rejectedRowNames(popup);
    for (const failure of corsRejected) {
      const shown = names.find((row) => row.file === fileOf(failure.url));
      expect(shown, rowsAndChromium).toBeDefined();
      if (!shown!.inferred) expect(shown!.name, `${scenario.id}: a name the row asserts is Chromium's`).toBe(failure.corsError);
      else if (shown!.name !== failure.corsError) expect(shown!.reason, `${scenario.id}: an inferred name says what Chromium's would be`).toContain(failure.corsError!);
    }
    if (scenario.rowName !== null) expect(names.map(({ name, inferred }) => ({ name, inferred }))).toContainEqual(scenario.rowName);
    await popup.close();
  } finally {
    await player.close();
    if (scenario.granted) await browser.context.clearPermissions();
    await stage.close();
  }
}

describe('Local Network Access, in Chromium', () => {
  for (const scenario of LOCAL_NETWORK_SCENARIOS) test(`${scenario.id}: ${scenario.title}`, () => play(scenario));
});
