import { browser } from './browser.ts';

// TEMPORARY stand-in until the toggle branch lands (same contract).
export const RECORD_EVERY_PAGE_KEY = 'recordEveryPage';

export async function readRecordEveryPage(): Promise<boolean> {
  try {
    return (await browser.storage.local.get(RECORD_EVERY_PAGE_KEY))[RECORD_EVERY_PAGE_KEY] === true;
  } catch (error) {
    console.error('CORS Lens: could not read a setting', error);
    return false;
  }
}

export async function setRecordEveryPage(on: boolean): Promise<void> {
  await browser.storage.local.set({ [RECORD_EVERY_PAGE_KEY]: on });
}

export function onRecordEveryPageChanged(listener: (on: boolean) => void): () => void {
  const changed = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && RECORD_EVERY_PAGE_KEY in changes) listener(changes[RECORD_EVERY_PAGE_KEY]!.newValue === true);
  };
  browser.storage.onChanged.addListener(changed);
  return () => browser.storage.onChanged.removeListener(changed);
}
