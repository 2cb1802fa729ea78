/**
 * The message protocol between the views (popup, DevTools panel) and the background: every message a
 * view may send, its validator, and the answers. Pure types and checks, shared by both sides.
 */
import type { Report, RequestRecord } from '../engine/model.ts';
import type { TabTotals } from './totals.ts';
import type { PackedRows } from './row-facts.ts';
import { sameVersion, type ViewSummary, type ViewVersion } from './model.ts';
import type { SummaryChange } from './summary-change.ts';

export type { ViewSummary, ViewVersion } from './model.ts';

/** Messages a view (popup, DevTools panel) sends to the background. */
export type ViewToBackgroundMessage =
  /** The whole log with its report (exports). */
  | { type: 'get-tab-log'; tabId: number }
  /**
   * What the view shows (TabViewResponse); with `since`, only what changed after that version. With
   * `analysed`, the answer waits for the diagnosis even when none is at hand: the view already shows
   * the rows (read from storage.session) and wants the cards in one round trip.
   */
  | { type: 'get-tab-view'; tabId: number; since?: ViewVersion; analysed?: true }
  /** Full records (the detail view); ids no longer held are left out of the answer. */
  | { type: 'get-records'; tabId: number; recordIds: string[] }
  | { type: 'clear-tab-log'; tabId: number }
  | { type: 'set-preserve-log'; tabId: number; preserve: boolean }
  | { type: 'retest'; tabId: number; recordId: string };

/**
 * The background's answer to a re-test request: sent (its result arrives as a labelled record in the
 * log, observed by the webRequest listeners), or refused with a message in the UI's language.
 */
export type RetestResponse = { ok: true; keptUrl: boolean } | { ok: false; error: string };

/**
 * Sent by the background on each open view's port when a tab's log changed. With `update`: what changed
 * since `since` (TabViews.pushUpdate), which a view holding that version applies as it would the answer
 * to get-tab-view; any other view asks (get-tab-view with its version).
 */
export interface TabLogChangedMessage {
  type: 'tab-log-changed';
  tabId: number;
  since?: ViewVersion;
  update?: TabViewResponse;
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
  /** Null when unchanged since the view's revision, or said by `summaryChange`. */
  summary: ViewSummary | null;
  /** What changed in the summary the view holds (src/view/summary-change.ts). */
  summaryChange?: SummaryChange;
  totals: TabTotals;
  evicted: number;
  preserveLog: boolean;
  storageError: string | null;
  /** LogStatus.headersNotSeen. */
  headersNotSeen: number;
}

/** One message type of ViewToBackgroundMessage, by its `type`. */
export type ViewMessageOf<Type extends ViewToBackgroundMessage['type']> = Extract<ViewToBackgroundMessage, { type: Type }>;

type Fields = Record<string, unknown>;

/**
 * The validator of each message type (the fields besides `type` and `tabId`, which every message has).
 * The background's router has one handler per key of this map, so a type cannot be added to one and
 * not the other (the router's handler map is typed by these keys).
 */
export const VIEW_MESSAGE_VALIDATORS: { readonly [Type in ViewToBackgroundMessage['type']]: (message: Fields) => boolean } = {
  'get-tab-log': () => true,
  'get-tab-view': (message) => isViewVersionOrAbsent(message.since) && (message.analysed === undefined || message.analysed === true),
  'get-records': (message) => Array.isArray(message.recordIds) && message.recordIds.every((id) => typeof id === 'string'),
  'clear-tab-log': () => true,
  'set-preserve-log': (message) => typeof message.preserve === 'boolean',
  retest: (message) => typeof message.recordId === 'string',
};

/** Why a message was refused: not an object with a known `type`, or fields of the wrong shape. */
export type ViewMessageProblem = { problem: 'not-a-message' } | { problem: 'unknown-type'; type: string } | { problem: 'invalid'; type: string };

/** Checks an untrusted message: the typed message, or what is wrong with it. */
export function parseViewMessage(message: unknown): { message: ViewToBackgroundMessage } | ViewMessageProblem {
  if (typeof message !== 'object' || message === null) return { problem: 'not-a-message' };
  const fields = message as Fields;
  const type = fields.type;
  if (typeof type !== 'string') return { problem: 'not-a-message' };
  if (!Object.hasOwn(VIEW_MESSAGE_VALIDATORS, type)) return { problem: 'unknown-type', type: type.slice(0, 100) };
  const validate = VIEW_MESSAGE_VALIDATORS[type as ViewToBackgroundMessage['type']];
  if (typeof fields.tabId !== 'number' || !Number.isInteger(fields.tabId) || !validate(fields)) return { problem: 'invalid', type };
  return { message: message as ViewToBackgroundMessage };
}

function isViewVersionOrAbsent(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  const version = value as Partial<ViewVersion>;
  return typeof version.logId === 'string' && typeof version.revision === 'number';
}

export function isViewMessage(message: unknown): message is ViewToBackgroundMessage {
  return 'message' in parseViewMessage(message);
}

/** The background's answer to get-records. */
export interface RecordsResponse {
  records: RequestRecord[];
}

export function isTabLogChanged(message: unknown): message is TabLogChangedMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'tab-log-changed';
}

/**
 * The update a changed-log message carries for a view holding `held`: null when it carries none, or a
 * change since another version than the view's (the view then asks).
 */
export function pushedUpdateFor(message: TabLogChangedMessage, held: ViewVersion | undefined): TabViewResponse | null {
  const { since, update } = message;
  if (update === undefined || since === undefined || held === undefined) return null;
  return sameVersion(since, held) ? update : null;
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
