import type { CorsOutcome, Report, ReportCounts } from '../engine/model.ts';
import { isCancelledVerdict } from '../engine/verdict.ts';

/**
 * The report's counts as the exports write them: a CORS request the page ended before any check (its
 * verdict `not-applicable` with `cancelled`) is counted under `cancelled`, not `notApplicable`, as the
 * CSV's verdict column says `cancelled` (docs/exports.md).
 */
export interface ExportedReportCounts extends ReportCounts {
  cancelled: number;
}

export function countsWithCancelled(report: Report): ExportedReportCounts {
  let cancelled = 0;
  for (const { verdict } of report.verdicts) if (isCancelledVerdict(verdict)) cancelled++;
  return { ...report.counts, notApplicable: report.counts.notApplicable - cancelled, cancelled };
}

/**
 * Counts per outcome as the exports write them: `not-applicable` without the `cancelled` requests,
 * which the file counts apart (the JSON export's top-level counts, from the recorder's exact totals).
 */
export function outcomesWithCancelledApart(byOutcome: Readonly<Record<CorsOutcome, number>>, cancelled: number): Record<CorsOutcome, number> {
  return { ...byOutcome, 'not-applicable': byOutcome['not-applicable'] - cancelled };
}
