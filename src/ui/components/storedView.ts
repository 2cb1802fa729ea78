import { sessionArea } from '../../platform/storage.ts';
import type { LiveView } from '../../view/updates.ts';
import { isStoredMeta, metaKey, storedViewData, storedViewKeys } from '../../view/stored-log.ts';

/**
 * The tab's rows (and its diagnosis, when stored for these records) straight from storage.session,
 * without the background (src/view/stored-log.ts): what the view draws first, before a stopped service
 * worker has restored the whole log or a running one has sent its answer. Null when nothing usable is
 * stored or storage cannot be read here.
 */
export async function readStoredView(tabId: number): Promise<LiveView | null> {
  const area = sessionArea();
  const key = metaKey(tabId);
  const meta = (await area.get(key))[key];
  if (!isStoredMeta(meta)) return null;
  const items = await area.get(storedViewKeys(meta, tabId));
  return storedViewData(meta, items, tabId);
}
