/**
 * "No layout jumps while a stream plays" (docs/ux.md#no-layout-jumps), measured: the popup and the DevTools panel are
 * open on a tab while hls.js plays a stream whose segments arrive one after another (one rejected by
 * CORS, so a diagnosis card and failing rows appear mid-way). The browser's own Layout Instability
 * API (PerformanceObserver 'layout-shift', buffered) records every shift of the page; their sum is the
 * cumulative layout shift (CLS). Asserted: CLS ≤ 0.01. Rows that arrive while the view is open are
 * appended (rows.ts groupRowsInPlace), so the rejected segment does not push the list down; the
 * "Sort into groups" button then puts it first, which the test checks too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, openPopup, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from './support/chromium.ts';
import { artifactPath } from './support/artifacts.ts';
import { hlsPageUrl, servedPathsUnder, servedUnder, waitForRows } from './support/recording.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';

const MAX_CLS = 0.01;
/** At least this many rows must arrive while the shifts are recorded. */
const MIN_NEW_ROWS = 5;

let browser: ChromiumWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  // Segments answer slowly, so rows, counts and the diagnosis arrive over seconds, as in real playback.
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']), segmentDelayMs: 300 });
  browser = await launchChromiumWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

interface Shift {
  value: number;
  at: number;
  sources: string[];
}

/**
 * Plain JavaScript (source text: transpiler helpers do not exist in the page). Records every layout
 * shift not caused by input, from the page's load on (buffered), with the elements that moved.
 */
const OBSERVE_SHIFTS = `(() => {
  const shifts = (window.__layoutShifts = []);
  const describe = (node) => {
    if (!node || node.nodeType !== 1) return node ? node.nodeName : 'gone';
    const testId = node.getAttribute('data-testid');
    return node.tagName.toLowerCase() + (typeof node.className === 'string' && node.className.trim() ? '.' + node.className.trim().split(/\\s+/).join('.') : '') + (testId ? '[' + testId + ']' : '');
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      shifts.push({
        value: entry.value,
        at: Math.round(entry.startTime),
        sources: entry.sources.map((source) => describe(source.node) + ' ' + JSON.stringify([source.previousRect.x, source.previousRect.y, source.currentRect.x, source.currentRect.y])),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
})()`;

async function shiftsOf(page: Page): Promise<Shift[]> {
  // A frame makes the observer deliver what the last paint recorded.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  return (await page.evaluate('window.__layoutShifts')) as Shift[];
}

const cls = (shifts: Shift[]) => shifts.reduce((sum, shift) => sum + shift.value, 0);

/**
 * Opens `view` (popup or panel) on an empty tab, starts recording shifts, plays the stream in that
 * tab and waits until the view lists every request the media server answered.
 */
async function measureWhilePlaying(folder: string, open: (tabId: number) => Promise<Page>): Promise<{ view: Page; player: Page; shifts: Shift[]; rows: number }> {
  const player = await browser.context.newPage();
  await player.goto(`${pageServer.origin}/blank.html`);
  const tabId = await tabIdOf(browser.serviceWorker, `${pageServer.origin}/blank.html`);
  const view = await open(tabId);
  await view.waitForSelector('[data-testid="empty"]');
  await view.evaluate(OBSERVE_SHIFTS);
  await player.goto(hlsPageUrl(pageServer, mediaServer, `/${folder}/stream.m3u8`));
  // The view is the tab a person looks at: in front, so Chromium paints it (shifts are found at paint).
  await view.bringToFront();
  await waitForPlayerDone(player);
  const rows = servedUnder(mediaServer, `/${folder}/`);
  await waitForRows(view, rows, { served: () => servedPathsUnder(mediaServer, `/${folder}/`) });
  await view.waitForSelector('[data-testid="finding"]');
  const shifts = await shiftsOf(view);
  // The player's tab stays open until the view is done: closing it removes the tab's log, and the
  // view would then reload to an empty one.
  return { view, player, shifts, rows };
}

/** The measurement can see a jump: pushing the page's content down 40 px is recorded as a shift. */
async function expectAJumpIsSeen(view: Page): Promise<void> {
  const before = cls(await shiftsOf(view));
  await view.evaluate(() => {
    const spacer = document.createElement('div');
    spacer.style.height = '40px';
    document.body.prepend(spacer);
  });
  await view.waitForFunction((previous) => {
    const shifts = (window as unknown as { __layoutShifts: Array<{ value: number }> }).__layoutShifts;
    return shifts.reduce((sum, shift) => sum + shift.value, 0) > previous;
  }, before);
}

/** Measures `name` while the stream plays; checks and prints the figures. */
async function checkLayoutStability(name: string, open: (tabId: number) => Promise<Page>): Promise<void> {
  const { view, player, shifts, rows } = await measureWhilePlaying(`shift-${name}`, open);
  console.log(`${name}: ${rows} rows arrived; CLS ${cls(shifts).toFixed(4)} (${shifts.length} shifts)`, JSON.stringify(shifts));
  await view.screenshot({ path: artifactPath(`${name}-after-stream-layout.png`) });
  expect(rows).toBeGreaterThanOrEqual(MIN_NEW_ROWS);
  // Counts read as English: "1 request", never "1 requests" (the card here names one or two requests).
  const cardCounts = await view.locator('.finding-count').allInnerTexts();
  expect(cardCounts.length).toBeGreaterThan(0);
  for (const text of cardCounts) expect(text).toMatch(/^(1 request|[02-9]\d* requests|1\d+ requests)$/);
  expect(cls(shifts)).toBeLessThanOrEqual(MAX_CLS);
  // Before any click: shifts right after input are not counted, so this check must come first.
  await expectAJumpIsSeen(view);
  // What arrived while the view was open is listed in arrival order; asked to, the view groups it, rejected first.
  await view.waitForSelector('tr.group-head[data-group="arrived"]');
  // The view must be in front, where it gets frames to click in.
  await view.bringToFront();
  await view.click('[data-testid="regroup"]');
  await view.waitForSelector('tr.group-head[data-group="arrived"]', { state: 'detached' });
  expect(await view.$$eval('tr.group-head', (heads) => heads.map((head) => head.getAttribute('data-group')))).toEqual(expect.arrayContaining(['rejected']));
  expect(await view.$eval('tr.group-head', (head) => head.getAttribute('data-group'))).toBe('rejected');
  await view.screenshot({ path: artifactPath(`${name}-after-stream-regrouped.png`) });
  await view.close();
  await player.close();
}

describe('no layout jumps while a stream plays', () => {
  test('popup', () => checkLayoutStability('popup', (tabId) => openPopup(browser.context, browser.extensionId, tabId)));

  test('DevTools panel', () =>
    checkLayoutStability('panel', async (tabId) => {
      const panel = await browser.context.newPage();
      await panel.setViewportSize({ width: 1200, height: 800 });
      await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=${tabId}`);
      return panel;
    }));
});
