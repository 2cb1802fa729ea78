import type { TabLogResponse } from '../view/protocol.ts';
import type { TabLogStore } from './store.ts';
import type { TabViews } from './view.ts';

/**
 * Everything of a tab's log, for an export (`get-tab-log`). The totals are the ones the views and the
 * toolbar badge show (TabViews.shownTotals: rows page evidence decided counted as decided), not the
 * store's arrival counts, so an export says what the popup said (docs/exports.md).
 */
export function tabLogOf(tabId: number, store: TabLogStore, views: TabViews): TabLogResponse {
  // The report first: working it out brings the tab's view, page evidence included, up to date, and
  // the shown totals are read from that view.
  const report = views.report(tabId);
  const tab = store.tab(tabId);
  return {
    tabId,
    pageUrl: tab?.pageUrl ?? null,
    records: store.records(tabId),
    report,
    evicted: store.evictedCount(tabId),
    totals: views.shownTotals(tabId),
    preserveLog: tab?.preserveLog ?? false,
    storageError: store.lastWriteError,
  };
}
