import type { ExportedCounts } from '../../export/index.ts';
import { outcomesWithCancelledApart } from '../../export/counts.ts';
import { streamAndCauseCounts, type CountedLog } from '../../view/counts.ts';

/**
 * The counts a JSON export carries: the same the view shows, plus the totals and how many were evicted.
 * Cancelled requests are counted apart from 'not-applicable', as in the report's counts (src/export/counts.ts).
 */
export function exportedCountsOf(log: CountedLog): ExportedCounts {
  const { streams, causes } = streamAndCauseCounts(log);
  const { requests, byOutcome, cancelled, byKind } = log.totals;
  return {
    evicted: log.evicted,
    requests,
    byOutcome: outcomesWithCancelledApart(byOutcome, cancelled),
    cancelled,
    byKind,
    streams,
    failuresByCause: Object.fromEntries(causes),
  };
}
