/**
 * End to end in real Firefox ESR: the same hls.js stream as the Chromium test. Firefox reports the
 * CORS-blocked segment as a normal onCompleted 200 (docs/capture.md#firefox-blocked); the popup must still
 * flag exactly that segment from its headers, with the reason, and decide the others from the page.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchFirefoxWithExtension, openExtensionPage, openPopupForTab, pollPage, pollUntil, type FirefoxWithExtension } from './support/firefox.ts';
import { artifactPath } from './support/artifacts.ts';
import { readPopup } from './support/popup.ts';
import { servedPathsUnder } from './support/recording.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';

let firefox: FirefoxWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  firefox = await launchFirefoxWithExtension();
});

afterAll(async () => {
  await firefox?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

describe('Firefox', () => {
  test('hls.js: exactly the segment without ACAO is flagged, with its reason', async () => {
    const player = await firefox.browser.newPage();
    const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/hlsjs/stream.m3u8`)}`;
    await player.goto(pageUrl);
    const playerState = await pollPage(
      player,
      () => (window as unknown as { __player: { done: boolean; fatal: string | null; fragLoaded: string[] } }).__player,
      (state) => state.done,
      60_000,
    );
    expect(playerState.fatal).toBe('fragLoadError');
    expect(playerState.fragLoaded).toEqual(expect.arrayContaining(['segment0.ts', 'segment1.ts']));

    const popup = await openPopupForTab(firefox, pageUrl);
    // hls.js fetched the playlist, segments 0 and 1, and segment2 twice (the retry may come from Firefox's cache).
    const view = await pollUntil(() => readPopup(popup), (v) => v.rows.length >= 5 && v.rows.filter((r) => r.outcome === 'fail').length >= 2 && v.rows.every((r) => r.outcome !== 'unknown'));
    expect(view.pageOrigin).toBe(pageServer.origin);
    expect(view.rows).toHaveLength(5);
    const failing = view.rows.filter((row) => row.outcome === 'fail');
    expect(failing.map((row) => row.file)).toEqual(['segment2.ts', 'segment2.ts']);
    expect(view.rows.slice(0, 2).map((row) => row.outcome)).toEqual(['fail', 'fail']);
    for (const row of failing) {
      expect(row.reason).toContain('no Access-Control-Allow-Origin header');
      expect(row.cells).toContain('200');
    }
    // Firefox completes blocked and allowed requests alike, so ACAO "*" without credentials visible on the
    // wire is open from the headers; the page's Resource Timing decides it (docs/capture.md#firefox-evidence).
    expect(view.rows.filter((row) => row.outcome === 'unknown')).toEqual([]);
    const passed = view.rows.filter((row) => row.outcome === 'pass');
    expect(passed.map((row) => row.file).sort()).toEqual(['segment0.ts', 'segment1.ts', 'stream.m3u8']);
    for (const row of passed) {
      expect(row.cells[0]).toBe('Passed (inferred)');
      expect(row.reason).toContain('Resource Timing responseStatus 200');
    }
    expect(view.failing).toBe('2 rejected by CORS');
    // The card says a try got the browser's stored copy exactly when a try never reached the server
    // (Firefox may answer hls.js's retry from its cache, and then reports fromCache: docs/capture.md#events).
    const withCard = await pollUntil(() => readPopup(popup), (v) => v.findings.some((finding) => finding.message !== ''));
    const said = withCard.findings.find((finding) => finding.message !== '')!.message;
    const reachedServer = servedPathsUnder(mediaServer, '/hlsjs/').filter((served) => served.endsWith('/segment2.ts')).length;
    expect({ reachedServer, saysBrowserCopy: said.includes("the browser's own stored copy") }).toEqual({ reachedServer, saysBrowserCopy: reachedServer < failing.length });
    await popup.screenshot({ path: artifactPath('popup-firefox-hls.png') });
  });

  test('re-test: sent from the frame’s document in the isolated world (the page’s fetch override is not used), labelled by the listeners', async () => {
    const player = await firefox.browser.newPage();
    const pageUrl = `${pageServer.origin}/blank.html?retest`;
    await player.goto(pageUrl);
    await player.evaluate((url: string) => fetch(url).catch(() => undefined), `${mediaServer.origin}/ffretest/segment2.ts`);
    await player.evaluate(() => {
      const page = window as unknown as { __calls: number };
      page.__calls = 0;
      window.fetch = async () => {
        page.__calls++;
        return new Response('', { status: 200 });
      };
    });
    const popup = await openPopupForTab(firefox, pageUrl);
    await pollUntil(() => readPopup(popup), (view) => view.rows.some((row) => row.outcome === 'fail'));
    const before = mediaServer.requests.length;
    await popup.evaluate(() => (document.querySelector('[data-testid="request-row"][data-outcome="fail"]') as HTMLElement).click());
    await pollPage(popup, () => document.querySelector('[data-testid="retest"]') !== null, (present) => present);
    await popup.evaluate(() => (document.querySelector('[data-testid="retest"]') as HTMLElement).click());
    const conclusion = await pollPage(
      popup,
      () => document.querySelector('[data-testid="retest-comparison"]')?.getAttribute('data-conclusion') ?? null,
      (value) => value !== null,
    );
    expect(conclusion).toBeTruthy();
    const sent = mediaServer.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ path: '/ffretest/segment2.ts', headers: { origin: pageServer.origin } });
    expect(await player.evaluate(() => (window as unknown as { __calls: number }).__calls)).toBe(0);
    const view = await readPopup(popup);
    expect(view.rows.filter((row) => row.cells[1]?.includes('re-test'))).toHaveLength(1);
    await popup.close();
    await player.close();
  });

  test('a beacon (navigator.sendBeacon, which Firefox types "beacon") is recorded: it and its failed CORS preflight are in the popup', async () => {
    const player = await firefox.browser.newPage();
    const pageUrl = `${pageServer.origin}/blank.html?beacon`;
    await player.goto(pageUrl);
    const before = mediaServer.requests.length;
    // A JSON body is not a CORS-safelisted type, so the beacon goes in CORS mode and is preflighted.
    const queued = await player.evaluate(
      (url: string) => navigator.sendBeacon(url, new Blob(['{"cmcd":1}'], { type: 'application/json' })),
      `${mediaServer.origin}/ffbeacon/cmcd`,
    );
    expect(queued).toBe(true);
    await pollUntil(
      async () => mediaServer.requests.slice(before).filter((request) => request.path === '/ffbeacon/cmcd'),
      (requests) => requests.length > 0,
    );
    const popup = await openPopupForTab(firefox, pageUrl);
    const view = await pollUntil(() => readPopup(popup), (v) => v.rows.some((row) => row.file === 'cmcd'));
    const served = mediaServer.requests.slice(before).filter((request) => request.path === '/ffbeacon/cmcd');
    expect(served.map((request) => request.method)).toEqual(['OPTIONS']);
    // The server answers the preflight 404 without CORS headers, so the browser never sends the beacon:
    // the preflight and the beacon it stopped are both rejected, for the preflight's reason.
    const beaconRows = view.rows.filter((row) => row.file === 'cmcd');
    expect(beaconRows.map((row) => [row.kind, row.outcome]).sort()).toEqual([['cors-request', 'fail'], ['preflight', 'fail']]);
    for (const row of beaconRows) expect(row.reason).toContain('preflight (OPTIONS) response has no Access-Control-Allow-Origin');
    await popup.close();
    await player.close();
  });

  test('a CORS request the page cancels before any response (NS_BINDING_ABORTED): "Cancelled", neither rejected nor undetermined', async () => {
    const slowMedia = await startMediaServer({ withoutAllowOrigin: new Set(), segmentDelayMs: 20_000 });
    try {
      const page = await firefox.browser.newPage();
      const pageUrl = `${pageServer.origin}/blank.html?cancel`;
      await page.goto(pageUrl);
      await page.evaluate((target: string) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', target);
        xhr.send();
        (window as unknown as { __xhr: XMLHttpRequest }).__xhr = xhr;
      }, `${slowMedia.origin}/cancel/segment1.ts`);
      await pollUntil(async () => slowMedia.requests.some((request) => request.path === '/cancel/segment1.ts'), (seen) => seen);
      await page.evaluate(() => (window as unknown as { __xhr: XMLHttpRequest }).__xhr.abort());
      const popup = await openPopupForTab(firefox, pageUrl);
      // A row may show before its ending reaches the background; wait for the ending (or fail on what shows).
      const view = await pollUntil(() => readPopup(popup), (v) => v.rows.some((row) => row.file === 'segment1.ts' && row.outcome !== 'unknown'), 20_000).catch(() => readPopup(popup));
      expect(view.rows.map((row) => [row.file, row.outcome, row.cells[0]])).toEqual([['segment1.ts', 'not-applicable', 'Cancelled']]);
      expect(view.rows[0]!.reason).toContain('the page ended this request before its response reached it');
      expect(view.failing).toBe('0 rejected by CORS');
      expect(await popup.evaluate(`document.querySelector('[data-testid="count-unknown"]') === null`)).toBe(true);
      await popup.close();
      await page.close();
    } finally {
      await slowMedia.close();
    }
  });

  test('without host access the popup says what it cannot see and offers to grant it', async () => {
    const popup = await firefox.browser.newPage();
    await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html`);
    const removed = await popup.evaluate(() =>
      (globalThis as unknown as { browser: typeof chrome }).browser.permissions.remove({ origins: ['<all_urls>'] }),
    );
    expect(removed).toBe(true);
    await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html?tabId=1`);
    const notice = await pollUntil(
      () => popup.evaluate(() => document.querySelector('[data-testid="access-missing"]')?.textContent ?? ''),
      (text) => text.length > 0,
    );
    expect(notice).toContain('no access');
    expect(await popup.evaluate(() => document.querySelector('[data-testid="grant-access"]')?.textContent)).toBe('Allow access to all sites');
    await popup.screenshot({ path: artifactPath('popup-firefox-access-missing.png') });
  });
});
