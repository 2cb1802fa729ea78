import type { CorsVerdict } from '../../engine/model.ts';
import { message } from '../../platform/runtime.ts';
import { isCancelledVerdict } from '../../engine/verdict.ts';

/**
 * The outcome a row or the detail shows: "OK" / "Rejected" from the headers, or "Passed (inferred)" /
 * "Rejected (inferred)" when what the page saw decided it (src/engine/cors/inference.ts); "Cancelled"
 * for a load ended before any CORS check (not 'Not CORS': it was a CORS request).
 */
export function verdictLabel(verdict: CorsVerdict): string {
  const key = isCancelledVerdict(verdict) ? 'outcome_cancelled' : `outcome_${verdict.outcome.replace(/-/g, '_')}`;
  return message(verdict.inferred === undefined ? key : `${key}_inferred`);
}

/** The evidence an inferred verdict rests on, in the UI's language; '' for a verdict the headers decided. */
export function inferenceNote(verdict: CorsVerdict): string {
  return verdict.inferred === undefined ? '' : message('inferredEvidence', verdict.inferred.detail);
}
