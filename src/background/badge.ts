import { browser } from '../platform/browser.ts';
import { message } from '../platform/runtime.ts';
import type { TabTotals } from '../view/totals.ts';
import { toolbarBadgeOf, toolbarStateOf, UnconfirmedRequests, type ToolbarLog } from '../view/toolbar.ts';

/** Each log's requests undetermined only for their unseen credentials mode, counted as they arrive. */
const unconfirmed = new UnconfirmedRequests();

/**
 * Shows the tab's state on its toolbar button: no badge when no media request was captured, a check
 * mark when none was rejected, "?" when some could not be judged for a reason other than their unseen
 * credentials mode, else the number rejected. The tooltip says the same in words (screen readers read
 * it). `totals` are the ones the tab's views show (TabViews.shownTotals: rows decided by page evidence
 * counted as decided), so the badge and the popup's header agree; `log` and `arrivalUnknown` (the
 * store's log and its count of undetermined requests as they arrived) tell which undetermined ones
 * raise a doubt.
 */
export async function showToolbarState(tabId: number, totals: TabTotals, log: ToolbarLog | undefined, arrivalUnknown: number): Promise<void> {
  const doubtful = log ? unconfirmed.doubtful(log, arrivalUnknown) : arrivalUnknown;
  const badge = toolbarBadgeOf(toolbarStateOf(totals, doubtful));
  try {
    await browser.action.setBadgeBackgroundColor({ tabId, color: badge.color });
    // Chromium picks black or white text by itself; Firefox needs it set for the contrast we chose.
    await browser.action.setBadgeTextColor?.({ tabId, color: '#ffffff' });
    await browser.action.setBadgeText({ tabId, text: badge.text });
    await browser.action.setTitle({ tabId, title: message(badge.titleKey, badge.titleValue) });
  } catch {
    // The tab may have closed between the request and this update: nothing to show then.
  }
}
