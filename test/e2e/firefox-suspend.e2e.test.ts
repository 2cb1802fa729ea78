/**
 * Firefox's MV3 background is an event page that Firefox suspends when idle (30 s by default; 1 s
 * here through the extensions.background.idle.timeout pref). After a suspension the log of the
 * earlier page must be restored, and requests after it recorded by the new instance.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefoxWithExtension, openExtensionPage, pollPage, pollUntil, type FirefoxWithExtension } from './support/firefox.ts';
import { readPopup } from './support/popup.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';

let firefox: FirefoxWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  firefox = await launchFirefoxWithExtension(undefined, { extraPrefs: { 'extensions.background.idle.timeout': 1000 } });
});

afterAll(async () => {
  await firefox?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

async function play(prefix: string): Promise<string> {
  const player = await firefox.browser.newPage();
  const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/${prefix}/stream.m3u8`)}`;
  await player.goto(pageUrl);
  await pollPage(player, () => (window as unknown as { __player: { done: boolean } }).__player.done, (done) => done, 60_000);
  return pageUrl;
}

async function rowsOf(probe: Page, pageUrl: string, expected: number) {
  const tabId = await probe.evaluate(async (url: string) => {
    const tabs = await (globalThis as unknown as { browser: typeof chrome }).browser.tabs.query({});
    return tabs.find((tab) => tab.url === url)?.id ?? null;
  }, pageUrl);
  const popup = await firefox.browser.newPage();
  await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html?tabId=${tabId}`);
  const view = await pollUntil(() => readPopup(popup), (v) => v.rows.length >= expected);
  await popup.close();
  return view;
}

describe('Firefox event page suspension', () => {
  test('the log of before the suspension is restored; requests after it are recorded', async () => {
    const before = await play('ff-before');
    // A page without a port to the background, to watch it: getBackgroundPage() is null while suspended.
    const probe = await firefox.browser.newPage();
    await openExtensionPage(probe, `${firefox.extensionBase}/src/ui/devtools/devtools.html`);
    await pollUntil(
      () => probe.evaluate(() => (globalThis as unknown as { browser: { extension: { getBackgroundPage(): unknown } } }).browser.extension.getBackgroundPage() === null),
      (suspended) => suspended,
      20_000,
    );
    const after = await play('ff-after');
    const servedUnder = (prefix: string) => mediaServer.requests.filter((r) => r.path.startsWith(`/${prefix}/`)).length;
    const beforeView = await rowsOf(probe, before, 5);
    const afterView = await rowsOf(probe, after, 5);
    // Firefox may answer hls.js's retry of segment2 from its HTTP cache, so count rows, not server hits.
    expect(beforeView.rows).toHaveLength(5);
    expect(afterView.rows).toHaveLength(5);
    expect(servedUnder('ff-before')).toBeGreaterThanOrEqual(4);
    for (const view of [beforeView, afterView]) expect(view.rows.filter((row) => row.outcome === 'fail').map((row) => row.file)).toEqual(['segment2.ts', 'segment2.ts']);
  });
});
