/**
 * One record's verdict without the analysis: the views that judge a record as it arrives (the store,
 * the popup's totals) import this leaf, so the popup's code does not carry analyze() and the rules.
 */
import type { AnalyzeOptions, CorsVerdict, RequestRecord } from './model.ts';
import { findPreflightRecord } from './cors/index.ts';
import { verdictOfRecord } from './cors/exchange.ts';
import { verdictWithEvidence } from './cors/inference.ts';
import type { RecordHeaderReading } from './record-headers.ts';

/**
 * Whether a verdict is of a CORS request the page cancelled before any check: outcome
 * `not-applicable` with `cancelled` (evaluate.ts, or page evidence in inference.ts). The exports and
 * the tab totals count these apart from other not-applicable requests; the views label them.
 */
export function isCancelledVerdict(verdict: Pick<CorsVerdict, 'outcome' | 'cancelled'>): boolean {
  return verdict.cancelled === true && verdict.outcome === 'not-applicable';
}

/**
 * The browser's verdict on one record, as every view shows it. `preflightCandidates` are OPTIONS
 * records of the same log that may have preceded it (analyze passes those for the record's URL only);
 * `reading`, the record's headers already read (analyze shares it with the rule facts).
 */
export function verdictForRecord(record: RequestRecord, options?: AnalyzeOptions, preflightCandidates?: readonly RequestRecord[], reading?: RecordHeaderReading): CorsVerdict {
  const preflight = preflightCandidates && preflightCandidates.length > 0 ? findPreflightRecord(record, preflightCandidates) : null;
  const verdict = verdictOfRecord(record, preflight, options?.pageOrigin, reading);
  const evidence = options?.evidence?.get(record.id);
  return evidence === undefined ? verdict : verdictWithEvidence(record, verdict, evidence, preflight, options?.pageOrigin);
}
