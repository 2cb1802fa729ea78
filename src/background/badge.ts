import { browser } from '../platform/browser.ts';

const FAILING_COLOR = '#c5221f';

/** Shows the number of failing requests on the tab's toolbar button (empty when none). */
export async function showFailingCount(tabId: number, failing: number): Promise<void> {
  try {
    await browser.action.setBadgeBackgroundColor({ tabId, color: FAILING_COLOR });
    await browser.action.setBadgeText({ tabId, text: failing > 0 ? String(failing) : '' });
  } catch {
    // The tab may have closed between the request and this update: nothing to show then.
  }
}
