import type { DocumentPolicy, OutcomeEvidence, Report, RequestRecord } from '../engine/model.ts';
import { analyze, pageOriginOf, verdictsOf } from '../engine/index.ts';
import type { ViewSummary } from './model.ts';
import { packRows, rowFactsOf, verdictKeyOf, type RowFacts } from './row-facts.ts';
import type { ViewUpdate } from './updates.ts';
import { summaryChangeOf } from './summary-change.ts';

/**
 * A log's view worked out from its records at one revision: the analysis (or only the verdicts), the
 * rows and the revision at which each row and the summary last changed, so that a view holding an
 * earlier revision can be sent only what changed.
 */
export interface LogView {
  /** Seq of the first record (how many were evicted before it) and one past the last. */
  firstSeq: number;
  endSeq: number;
  /** Null when only the verdicts were worked out (a quick first answer). */
  report: Report | null;
  pageOrigin: string | null;
  /** Row facts by seq - firstSeq, and the revision at which each was last added or changed. */
  rows: RowFacts[];
  rowRevisions: number[];
  summary: ViewSummary | null;
  summaryJson: string;
  summaryRevision: number;
  /** The summary before this one and its revision: a view holding it gets only what changed (summary-change.ts). */
  previousSummary: ViewSummary | null;
  previousSummaryRevision: number;
}

/** The whole-log part of a report a view shows above the list. */
export function viewSummaryOf(report: Report): ViewSummary {
  const { conclusion, plan } = report;
  return { findings: report.findings, streams: report.streams, ruleErrors: report.ruleErrors ?? [], ...(conclusion && plan ? { conclusion, plan } : {}) };
}

/** Whether `view` still shows the log's records firstSeq…endSeq (with the analysis, unless `quick`). */
export function isLogViewCurrent(view: LogView, firstSeq: number, endSeq: number, quick: boolean): boolean {
  return view.firstSeq === firstSeq && view.endSeq === endSeq && (quick || view.report !== null);
}

/**
 * The view of a log's records (the first has seq `firstSeq`) at `revision`. `quick` takes each record's
 * verdict without the whole-log analysis: from `judgedRows` (the rows the store made when each record
 * was judged, same order) when given and no page evidence is, else judging each record. `evidence` (by
 * record id) decides records the headers leave undetermined. Rows of `earlier` (the same log's previous
 * view) whose verdict did not change keep their revision; the rest, and a changed summary, get `revision`.
 */
export function logViewOf(
  records: readonly RequestRecord[],
  firstSeq: number,
  revision: number,
  quick: boolean,
  earlier?: LogView,
  judgedRows?: readonly RowFacts[],
  evidence?: ReadonlyMap<string, OutcomeEvidence>,
  documentPolicies?: readonly DocumentPolicy[],
): LogView {
  const options = evidence && evidence.size > 0 ? { evidence } : undefined;
  // The documents' policies inform the rules, never a verdict: stored rows stay usable without them.
  const report = quick ? null : analyze(records, documentPolicies && documentPolicies.length > 0 ? { ...options, documentPolicies } : options);
  // Stored rows were judged from headers alone: page evidence re-judges the log.
  const stored = report === null && options === undefined && judgedRows !== undefined && judgedRows.length === records.length ? judgedRows : null;
  const verdicts = report ? report.verdicts.map((entry) => entry.verdict) : stored ? null : verdictsOf(records, options);
  const rows: RowFacts[] = [];
  const rowRevisions: number[] = [];
  records.forEach((record, index) => {
    const seq = firstSeq + index;
    const row = stored?.[index];
    const verdict = row ? row.verdict : verdicts![index]!;
    const verdictKey = row ? row.verdictKey : verdictKeyOf(verdict);
    const before = earlier && seq >= earlier.firstSeq && seq < earlier.endSeq ? seq - earlier.firstSeq : -1;
    if (before >= 0 && earlier!.rows[before]!.verdictKey === verdictKey) {
      rows.push(earlier!.rows[before]!);
      rowRevisions.push(earlier!.rowRevisions[before]!);
    } else {
      rows.push(row ?? rowFactsOf(record, verdict, seq));
      rowRevisions.push(revision);
    }
  });
  const summary = report && viewSummaryOf(report);
  const summaryJson = summary ? JSON.stringify(summary) : '';
  const summaryKept = earlier !== undefined && earlier.summaryJson === summaryJson;
  return {
    firstSeq,
    endSeq: firstSeq + records.length,
    report,
    pageOrigin: report ? report.pageOrigin : pageOriginOf(records),
    rows,
    rowRevisions,
    summary,
    summaryJson,
    summaryRevision: summaryKept ? earlier.summaryRevision : revision,
    previousSummary: summaryKept ? earlier.previousSummary : (earlier?.summary ?? null),
    previousSummaryRevision: summaryKept ? earlier.previousSummaryRevision : (earlier?.summaryRevision ?? -1),
  };
}

/** What of a log's view an update carries: everything, or (given the view's revision) what changed after it. */
export type ViewChanges = Pick<ViewUpdate, 'full' | 'firstSeq' | 'rows' | 'summary' | 'summaryChange' | 'pageOrigin'> & {
  /** False while the diagnosis is still to come (the view asks again for it). */
  analysed: boolean;
};

/**
 * The whole view (`since` null), or the rows and summary that changed after revision `since`: the
 * summary as a change of the one the view holds when that is the previous one (summary-change.ts).
 */
export function viewChangesSince(view: LogView, since: number | null): ViewChanges {
  const rows = since === null ? view.rows : view.rows.filter((_, index) => view.rowRevisions[index]! > since);
  const summaryChanged = since === null || view.summaryRevision > since;
  // A view at `since` holds the previous summary when that one was sent at or before `since`.
  const held = summaryChanged && since !== null && view.previousSummaryRevision <= since ? view.previousSummary : null;
  const summaryChange = held && view.summary ? summaryChangeOf(held, view.summary) : null;
  return {
    full: since === null,
    firstSeq: view.firstSeq,
    rows: packRows(rows),
    summary: summaryChanged && summaryChange === null ? view.summary : null,
    ...(summaryChange ? { summaryChange } : {}),
    pageOrigin: view.pageOrigin,
    analysed: view.report !== null,
  };
}
