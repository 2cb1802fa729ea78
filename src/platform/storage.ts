import { browser } from './browser.ts';

/** storage.session: kept across service-worker restarts, cleared when the browser closes (docs/capture.md#storage-session). */
export interface SessionArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export function sessionArea(): SessionArea {
  const area = browser.storage.session;
  return {
    get: (keys) => area.get(keys),
    set: (items) => area.set(items),
    remove: (keys) => area.remove(keys),
  };
}

/** Both browsers reject an over-quota write whole; their messages differ (docs/capture.md#storage-session). */
export function isQuotaError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /quota/i.test(text);
}
