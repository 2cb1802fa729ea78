import { browser, type Storage } from './browser.ts';

/**
 * "Record every page": the user's choice to keep Chromium's header listeners (the ones asking for
 * 'extraHeaders', which slow every request of every tab) added all the time. Off by default: the
 * background then adds them only while a CORS Lens view is open and for a few minutes after a tab
 * requested media. Kept in storage.local, across browser restarts; this module is the only one that
 * reads or writes it.
 */
export const RECORD_EVERY_PAGE_KEY = 'recordEveryPage';

/** Whether the user turned "Record every page" on; false when never set, set to anything but true, or storage cannot be read. */
export async function readRecordEveryPage(): Promise<boolean> {
  try {
    const items = await browser.storage.local.get(RECORD_EVERY_PAGE_KEY);
    return items[RECORD_EVERY_PAGE_KEY] === true;
  } catch (error) {
    console.error('CORS Lens: could not read the "Record every page" setting', error);
    return false;
  }
}

/** Stores the user's choice (rejects when storage refuses it). */
export async function setRecordEveryPage(on: boolean): Promise<void> {
  await browser.storage.local.set({ [RECORD_EVERY_PAGE_KEY]: on });
}

/**
 * Calls `listener` with the new value whenever the setting changes in storage.local (from any page of
 * the extension, this one too); removing the key reads as off. Returns the function that stops it.
 * storage.local's own event, not storage.onChanged: that one hands every listening page each
 * storage.session write of the request log with its old and new values (a live view paid about a
 * millisecond per update to receive them).
 */
export function onRecordEveryPageChanged(listener: (on: boolean) => void): () => void {
  const changed = (changes: Record<string, Storage.StorageChange>) => {
    if (!Object.hasOwn(changes, RECORD_EVERY_PAGE_KEY)) return;
    listener(changes[RECORD_EVERY_PAGE_KEY]!.newValue === true);
  };
  browser.storage.local.onChanged.addListener(changed);
  return () => browser.storage.local.onChanged.removeListener(changed);
}
