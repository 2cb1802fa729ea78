import type { Report, RequestRecord } from '../engine/model.ts';
import type { ViewSummary } from '../view/model.ts';
import type { TabTotals } from './store.ts';
import type { PackedRows } from './row-facts.ts';

/** Messages a view (popup, DevTools panel) sends to the background. */
export type ViewToBackgroundMessage =
  /** The whole log with its report (exports). */
  | { type: 'get-tab-log'; tabId: number }
  /** What the view shows (TabViewResponse); with `since`, only what changed after that version. */
  | { type: 'get-tab-view'; tabId: number; since?: ViewVersion }
  /** Full records (the detail view); ids no longer held are left out of the answer. */
  | { type: 'get-records'; tabId: number; recordIds: string[] }
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

export type { ViewSummary } from '../view/model.ts';

/** Which state of a tab's log a view holds: the log (a new page load is a new log) and the revision. */
export interface ViewVersion {
  logId: string;
  revision: number;
}

/** A tab's log as a view shows it; only what changed since the view's version when it names one. */
export interface TabViewResponse extends ViewVersion {
  tabId: number;
  /** True: `rows` is the whole list. False: `rows` are the rows added or re-judged since the view's revision. */
  full: boolean;
  pageUrl: string | null;
  /** Lowest seq still held: a view drops its rows below it (evicted). */
  firstSeq: number;
  rows: PackedRows;
  pageOrigin: string | null;
  /** False while the diagnosis is still to come: the view asks again (with its version) for it. */
  analysed: boolean;
  /** Null when unchanged since the view's revision. */
  summary: ViewSummary | null;
  totals: TabTotals;
  evicted: number;
  preserveLog: boolean;
  storageError: string | null;
}

export function isViewMessage(message: unknown): message is ViewToBackgroundMessage {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as { type?: unknown; tabId?: unknown };
  if (typeof candidate.tabId !== 'number') return false;
  if (candidate.type === 'set-preserve-log') return typeof (message as { preserve?: unknown }).preserve === 'boolean';
  if (candidate.type === 'retest') return typeof (message as { recordId?: unknown }).recordId === 'string';
  if (candidate.type === 'get-records') {
    const ids = (message as { recordIds?: unknown }).recordIds;
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string');
  }
  if (candidate.type === 'get-tab-view') return isViewVersionOrAbsent((message as { since?: unknown }).since);
  return candidate.type === 'get-tab-log' || candidate.type === 'clear-tab-log';
}

function isViewVersionOrAbsent(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  const version = value as Partial<ViewVersion>;
  return typeof version.logId === 'string' && typeof version.revision === 'number';
}

/** The background's answer to get-records. */
export interface RecordsResponse {
  records: RequestRecord[];
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
