/**
 * "Record every page" in Chromium (src/platform/settings.ts, the checkbox in TabView's header): off by
 * default, shown next to Preserve log once read (without moving it), stored in storage.local when
 * ticked, followed by every open view, and read again by a view opened later.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, openPopup, tabIdOf, type ChromiumWithExtension } from './support/chromium.ts';
import { startPageServer, type RunningServer } from './support/servers.ts';

let browser: ChromiumWithExtension;
let pageServer: RunningServer;

beforeAll(async () => {
  pageServer = await startPageServer();
  browser = await launchChromiumWithExtension(undefined, { recordEveryPage: false });
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
});

/** Keeps where Preserve log was first drawn, to compare with where it is once the new checkbox is shown. */
const WATCH_PRESERVE_LOG = `(() => {
  const observer = new MutationObserver(() => {
    const box = document.querySelector('[data-testid="preserve-log"]');
    if (!box) return;
    observer.disconnect();
    const rect = box.getBoundingClientRect();
    window.__preserveLogAt = [rect.x, rect.y];
    window.__recordEveryPageAtFirst = document.querySelector('[data-testid="record-every-page"]') !== null;
  });
  observer.observe(document, { childList: true, subtree: true });
})()`;

async function storedSetting(): Promise<unknown> {
  return browser.serviceWorker.evaluate(async () => (await chrome.storage.local.get('recordEveryPage')).recordEveryPage);
}

const isChecked = (view: Page) => view.isChecked('[data-testid="record-every-page"]');

describe('Record every page (Chromium)', () => {
  test('off by default; ticked in the popup it is stored, the open panel follows, a popup opened later shows it', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${pageServer.origin}/blank.html`);
    const tabId = await tabIdOf(browser.serviceWorker, `${pageServer.origin}/blank.html`);

    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 800, height: 600 });
    await popup.addInitScript(WATCH_PRESERVE_LOG);
    await popup.goto(`chrome-extension://${browser.extensionId}/src/ui/popup/popup.html?tabId=${tabId}`);
    await popup.waitForSelector('[data-testid="record-every-page"]');
    expect(await storedSetting()).toBeUndefined();
    expect(await isChecked(popup)).toBe(false);
    // Its label and tooltip, next to Preserve log, which it did not move when it appeared after the first frame.
    const label = popup.locator('label', { has: popup.locator('[data-testid="record-every-page"]') });
    expect((await label.innerText()).trim()).toBe('Record every page');
    expect(await label.getAttribute('title')).toMatch(/^Read the headers of every tab's requests, all the time\. .*5 minutes/);
    expect(await popup.$$eval('.actions input[type="checkbox"]', (boxes) => boxes.map((box) => box.getAttribute('data-testid')).slice(0, 2))).toEqual(['record-every-page', 'preserve-log']);
    expect(await popup.evaluate('window.__recordEveryPageAtFirst')).toBe(false);
    const preserveLogNow = await popup.$eval('[data-testid="preserve-log"]', (box) => [box.getBoundingClientRect().x, box.getBoundingClientRect().y]);
    expect(preserveLogNow).toEqual(await popup.evaluate('window.__preserveLogAt'));

    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=${tabId}`);
    await panel.waitForSelector('[data-testid="record-every-page"]');
    expect(await isChecked(panel)).toBe(false);

    await popup.bringToFront();
    await popup.click('[data-testid="record-every-page"]');
    expect(await isChecked(popup)).toBe(true);
    await expect.poll(storedSetting).toBe(true);
    await panel.waitForSelector('[data-testid="record-every-page"]:checked');

    const later = await openPopup(browser.context, browser.extensionId, tabId);
    await later.waitForSelector('[data-testid="record-every-page"]:checked');

    await panel.bringToFront();
    await panel.click('[data-testid="record-every-page"]');
    await expect.poll(storedSetting).toBe(false);
    await popup.waitForSelector('[data-testid="record-every-page"]:not(:checked)');
    await later.waitForSelector('[data-testid="record-every-page"]:not(:checked)');
    expect(await popup.$('[data-testid="record-every-page-failed"]')).toBeNull();

    for (const page of [later, panel, popup, tab]) await page.close();
  });
});
