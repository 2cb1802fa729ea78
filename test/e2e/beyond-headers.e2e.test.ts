/**
 * The scenarios of causes beyond a missing header (test/lab/scenarios/beyond-headers.ts) played with
 * hls.js in real Chromium with CORS Lens loaded. From the popup: the expected causes are named, the
 * causes they are easily mistaken for are not, and the rows marked rejected for CORS are exactly the
 * requests Chromium itself rejected for CORS (CDP Network.loadingFailed.corsErrorStatus): a
 * disagreement is a bug in the extension.
 */
import { describe, expect, test } from 'vitest';
import { chromiumForFile, popupNaming } from './support/chromium-lab.ts';
import { waitForPlayerDone } from './support/chromium.ts';
import { fileOf, watchNetwork } from './support/chromium-network.ts';
import type { PopupView } from './support/popup.ts';
import { BEYOND_HEADERS_SCENARIOS, requestHeadersScript, type BeyondHeadersScenario, type StartedBeyondHeaders } from '../lab/scenarios/beyond-headers.ts';

const shared = chromiumForFile();

const named = (view: PopupView) => view.findings.map((finding) => `${finding.cause} (${finding.severity}, ${finding.confidence})`);

async function play(scenario: BeyondHeadersScenario): Promise<void> {
  const stage: StartedBeyondHeaders = await scenario.start({ pageOrigin: shared.pageServer.origin });
  const player = await shared.browser.context.newPage();
  try {
    if (stage.requestHeaders) await player.addInitScript({ content: requestHeadersScript(stage.requestHeaders) });
    if (stage.blockedInBrowser) await player.route(stage.blockedInBrowser, (route) => route.abort('blockedbyclient'));
    const network = await watchNetwork(player);
    const pageUrl = `${stage.pageUrl ?? `${shared.pageServer.origin}/hls.html`}?scenario=${scenario.id}&src=${encodeURIComponent(stage.src)}`;
    await player.goto(pageUrl);
    await waitForPlayerDone(player);
    if (process.env.BEYOND_DEBUG) console.log('player done', await player.evaluate('JSON.stringify(window.__player)'));
    await network.settled();
    const { popup, view } = await popupNaming(shared.browser, pageUrl, scenario.expectedCauses, `beyond-headers-${scenario.id}`);
    const causes = view.findings.map((finding) => finding.cause);
    for (const cause of scenario.expectedCauses) expect(causes, `${scenario.id}: popup named ${JSON.stringify(named(view))}`).toContain(cause);
    for (const cause of scenario.notNamed) expect(causes, `${scenario.id}: popup named ${JSON.stringify(named(view))}`).not.toContain(cause);
    for (const [cause, wording] of Object.entries(scenario.certain ?? {})) {
      const card = view.findings.find((finding) => finding.cause === cause);
      expect(card?.confidence, `${scenario.id}: popup named ${JSON.stringify(named(view))}`).toBe('certain');
      expect(card?.message).toContain(wording);
    }
    if (scenario.answerSays) expect(view.answer?.conclusion, `${scenario.id}: the answer`).toContain(scenario.answerSays);
    // The browser's own verdict: the rows shown rejected are the loads Chromium rejected for CORS.
    const corsRejected = network.failures.filter((failure) => failure.corsError !== null).map((failure) => fileOf(failure.url)).sort();
    // Chromium reports a refused preflight on the request it preceded; the popup also marks the OPTIONS
    // row itself, with a Preflight… error, for a URL Chromium rejected.
    const shownRejected = view.rows.filter((row) => row.outcome === 'fail' && row.kind !== 'preflight').map((row) => row.file).sort();
    for (const row of view.rows.filter((candidate) => candidate.outcome === 'fail' && candidate.kind === 'preflight')) {
      expect(corsRejected, `${scenario.id}: a rejected preflight row for a URL Chromium did not reject`).toContain(row.file);
      expect(row.reason).toMatch(/Preflight/);
    }
    expect(shownRejected, `${scenario.id}: Chromium's failures ${JSON.stringify(network.failures)}`).toEqual(corsRejected);
    expect(stage.log().length, `${scenario.id}: the browser reached the media server`).toBeGreaterThan(0);
    if (stage.blockedInBrowser) expect(stage.log().filter((request) => stage.blockedInBrowser!.test(request.path)), 'blocked requests never reached the server').toEqual([]);
    // CDP adds the reason after a dot (net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep).
    if (scenario.browserError) expect(network.failures.some((failure) => failure.errorText.split('.')[0] === scenario.browserError), `${scenario.id}: Chromium's own error ${JSON.stringify(network.failures)}`).toBe(true);
    if (scenario.expectedCauses.includes('timing-allow-origin-missing')) {
      // What the advice says, measured in the page: the segments' Resource Timing entries hide their sizes.
      const sizes = (await player.evaluate(`performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('.ts')).map((entry) => entry.encodedBodySize)`)) as number[];
      expect(sizes.length).toBeGreaterThan(1);
      expect(sizes.every((size) => size === 0), `encodedBodySize of the segments: ${JSON.stringify(sizes)}`).toBe(true);
    }
    await popup.close();
  } finally {
    await player.close();
    await stage.close();
  }
}

/** BEYOND_SCENARIO=<id>[,<id>…] plays only those. */
const only = process.env.BEYOND_SCENARIO?.split(',');

describe('causes beyond a missing header, in Chromium', () => {
  for (const scenario of BEYOND_HEADERS_SCENARIOS.filter((candidate) => !only || only.includes(candidate.id))) {
    test(`${scenario.id}: ${scenario.title}`, () => play(scenario));
  }
});
