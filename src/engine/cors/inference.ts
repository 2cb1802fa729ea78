import type { CorsVerdict, CredentialsMode, OutcomeEvidence, RequestRecord } from '../model.ts';
import { evaluateCors } from './evaluate.ts';
import { exchangeFromRecord } from './exchange.ts';

/**
 * Outcomes decided from evidence beyond the headers. Firefox completes a CORS-blocked response like an
 * allowed one and shows no credentials mode (docs/capture.md#firefox-blocked), so an exchange whose
 * outcome depends on the credentials mode (ACAO "*" or an echoed origin without
 * Access-Control-Allow-Credentials) is undetermined from the headers alone. What the page itself saw
 * of the request settles it: evaluateCors (the spec logic, unchanged) is run under each credentials
 * mode, and when exactly one mode explains how the request ended, its verdict is the row's, marked as
 * inferred with its evidence. Evidence that no mode explains leaves the verdict undetermined.
 */

/** The credentials modes a fetch can have, the two that matter to the CORS check. */
const MODES: ReadonlyArray<Exclude<CredentialsMode, 'unknown' | 'omit'>> = ['same-origin', 'include'];

/**
 * The verdict on `record` with `evidence` taken into account: unchanged unless the headers left it
 * undetermined and exactly one credentials mode explains how the page saw the request end.
 */
export function verdictWithEvidence(record: RequestRecord, verdict: CorsVerdict, evidence: OutcomeEvidence | undefined, preflightRecord?: RequestRecord | null, fallbackPageOrigin?: string | null): CorsVerdict {
  if (evidence === undefined || verdict.outcome !== 'unknown') return verdict;
  if (evidence.ending === 'error-once') {
    // Still undetermined, but the row says what the page saw and why that does not decide it.
    return {
      ...verdict,
      explanation: `Undetermined — the page got a network error for this response once (${evidence.detail}): either the browser rejected it as a credentialed request, or the page cancelled the load. A rejected load is normally retried; this one was not.`,
      explanationText: { id: 'verdict.inferred.errorOnce', data: { detail: evidence.detail } },
    };
  }
  const expected = evidence.ending === 'allowed' ? 'pass' : 'fail';
  const exchange = exchangeFromRecord(record, preflightRecord, fallbackPageOrigin);
  const explaining: CorsVerdict[] = [];
  for (const credentials of MODES) {
    const judged = evaluateCors({ ...exchange, request: { ...exchange.request, credentials } });
    if (judged.outcome === expected) explaining.push(judged);
  }
  if (explaining.length !== 1) return verdict;
  const decided = explaining[0]!;
  decided.inferred = { source: evidence.source, ending: evidence.ending, detail: evidence.detail };
  if (decided.outcome === 'pass') {
    // A failure keeps the sentence its CorsError names; a pass says what proved it.
    decided.explanation = `Passed — the page read the response (${evidence.detail}), so the browser allowed it: the request carried no credentials.`;
    decided.explanationText = { id: 'verdict.inferred.pageRead', data: { detail: evidence.detail } };
  }
  return decided;
}

/** What a page's Resource Timing entry for one request shows, as read when a view opened. */
export interface ResourceTimingReading {
  url: string;
  /** Epoch milliseconds (timeOrigin + startTime). */
  start: number;
  /** 0 when the page could not read the response (a network error, which a CORS rejection is). */
  responseStatus: number;
}

/** How far apart (ms) webRequest's start and the page's entry's start may be and still be one request. */
export const TIMING_MATCH_WINDOW_MS = 1_000;

/**
 * Evidence from a page's Resource Timing entries, for the records whose outcome is undetermined. An
 * entry is matched to the record of the same URL that started closest to it (within
 * TIMING_MATCH_WINDOW_MS), each entry and record used once. An entry with a response status proves
 * the page read the response, which the browser allows only when the CORS check passed. A status of 0
 * is a network error, which a CORS rejection is, but so is a load the page cancelled after webRequest
 * saw it complete (measured in Firefox: dash.js stopping its pending segment loads). A rejected load is
 * retried (hls.js, dash.js and Shaka each requested a rejected file twice), a cancelled one is not, so
 * status 0 counts as "blocked" only when another entry of the same URL is 0 too; a single one is
 * "error-once", which leaves the row undetermined (docs/capture.md#firefox-evidence).
 */
export function resourceTimingEvidence(records: readonly RequestRecord[], entries: readonly ResourceTimingReading[]): Map<string, OutcomeEvidence> {
  const byUrl = new Map<string, ResourceTimingReading[]>();
  const errorsByUrl = new Map<string, number>();
  for (const entry of entries) {
    const list = byUrl.get(entry.url);
    if (list) list.push(entry);
    else byUrl.set(entry.url, [entry]);
    if (entry.responseStatus === 0) errorsByUrl.set(entry.url, (errorsByUrl.get(entry.url) ?? 0) + 1);
  }
  const evidence = new Map<string, OutcomeEvidence>();
  for (const record of records) {
    const candidates = byUrl.get(record.url);
    // A request that ended in an error (cancelled, or Chromium's own ending) gets no evidence: an entry
    // with status 0 would not tell its cancel from a CORS rejection (docs/capture.md#cancelled).
    if (!candidates || record.status === null || record.error !== null) continue;
    let bestIndex = -1;
    for (let index = 0; index < candidates.length; index++) {
      const distance = Math.abs(candidates[index]!.start - record.timings.start);
      if (distance <= TIMING_MATCH_WINDOW_MS && (bestIndex < 0 || distance < Math.abs(candidates[bestIndex]!.start - record.timings.start))) bestIndex = index;
    }
    if (bestIndex < 0) continue;
    const [entry] = candidates.splice(bestIndex, 1);
    const status = entry!.responseStatus;
    const errors = errorsByUrl.get(record.url) ?? 0;
    evidence.set(record.id, {
      source: 'resource-timing',
      ending: status > 0 ? 'allowed' : errors >= 2 ? 'blocked' : 'error-once',
      detail: status > 0 || errors < 2 ? `Resource Timing responseStatus ${status}` : `Resource Timing responseStatus ${status} ×${errors}`,
    });
  }
  return evidence;
}
