import type { LogStatus, TabViewData, ViewSummary, ViewVersion } from './model.ts';
import { unpackRows, type PackedRows, type RowFacts } from './row-facts.ts';
import { applySummaryChange, type SummaryChange } from './summary-change.ts';

/** A log's view as the background sends it: everything, or only what changed since the view's version. */
export interface ViewUpdate extends ViewVersion, LogStatus {
  /** True: `rows` is the whole list. False: `rows` are the rows added or re-judged since the view's revision. */
  full: boolean;
  /** Lowest seq still held: a view drops its rows below it (evicted). */
  firstSeq: number;
  rows: PackedRows;
  /** In a full update, null while the diagnosis is still to come; in a partial one, null when unchanged or said by `summaryChange`. */
  summary: ViewSummary | null;
  /** In a partial update: what changed in the summary the view holds. */
  summaryChange?: SummaryChange;
}

/** A live tab's view and the version of the background's log it reflects. */
export interface LiveView {
  data: TabViewData;
  version: ViewVersion;
}

/** Index of the first of `rows` (in seq order) whose seq is not below `seq`. */
function indexOfSeq(rows: readonly RowFacts[], seq: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rows[middle]!.seq < seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Rows held, brought up to date: rows below `firstSeq` (evicted) go, `incoming` rows replace the rows
 * of the same seq (re-judged) or follow them (new). Both lists are in seq order; the cost is a copy of
 * the held list plus a binary search per re-judged row (a live view gets a few rows per update).
 */
function updatedRows(held: readonly RowFacts[], incoming: readonly RowFacts[], firstSeq: number): readonly RowFacts[] {
  const start = indexOfSeq(held, firstSeq);
  if (incoming.length === 0 && start === 0) return held;
  const kept = held.slice(start);
  const lastSeq = kept.at(-1)?.seq ?? -1;
  for (const row of incoming) {
    if (row.seq > lastSeq) kept.push(row);
    else {
      const index = indexOfSeq(kept, row.seq);
      if (kept[index]?.seq === row.seq) kept[index] = row;
    }
  }
  return kept;
}

/**
 * Applies the background's update to what the view has: a full update replaces it; a partial one drops
 * the rows evicted since, replaces the rows re-judged and appends the new ones.
 */
export function applyViewUpdate(current: LiveView | null, update: ViewUpdate): LiveView {
  const version = { logId: update.logId, revision: update.revision };
  const { pageUrl, pageOrigin, totals, evicted, preserveLog, storageError, headersNotSeen } = update;
  const incoming = unpackRows(update.rows);
  if (update.full || current === null || current.version.logId !== update.logId) {
    return { data: { pageUrl, pageOrigin, totals, evicted, preserveLog, storageError, headersNotSeen, summary: update.summary, rows: incoming }, version };
  }
  const rows = updatedRows(current.data.rows, incoming, update.firstSeq);
  const held = current.data.summary;
  const changed = update.summaryChange && held ? applySummaryChange(held, update.summaryChange) : null;
  // A change that does not fit what is held (never expected): the next answer is asked from the start.
  const unfit = update.summaryChange !== undefined && changed === null;
  return {
    data: { pageUrl, pageOrigin, totals, evicted, preserveLog, storageError, headersNotSeen, summary: update.summary ?? changed ?? held, rows },
    version: unfit ? { logId: '', revision: -1 } : version,
  };
}
