import type { Report, RequestRecord } from '../engine/model.ts';
import type { TabTotals } from './store.ts';

/** Messages a view (popup, DevTools panel) sends to the background. */
export type ViewToBackgroundMessage =
  | { type: 'get-tab-log'; tabId: number }
  | { type: 'clear-tab-log'; tabId: number }
  | { type: 'set-preserve-log'; tabId: number; preserve: boolean }
  | { type: 'retest'; tabId: number; recordId: string };

/** The background's answer to a re-test request. */
export type RetestResponse = { ok: true; url: string; status: number } | { ok: false; error: string };

/** Broadcast by the background when a tab's log changed, so open views refresh. */
export interface TabLogChangedMessage {
  type: 'tab-log-changed';
  tabId: number;
}

export interface TabLogResponse {
  tabId: number;
  pageUrl: string | null;
  records: readonly RequestRecord[];
  report: Report;
  /** Exact counts for the page load, including records whose detail was evicted. */
  totals: TabTotals;
  /** Records of this page load dropped by the per-tab cap. */
  evicted: number;
  /** Keep the log across the tab's top-level navigations. */
  preserveLog: boolean;
  /** The last storage error, if the latest write failed (the log in memory is still complete). */
  storageError: string | null;
}

export function isViewMessage(message: unknown): message is ViewToBackgroundMessage {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as { type?: unknown; tabId?: unknown };
  if (typeof candidate.tabId !== 'number') return false;
  if (candidate.type === 'set-preserve-log') return typeof (message as { preserve?: unknown }).preserve === 'boolean';
  if (candidate.type === 'retest') return typeof (message as { recordId?: unknown }).recordId === 'string';
  return candidate.type === 'get-tab-log' || candidate.type === 'clear-tab-log';
}

export function isTabLogChanged(message: unknown): message is TabLogChangedMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'tab-log-changed';
}

const PORT_PREFIX = 'tab-log:';

/** Views keep a port named after the tab they show; the background pushes TabLogChangedMessage on it. */
export function tabLogPortName(tabId: number): string {
  return `${PORT_PREFIX}${tabId}`;
}

export function tabIdOfPortName(name: string): number | null {
  if (!name.startsWith(PORT_PREFIX)) return null;
  const id = Number(name.slice(PORT_PREFIX.length));
  return Number.isInteger(id) ? id : null;
}
