import type { CorsVerdict, MediaKind, StreamSummary } from '../engine/model.ts';
import { isMedia } from '../engine/media/classify.ts';
import { kindIs } from './media.ts';
import { UNSPECIFIED_CAUSE, streamsOfTotals, type TabTotals } from './totals.ts';

/**
 * What the counts are worked out from: a tab's log or an imported one — its streams and verdicts
 * (a Report, or the view's summary streams and rows), its exact totals and how many were evicted.
 */
export interface CountedLog {
  /** The verdicts to count rejections in, or those counts already kept (an open view's RequestList). */
  report: { streams: StreamSummary[] } & ({ verdicts: Iterable<{ verdict: CorsVerdict }> } | { failuresByCause: Readonly<Record<string, number>> });
  totals: TabTotals;
  evicted: number;
}

export interface StreamAndCauseCounts {
  streams: StreamSummary[];
  /** Rejected requests per cause (chromiumError), most frequent first. */
  causes: Array<[string, number]>;
  /** True when they come from the store's exact tallies rather than from the records held. */
  exact: boolean;
}

/** Rejected requests per cause among the analysed records. */
function causesOfReport(report: CountedLog['report']): Readonly<Record<string, number>> {
  if ('failuresByCause' in report) return report.failuresByCause;
  const causes: Record<string, number> = {};
  for (const { verdict } of report.verdicts) {
    if (verdict.outcome !== 'fail') continue;
    const cause = verdict.chromiumError ?? UNSPECIFIED_CAUSE;
    causes[cause] = (causes[cause] ?? 0) + 1;
  }
  return causes;
}

/**
 * Per-stream and per-cause counts to show. Once detail was evicted the records held cover only the
 * newest requests, so the counts come from the store's tallies, which counted every request; until
 * then from the report of the records (the same keys, and an imported file has no tallies).
 */
export function streamAndCauseCounts(log: CountedLog): StreamAndCauseCounts {
  const exact = log.evicted > 0;
  const streams = exact ? streamsOfTotals(log.totals) : log.report.streams;
  const causes = Object.entries(exact ? log.totals.failuresByCause : causesOfReport(log.report)).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return { streams, causes, exact };
}

/** Media requests of the page load (the engine's isMedia: not preflights, not other requests), exact. */
export function mediaRequestCount(totals: TabTotals): number {
  let count = 0;
  for (const [kind, requests] of Object.entries(totals.byKind) as Array<[MediaKind, number]>) if (kindIs(isMedia, kind)) count += requests;
  return count;
}
