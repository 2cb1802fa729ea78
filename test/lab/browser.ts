/**
 * Plays a lab scenario in real Chromium with CORS Lens loaded and reads the popup: shared by the e2e
 * test (test/e2e/lab-scenarios.e2e.test.ts) and `npm run demo` (scripts/demo.ts). Reuses the e2e
 * support: page server (hls.js / native player pages), Chromium launch, popup opening and reading.
 */
import type { Page, Request } from 'playwright-core';
import { openPopup, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from '../e2e/support/chromium.ts';
import { readPopup, type PopupView } from '../e2e/support/popup.ts';
import type { RunningServer } from '../e2e/support/servers.ts';
import { startLab, type Lab } from './lab.ts';
import type { LabScenario, PlayerSetup, ScenarioContext } from './scenarios/types.ts';

/** Starts a lab for the scenario and plays its history. */
export async function startScenarioLab(scenario: LabScenario, context: ScenarioContext): Promise<Lab> {
  const lab = await startLab({ ...scenario.lab(context), videos: [scenario.video] });
  try {
    await scenario.prepare(lab, context);
  } catch (error) {
    await lab.close();
    throw error;
  }
  return lab;
}

/**
 * What the player page does besides hls.js, injected before the page's scripts run: the effect of an
 * hls.js `xhrSetup` (headers, withCredentials) and of a page script that fetched files without CORS
 * first. Kept as source text: transpilers inject helpers into functions that do not exist in the page.
 */
function initScript(labOrigin: string, video: string, setup: PlayerSetup): string {
  const config = {
    labOrigin,
    requestHeaders: setup.requestHeaders ?? {},
    withCredentials: setup.withCredentials ?? false,
    prefetch: (setup.prefetchWithoutCors ?? []).map((file) => `${labOrigin}${video}${file}`),
  };
  return `(() => {
  const setup = ${JSON.stringify(config)};
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const prefetched = Promise.all(setup.prefetch.map((url) => fetch(url, { mode: 'no-cors' }).then((r) => r.blob()).catch(() => undefined)));
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.__labUrl = String(url);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (!this.__labUrl || !this.__labUrl.startsWith(setup.labOrigin)) return send.call(this, body);
    for (const [name, value] of Object.entries(setup.requestHeaders)) this.setRequestHeader(name, value);
    if (setup.withCredentials) this.withCredentials = true;
    if (setup.prefetch.length === 0) return send.call(this, body);
    prefetched.then(() => send.call(this, body));
  };
})();`;
}

/** Counts a page's requests to one origin and waits until every one of them has finished or failed. */
function trackRequests(page: Page, origin: string): { settled(): Promise<number> } {
  let started = 0;
  let done = 0;
  const waiters: Array<() => void> = [];
  const mine = (request: Request) => request.url().startsWith(origin);
  page.on('request', (request) => {
    if (mine(request)) started++;
  });
  const finish = (request: Request) => {
    if (!mine(request)) return;
    done++;
    for (const wake of waiters.splice(0)) wake();
  };
  page.on('requestfinished', finish);
  page.on('requestfailed', finish);
  return {
    async settled() {
      while (done < started) await new Promise<void>((resolve) => waiters.push(resolve));
      return started;
    },
  };
}

export interface PlayedScenario {
  player: Page;
  popup: Page;
  pageUrl: string;
  view: PopupView;
  /** What the player page ended with. */
  playerState: { fatal?: string | null; ended?: boolean; error?: string | null; fragLoaded?: string[] };
}

/**
 * Opens the scenario's stream in a new tab (hls.js or native <video>), waits until the player is
 * done and every request it made has settled, opens the popup for that tab and waits until it lists
 * them all (and, when given, names the causes). `pass` keeps URLs apart when one lab is played twice.
 */
export async function playScenario(
  browser: ChromiumWithExtension,
  pageServer: RunningServer,
  lab: Lab,
  scenario: LabScenario,
  options: { pass?: string; waitForCauses?: readonly string[]; onPlayerPage?: (player: Page) => Promise<void> } = {},
): Promise<PlayedScenario> {
  const player = await browser.context.newPage();
  // Before the first request (e.g. a DevTools-protocol session that records Chromium's own verdicts).
  await options.onPlayerPage?.(player);
  const requests = trackRequests(player, lab.origin);
  if (scenario.playerSetup) await player.addInitScript({ content: initScript(lab.origin, scenario.video, scenario.playerSetup) });
  const src = `${lab.origin}${scenario.video}stream.m3u8`;
  const pageName = scenario.player === 'native' ? 'native.html' : 'hls.html';
  const pageUrl = `${pageServer.origin}/${pageName}?scenario=${encodeURIComponent(scenario.id)}&pass=${options.pass ?? '1'}&src=${encodeURIComponent(src)}`;
  await player.goto(pageUrl);
  await waitForPlayerDone(player);
  const count = await requests.settled();
  const playerState = (await player.evaluate('window.__player')) as PlayedScenario['playerState'];
  const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
  const popup = await openPopup(browser.context, browser.extensionId, tabId);
  await popup.waitForFunction((expected) => document.querySelectorAll('[data-testid="request-row"]').length >= expected, count, { timeout: 20_000 });
  const causes = options.waitForCauses ?? [];
  if (causes.length > 0) {
    // The report is rendered with the rows; wait a little for the cards, then read whatever is there.
    await popup
      .waitForFunction((wanted) => wanted.every((cause) => document.querySelector(`[data-testid="finding"][data-cause="${cause}"]`) !== null), causes, { timeout: 5_000 })
      .catch(() => undefined);
  }
  return { player, popup, pageUrl, view: await readPopup(popup), playerState };
}
