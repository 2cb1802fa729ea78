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
      explanation: `Undetermined — the page got a network error for this response (${evidence.detail}), but it cancelled another load of the same URL at about the same time: the error may be that cancel's, not a CORS rejection.`,
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

/**
 * Whether `record`, undetermined from its headers, passes as a request without credentials: what a
 * player sends unless told otherwise (hls.js, dash.js, Shaka and video.js all default to it), so such a
 * record is open only because its credentials mode is unseen, not because anything looks wrong
 * (Firefox's ordinary `ACAO: *` or echoed origin without Access-Control-Allow-Credentials).
 */
export function passesWithoutCredentials(record: RequestRecord): boolean {
  const exchange = exchangeFromRecord(record);
  return evaluateCors({ ...exchange, request: { ...exchange.request, credentials: 'same-origin' } }).outcome === 'pass';
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

/** A record webRequest saw end with a response (onCompleted): the only kind the page's entry can decide. */
const completed = (record: RequestRecord): boolean => record.status !== null && record.error === null;

/**
 * Evidence from a page's Resource Timing entries, for the records of `records` that webRequest saw
 * complete. `records` should hold every record of the URLs read, however they ended: each entry is
 * matched to the record of its URL that started closest to it (within TIMING_MATCH_WINDOW_MS), the
 * closest pairs first and each entry and record used once, so a load the page cancelled keeps its own
 * entry (status 0) instead of lending it to a completed load of the same URL whose entry is not there
 * yet. An entry with a response status proves the page read the response, which the browser allows only
 * when the CORS check passed. Status 0 for a load webRequest saw complete is a CORS rejection: measured
 * in Firefox ESR 153 (scripts/measure-cancel-vs-block.ts, docs/capture.md#firefox-evidence), every
 * blocked load left it and no load the page cancelled did (a cancel before the headers ends in
 * onErrorOccurred, one after them leaves the status). Only when the page cancelled another load of the
 * same URL at about the same time could the entry be that cancel's: then "error-once", undetermined.
 */
export function resourceTimingEvidence(records: readonly RequestRecord[], entries: readonly ResourceTimingReading[]): Map<string, OutcomeEvidence> {
  const recordsByUrl = new Map<string, RequestRecord[]>();
  for (const record of records) {
    const list = recordsByUrl.get(record.url);
    if (list) list.push(record);
    else recordsByUrl.set(record.url, [record]);
  }
  const pairs: Array<{ record: RequestRecord; entry: ResourceTimingReading; distance: number }> = [];
  const errorsByUrl = new Map<string, number>();
  for (const entry of entries) {
    if (entry.responseStatus === 0) errorsByUrl.set(entry.url, (errorsByUrl.get(entry.url) ?? 0) + 1);
    for (const record of recordsByUrl.get(entry.url) ?? []) {
      const distance = Math.abs(entry.start - record.timings.start);
      if (distance <= TIMING_MATCH_WINDOW_MS) pairs.push({ record, entry, distance });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance);
  const usedRecords = new Set<RequestRecord>();
  const usedEntries = new Set<ResourceTimingReading>();
  const evidence = new Map<string, OutcomeEvidence>();
  for (const { record, entry } of pairs) {
    if (usedRecords.has(record) || usedEntries.has(entry)) continue;
    usedRecords.add(record);
    usedEntries.add(entry);
    // A request that ended in an error (cancelled, or Chromium's own ending) gets no evidence: it only
    // keeps its entry from being taken by another load (docs/capture.md#cancelled).
    if (!completed(record)) continue;
    const status = entry.responseStatus;
    const errors = errorsByUrl.get(record.url) ?? 0;
    const cancelNearby = status === 0 && (recordsByUrl.get(record.url) ?? []).some((other) => !completed(other) && Math.abs(entry.start - other.timings.start) <= TIMING_MATCH_WINDOW_MS);
    evidence.set(record.id, {
      source: 'resource-timing',
      ending: status > 0 ? 'allowed' : cancelNearby ? 'error-once' : 'blocked',
      detail: status > 0 || errors < 2 ? `Resource Timing responseStatus ${status}` : `Resource Timing responseStatus ${status} ×${errors}`,
    });
  }
  return evidence;
}
