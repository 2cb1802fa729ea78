import type { Conclusion, Finding, FixPlan, RuleError, StreamSummary } from '../engine/model.ts';
import type { RowFacts } from './row-facts.ts';
import type { TabTotals } from './totals.ts';
import type { RowGroup } from './groups.ts';
import type { RowFilter } from './rows.ts';

/** The whole-log part of the diagnosis a view shows above the list. */
export interface ViewSummary {
  findings: Finding[];
  streams: StreamSummary[];
  /** Rules that threw: their findings are missing, and the view says so. */
  ruleErrors: RuleError[];
  /** The answer first: primary cause and merged fix plan (absent from a report made before they existed). */
  conclusion?: Conclusion;
  plan?: FixPlan;
}

/** Which state of a tab's log a view holds: the log (a new page load is a new log) and the revision. */
export interface ViewVersion {
  logId: string;
  revision: number;
}

/** Whether two versions are the same state of the same log. */
export function sameVersion(a: ViewVersion, b: ViewVersion): boolean {
  return a.logId === b.logId && a.revision === b.revision;
}

/** What a view shows of a log besides its rows and diagnosis. */
export interface LogStatus {
  pageUrl: string | null;
  pageOrigin: string | null;
  /** Exact counts for the page load, including records whose detail was evicted. */
  totals: TabTotals;
  /** Records of this page load dropped by the per-tab cap. */
  evicted: number;
  /** Keep the log across the tab's top-level navigations. */
  preserveLog: boolean;
  /** The last storage error, if the latest write failed (the log in memory is still complete). */
  storageError: string | null;
  /**
   * A live Chromium tab's requests that started before the header listeners were on, so what they
   * sent was not seen whole (the view offers a reload). Absent: none, or not known yet.
   */
  headersNotSeen?: number;
}

/**
 * What the view shows of a log: a live tab's (rows and summary from the background, which keeps the
 * records) or an imported file's (worked out from the records in the panel).
 */
export interface TabViewData extends LogStatus {
  /** Null while the diagnosis of a live tab is still to come (the rows' verdicts are there). */
  summary: ViewSummary | null;
  /** One per record held, in arrival order. */
  rows: readonly RowFacts[];
  /**
   * True for rows read straight from storage before the background answered: a snapshot from before
   * the view opened, which the background's first answer replaces (src/view/stored-log.ts).
   */
  provisional?: boolean;
  /**
   * Present while only the first screen of the list is read (src/view/stored-log.ts, firstScreenView):
   * `rows` is then empty and the list is this, until the rest is read after the first paint.
   */
  firstScreen?: FirstScreen;
}

/**
 * The list as far as one screen shows it, stored ready by the worker: the groups in display order, each
 * with its first rows only (a group's `rows` has the group's length, the rows not yet read are holes,
 * never rendered: they lie below the first screen), the count of each filter and the rejections per
 * cause over every row held.
 */
export interface FirstScreen {
  groups: RowGroup[];
  counts: Readonly<Record<RowFilter, number>>;
  failuresByCause: Readonly<Record<string, number>>;
  /** Rows held in the whole list. */
  rowCount: number;
  /** How many lines (group heads and rows, from the top) are held: no line past them may be shown. */
  linesHeld: number;
}
