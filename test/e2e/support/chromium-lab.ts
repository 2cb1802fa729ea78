/**
 * The set-up the lab's Chromium e2e files share: one page server and one Chromium with CORS Lens for
 * the whole file, started in beforeAll and closed in afterAll.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, openPopup, tabIdOf, type ChromiumWithExtension } from './chromium.ts';
import { artifactPath } from './artifacts.ts';
import { readPopup, type PopupView } from './popup.ts';
import { startPageServer, type RunningServer } from './servers.ts';

export interface ChromiumLabFile {
  /** Set once beforeAll has run. */
  browser: ChromiumWithExtension;
  pageServer: RunningServer;
}

/** Registers the file's beforeAll/afterAll; the returned object's fields are there once the tests run. */
export function chromiumForFile(): ChromiumLabFile {
  const file = {} as ChromiumLabFile;
  beforeAll(async () => {
    file.pageServer = await startPageServer();
    file.browser = await launchChromiumWithExtension();
  });
  afterAll(async () => {
    await file.browser?.close();
    await file.pageServer?.close();
  });
  return file;
}

/**
 * Opens the popup of the tab showing `pageUrl`, waits up to 15 s until it names every expected cause,
 * reads it and saves a screenshot (test-results/<screenshot>.png). The caller closes the popup.
 */
export async function popupNaming(browser: ChromiumWithExtension, pageUrl: string, expectedCauses: readonly string[], screenshot: string): Promise<{ popup: Page; view: PopupView }> {
  const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
  const popup = await openPopup(browser.context, browser.extensionId, tabId);
  await popup
    .waitForFunction((wanted) => wanted.every((cause) => document.querySelector(`[data-testid="finding"][data-cause="${cause}"]`) !== null), expectedCauses, { timeout: 15_000 })
    .catch(() => undefined);
  const view = await readPopup(popup);
  await popup.screenshot({ path: artifactPath(`${screenshot}.png`) });
  return { popup, view };
}
