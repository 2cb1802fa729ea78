import { sessionArea } from '../../platform/storage.ts';
import type { LiveView } from '../../view/updates.ts';
import { OVERSCAN_LINES } from './virtual.ts';
import { currentStoredSummary, firstReadKeys, firstScreenKey, firstScreenView, isStoredMeta, metaKey, rowsKey, storedChunksOf, storedViewData, summaryKey } from '../../view/stored-log.ts';

/**
 * What a view reads of the tab's log straight from storage.session, without the background
 * (src/view/stored-log.ts): `firstScreen`, from one small read, is what it draws first (null when no
 * usable first screen is stored); `rest()` reads every chunk's rows for the whole list (null when they
 * are not usable). A stopped service worker would restore the whole log before it answers, and a running
 * one would send every row.
 */
export interface StoredView {
  firstScreen: LiveView | null;
  rest: () => Promise<LiveView | null>;
}

/** The tab's stored view; null when nothing usable is stored or storage cannot be read here. */
export function readStoredView(tabId: number): Promise<StoredView | null> {
  if (prefetched?.tabId === tabId) {
    const { view } = prefetched;
    prefetched = undefined;
    return view;
  }
  return readFromStorage(tabId);
}

let prefetched: { tabId: number; view: Promise<StoredView | null> } | undefined;

/**
 * Starts reading the tab's stored view before the UI has rendered anything (the popup's entry), so the
 * storage read overlaps the first renders; the next readStoredView of that tab takes it.
 */
export function prefetchStoredView(tabId: number): void {
  const view = readFromStorage(tabId);
  view.catch(() => undefined); // read (and its failure handled) by readStoredView
  prefetched = { tabId, view };
}

/**
 * The shortest line the list draws (so the most lines a window can show), with the virtualiser's
 * overscan (virtual.ts): a window taller than the lines a stored first screen holds reads the whole
 * list before its first frame.
 */
const SHORTEST_LINE_PX = 16;

async function readFromStorage(tabId: number): Promise<StoredView | null> {
  const area = sessionArea();
  // One read: the meta, the first screen and the diagnosis (small keys, whatever the log's size).
  const items = await area.get(firstReadKeys(tabId));
  const meta = items[metaKey(tabId)];
  if (!isStoredMeta(meta)) return null;
  const stored = currentStoredSummary(meta, items[summaryKey(tabId)]);
  const first = firstScreenView(meta, items[firstScreenKey(tabId)], stored);
  const rowKeys = storedChunksOf(meta).map((chunk) => rowsKey(tabId, chunk));
  return { firstScreen: first && fitsWindow(first) ? first : null, rest: async () => storedViewData(meta, await area.get(rowKeys), tabId, stored) };
}

/** Whether the window shows no line past those the first screen holds (always, when it holds them all). */
function fitsWindow(view: LiveView): boolean {
  const first = view.data.firstScreen;
  if (!first) return false;
  const lines = first.groups.reduce((sum, group) => sum + 1 + group.rows.length, 0);
  return first.linesHeld === lines || first.linesHeld >= Math.ceil(window.innerHeight / SHORTEST_LINE_PX) + OVERSCAN_LINES;
}
