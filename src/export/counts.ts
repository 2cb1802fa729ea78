import type { Report, ReportCounts } from '../engine/model.ts';

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
  for (const { verdict } of report.verdicts) if (verdict.cancelled && verdict.outcome === 'not-applicable') cancelled++;
  return { ...report.counts, notApplicable: report.counts.notApplicable - cancelled, cancelled };
}
