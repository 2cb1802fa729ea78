import { sessionArea } from '../../platform/storage.ts';
import type { TabViewData } from '../../view/model.ts';
import { isStoredMeta, metaKey, rowsKey, storedChunksOf, storedViewData } from '../../view/stored-log.ts';

/**
 * The tab's rows straight from storage.session, without the background (src/view/stored-log.ts): what
 * the view draws first when the service worker was stopped and must restore the whole log before it
 * can answer. Null when nothing usable is stored or storage cannot be read here.
 */
export async function readStoredView(tabId: number): Promise<TabViewData | null> {
  const area = sessionArea();
  const key = metaKey(tabId);
  const meta = (await area.get(key))[key];
  if (!isStoredMeta(meta)) return null;
  const items = await area.get(storedChunksOf(meta).map((chunk) => rowsKey(tabId, chunk)));
  const view = storedViewData(meta, items, tabId);
  return view === null ? null : { ...view, provisional: true };
}
