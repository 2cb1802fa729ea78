import type { ExportedCounts } from '../../export/index.ts';
import { streamAndCauseCounts, type CountedLog } from '../../view/counts.ts';

/** The counts a JSON export carries: the same the view shows, plus the totals and how many were evicted. */
export function exportedCountsOf(log: CountedLog): ExportedCounts {
  const { streams, causes } = streamAndCauseCounts(log);
  const { requests, byOutcome, byKind } = log.totals;
  return { evicted: log.evicted, requests, byOutcome, byKind, streams, failuresByCause: Object.fromEntries(causes) };
}
