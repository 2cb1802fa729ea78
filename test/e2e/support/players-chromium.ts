/**
 * Player e2e in Chromium, checked against Chromium's own verdict: a CDP session on the player's page
 * records every request to the media origin and how it ended (`Network.loadingFinished`, or
 * `Network.loadingFailed` with `corsErrorStatus`); the popup's row for each request must say the same
 * (docs/lab.md#players).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { openPopup, tabIdOf, type ChromiumWithExtension } from './chromium.ts';
import { playerPageUrl, readPlayerState, readPopupRequestRows, type PlayerId, type PlayerPageOptions, type PlayerState, type PopupRequestRow } from './players.ts';
import { waitForRows } from './recording.ts';

/** How Chromium ended one request: the CORS verdict it implies. */
export type ChromiumEnd =
  | { kind: 'pending' }
  /** Finished; `corsMode` from the headers sent (Origin or sec-fetch-mode: cors), null when Chromium did not say (a cache hit). */
  | { kind: 'finished'; corsMode: boolean | null }
  | { kind: 'cors-error'; corsError: string; errorText: string }
  /**
   * Failed for another reason than CORS: the network failed, or the page cancelled it (`canceled`,
   * CDP's own flag: the page's cancel reached the renderer before any outcome of the request did).
   */
  | { kind: 'network-error'; errorText: string; canceled: boolean };

export interface ChromiumRequest {
  requestId: string;
  url: string;
  method: string;
  range: string | null;
  end: ChromiumEnd;
}

interface CdpHeaders {
  [name: string]: string;
}

function headerOf(headers: CdpHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

export interface ChromiumNetworkWatch {
  /** The media origin's requests, in the order Chromium sent them. */
  requests(): ChromiumRequest[];
  /** Resolves once every request seen so far has ended (finished or failed). */
  settled(timeoutMs?: number): Promise<void>;
  detach(): Promise<void>;
}

/** Watches a page's requests to `mediaOrigin` over CDP. Attach before navigating. */
export async function watchChromiumNetwork(context: BrowserContext, page: Page, mediaOrigin: string): Promise<ChromiumNetworkWatch> {
  const cdp = await context.newCDPSession(page);
  const byId = new Map<string, ChromiumRequest>();
  const sentCorsMode = new Map<string, boolean>();
  const sentRange = new Map<string, string>();
  const wakers: Array<() => void> = [];
  const changed = () => {
    for (const wake of wakers.splice(0)) wake();
  };
  cdp.on('Network.requestWillBeSent', (event) => {
    if (!event.request.url.startsWith(`${mediaOrigin}/`)) return;
    byId.set(event.requestId, {
      requestId: event.requestId,
      url: event.request.url,
      method: event.request.method,
      range: headerOf(event.request.headers, 'range') ?? null,
      end: { kind: 'pending' },
    });
    changed();
  });
  // The headers actually sent (Origin and sec-fetch-mode are added after requestWillBeSent).
  cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
    const mode = headerOf(event.headers, 'sec-fetch-mode');
    sentCorsMode.set(event.requestId, headerOf(event.headers, 'origin') !== undefined || mode === 'cors');
    const range = headerOf(event.headers, 'range');
    if (range !== undefined) sentRange.set(event.requestId, range);
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = byId.get(event.requestId);
    if (!request) return;
    request.end = { kind: 'finished', corsMode: sentCorsMode.get(event.requestId) ?? null };
    changed();
  });
  cdp.on('Network.loadingFailed', (event) => {
    const request = byId.get(event.requestId);
    if (!request) return;
    request.end = event.corsErrorStatus
      ? { kind: 'cors-error', corsError: event.corsErrorStatus.corsError, errorText: event.errorText }
      : { kind: 'network-error', errorText: event.errorText, canceled: event.canceled === true };
    changed();
  });
  await cdp.send('Network.enable');
  // A media element's Range header is added below the page: only the headers actually sent show it.
  const requests = () => [...byId.values()].map((request) => ({ ...request, range: request.range ?? sentRange.get(request.requestId) ?? null }));
  return {
    requests,
    settled: (timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const pending = requests().filter((request) => request.end.kind === 'pending');
          reject(new Error(`Chromium did not end ${pending.length} request(s) within ${timeoutMs} ms: ${pending.map((request) => request.url).join(', ')}`));
        }, timeoutMs);
        const check = () => {
          if (requests().every((request) => request.end.kind !== 'pending')) {
            clearTimeout(timer);
            resolve();
          } else wakers.push(check);
        };
        check();
      }),
    detach: () => cdp.detach(),
  };
}

/** Chromium's verdict on one request, in the popup's terms ('fail <CorsError>', 'pass', 'not-applicable'). */
export function chromiumVerdictOf(request: ChromiumRequest): string {
  switch (request.end.kind) {
    case 'cors-error':
      return `fail ${request.end.corsError}`;
    case 'finished':
      return request.end.corsMode === null ? 'completed' : request.end.corsMode ? 'pass' : 'not-applicable';
    case 'network-error':
      return `no CORS error (${request.end.errorText}${request.end.canceled ? ', canceled by the page' : ''})`;
    case 'pending':
      return 'pending';
  }
}

function popupVerdictOf(row: PopupRequestRow): string {
  return row.outcome === 'fail' ? `fail ${row.chromiumError ?? '(no error name)'}` : row.outcome;
}

/**
 * Whether the popup's verdict is Chromium's. A CORS error must be named exactly; a CORS request that
 * finished must pass, a no-cors one be not-applicable; a request Chromium failed for another reason
 * or finished from its cache without saying what it sent may be anything but a CORS failure.
 *
 * One exception, Chromium's own race (docs/capture.md#cancelled): a request the page cancelled while
 * its response was on the way can still reach Chromium's CORS check, which the extension's webRequest
 * listeners then report as `net::ERR_FAILED` after the response headers; CDP only says `canceled`.
 * Such a request may be failed with the CORS error Chromium named for another request of the same URL
 * in the same play (the same response headers), and with no other.
 */
function agrees(chromium: ChromiumRequest, row: PopupRequestRow, namedForUrl: ReadonlySet<string>): boolean {
  const ours = popupVerdictOf(row);
  switch (chromium.end.kind) {
    case 'cors-error':
      return ours === chromiumVerdictOf(chromium);
    case 'finished':
      return chromium.end.corsMode === null ? ours === 'pass' || ours === 'not-applicable' : ours === chromiumVerdictOf(chromium);
    case 'network-error':
      return row.outcome !== 'fail' || (chromium.end.canceled && namedForUrl.has(ours));
    case 'pending':
      return false;
  }
}

export interface VerdictComparison {
  /** One line per request whose verdicts differ, or that only one side lists. */
  disagreements: string[];
  /** Chromium's verdicts, counted ('fail MissingAllowOriginHeader': 2, 'pass': 9). */
  tally: Record<string, number>;
  compared: number;
}

/**
 * Pairs each of Chromium's requests with a popup row of the same URL (a URL requested several times,
 * as retries or ranges, pairs agreeing verdicts first) and lists every disagreement.
 */
export function compareWithChromium(chromium: readonly ChromiumRequest[], rows: readonly PopupRequestRow[]): VerdictComparison {
  const unpaired = [...rows];
  const disagreements: string[] = [];
  const tally: Record<string, number> = {};
  const leftover: ChromiumRequest[] = [];
  const namedForUrl = (url: string) =>
    new Set(chromium.filter((request) => request.url === url && request.end.kind === 'cors-error').map((request) => chromiumVerdictOf(request)));
  for (const request of chromium) {
    const verdict = chromiumVerdictOf(request);
    tally[verdict] = (tally[verdict] ?? 0) + 1;
    const index = unpaired.findIndex((row) => row.url === request.url && agrees(request, row, new Set()));
    if (index === -1) leftover.push(request);
    else unpaired.splice(index, 1);
  }
  // Exact agreements first, so a cancelled request cannot take the row of a request Chromium blocked.
  for (const request of leftover.splice(0)) {
    const index = unpaired.findIndex((row) => row.url === request.url && agrees(request, row, namedForUrl(request.url)));
    if (index === -1) leftover.push(request);
    else unpaired.splice(index, 1);
  }
  for (const request of leftover) {
    const index = unpaired.findIndex((row) => row.url === request.url);
    const row = index === -1 ? undefined : unpaired.splice(index, 1)[0];
    const range = request.range ? ` (Range ${request.range})` : '';
    disagreements.push(`${request.method} ${request.url}${range}: Chromium ${chromiumVerdictOf(request)}; popup ${row ? popupVerdictOf(row) : 'no row'}`);
  }
  for (const row of unpaired) disagreements.push(`${row.url}: popup ${popupVerdictOf(row)}; Chromium no request`);
  return { disagreements, tally, compared: chromium.length };
}

export interface ChromiumPlay {
  player: Page;
  popup: Page;
  state: PlayerState;
  requests: ChromiumRequest[];
  rows: PopupRequestRow[];
  comparison: VerdictComparison;
}

/**
 * Plays `src` with a player page in a new tab until the player is done, waits until Chromium ended
 * every request to the media origin, opens the tab's popup, waits until it lists as many rows, and
 * compares the two. The caller closes `player` and `popup`.
 */
export async function playAndCompare(
  browser: ChromiumWithExtension,
  pageOrigin: string,
  mediaOrigin: string,
  player: PlayerId,
  src: string,
  options: PlayerPageOptions = {},
): Promise<ChromiumPlay> {
  const page = await browser.context.newPage();
  const network = await watchChromiumNetwork(browser.context, page, mediaOrigin);
  const pageUrl = playerPageUrl(pageOrigin, player, src, options);
  await page.goto(pageUrl);
  await page.waitForFunction(() => (window as unknown as { __player?: { done: boolean } }).__player?.done === true, null, { timeout: 60_000 }).catch(async (error: unknown) => {
    // Say where the player stood: what it reported, and where its <video> was.
    const state = await readPlayerState(page).catch(() => null);
    const video = await page
      .evaluate(() => {
        const element = document.querySelector('video');
        if (!element) return null;
        const buffered = [...Array(element.buffered.length).keys()].map((at) => `${element.buffered.start(at).toFixed(2)}-${element.buffered.end(at).toFixed(2)}`);
        return { currentTime: element.currentTime, duration: element.duration, paused: element.paused, readyState: element.readyState, networkState: element.networkState, buffered, error: element.error?.message ?? null };
      })
      .catch(() => null);
    throw new Error(`${player} did not finish ${src}: ${String(error)}\nvideo: ${JSON.stringify(video)}\nplayer: ${JSON.stringify(state)}`);
  });
  const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
  const popup = await openPopup(browser.context, browser.extensionId, tabId);
  // The player stopped loading when done; a request still on its way is compared too.
  let requests: ChromiumRequest[];
  let rows: PopupRequestRow[];
  do {
    await network.settled();
    requests = network.requests();
    const seen = requests;
    await waitForRows(popup, seen.length, { served: () => seen.map((request) => `${request.url} ${chromiumVerdictOf(request)}`) });
    rows = await readPopupRequestRows(popup);
  } while (network.requests().length !== requests.length);
  await network.detach();
  // The popup updates live: a row may still show a request before the extension heard how it ended
  // (its headers alone, then ERR). Re-read until the two agree or the deadline; what is left is a disagreement.
  let comparison = compareWithChromium(requests, rows);
  for (const deadline = Date.now() + 5_000; comparison.disagreements.length > 0 && Date.now() < deadline; ) {
    await popup.waitForTimeout(100);
    rows = await readPopupRequestRows(popup);
    comparison = compareWithChromium(requests, rows);
  }
  const state = (await readPlayerState(page)) as PlayerState;
  return { player: page, popup, state, requests, rows, comparison };
}
