import { sessionArea } from '../../platform/storage.ts';
import type { LiveView } from '../../view/updates.ts';
import { isStoredMeta, metaKey, storedViewData, storedViewKeys } from '../../view/stored-log.ts';

/**
 * The tab's rows (and its diagnosis, when stored for these records) straight from storage.session,
 * without the background (src/view/stored-log.ts): what the view draws first, before a stopped service
 * worker has restored the whole log or a running one has sent its answer. Null when nothing usable is
 * stored or storage cannot be read here.
 */
export function readStoredView(tabId: number): Promise<LiveView | null> {
  if (prefetched?.tabId === tabId) {
    const { view } = prefetched;
    prefetched = undefined;
    return view;
  }
  return readFromStorage(tabId);
}

let prefetched: { tabId: number; view: Promise<LiveView | null> } | undefined;

/**
 * Starts reading the tab's stored view before the UI has rendered anything (the popup's entry), so the
 * storage reads overlap the first renders; the next readStoredView of that tab takes it.
 */
export function prefetchStoredView(tabId: number): void {
  const view = readFromStorage(tabId);
  view.catch(() => undefined); // read (and its failure handled) by readStoredView
  prefetched = { tabId, view };
}

async function readFromStorage(tabId: number): Promise<LiveView | null> {
  const area = sessionArea();
  const key = metaKey(tabId);
  const meta = (await area.get(key))[key];
  if (!isStoredMeta(meta)) return null;
  const items = await area.get(storedViewKeys(meta, tabId));
  return storedViewData(meta, items, tabId);
}
