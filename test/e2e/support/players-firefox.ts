/**
 * Player e2e in Firefox ESR (docs/lab.md#players-in-firefox). Firefox gives automation no CORS
 * verdict (no CDP, and the console's CORS errors are not delivered over BiDi), and its webRequest
 * reports a blocked response as a normal completed 200 (docs/capture.md#firefox-blocked). The ground
 * truth is therefore what the player itself reported per URL (players.ts `PlayerState`).
 */
import type { Page } from 'puppeteer-core';
import { openPopupFor, pollPage, pollUntil, type FirefoxWithExtension } from './firefox.ts';
import { playerPageUrl, readPlayerState, readPopupRequestRows, type PlayerId, type PlayerPageOptions, type PlayerState, type PopupRequestRow } from './players.ts';

export interface FirefoxPlay {
  player: Page;
  popup: Page;
  state: PlayerState;
  rows: PopupRequestRow[];
}

/** The popup of the tab showing `pageUrl`, opened in `popup` (one helper for every Firefox test). */
export { openPopupFor as openFirefoxPopupFor } from './firefox.ts';

/**
 * Plays `src` with a player page until the player is done, opens the tab's popup and waits until it
 * lists a row for every URL the player reported on (loaded or failed) and as many rows as the media
 * server answered (`served()`; Firefox may answer a retry of a blocked response from its cache, so
 * the popup may list more).
 */
export async function playInFirefox(
  firefox: FirefoxWithExtension,
  pageOrigin: string,
  player: PlayerId,
  src: string,
  served: () => number,
  options: PlayerPageOptions = {},
): Promise<FirefoxPlay> {
  const page = await firefox.browser.newPage();
  const pageUrl = playerPageUrl(pageOrigin, player, src, options);
  await page.goto(pageUrl);
  await pollPage(page, () => (window as unknown as { __player?: { done: boolean } }).__player?.done === true, (done) => done, 60_000);
  const state = (await readPlayerState(page)) as PlayerState;
  const reported = new Set(state.events.map((event) => event.url));
  const popup = await firefox.browser.newPage();
  await openPopupFor(firefox, popup, pageUrl);
  const rows = await pollUntil(
    () => readPopupRequestRows(popup),
    (listed) => listed.length >= served() && [...reported].every((url) => listed.some((row) => row.url === url)),
  );
  return { player: page, popup, state, rows };
}
