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
  if (evidence.ending === 'not-received') {
    // Not a CORS question: the response never reached the page's side, so no check ran.
    return {
      outcome: 'not-applicable',
      cancelled: true,
      needsPreflight: verdict.needsPreflight,
      inferred: { source: evidence.source, ending: evidence.ending, detail: evidence.detail },
      explanation: `Cancelled — the page ended this load before the response reached it (${evidence.detail}): no CORS check ran, so the browser rejected nothing.`,
      explanationText: { id: 'verdict.inferred.notReceived', data: { detail: evidence.detail } },
    };
  }
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
  /**
   * The same entry's status as the extension's isolated world reads it, where that was read. Firefox
   * filters responseStatus by the caller's principal (docs/capture.md#firefox-evidence): the extension
   * sees the status of a response that reached the page even when the page may not read it (200 for
   * every CORS-blocked load measured), and 0 when the page ended the load before its headers reached
   * the page (every cancel measured, including those webRequest saw complete).
   */
  receivedStatus?: number;
}

/** One Resource Timing entry of a frame, as read there: its URL, start (epoch ms) and responseStatus (-1 where the browser has none). */
export type ResourceEntry = [url: string, start: number, responseStatus: number];

/** An entry as the page reads it, with the status the extension's isolated world reads for the same entry (-1 or absent: not read). */
export type ResourceEntryReading = [url: string, start: number, responseStatus: number, receivedStatus?: number];

/**
 * The page's entries, each with the status the isolated world read for the same entry (same URL and
 * start; both worlds read one timeline). An entry the isolated world did not return gets -1.
 */
export function withReceivedStatus(page: readonly ResourceEntry[], isolated: readonly ResourceEntry[]): ResourceEntryReading[] {
  const received = new Map<string, number[]>();
  for (const [url, start, status] of isolated) {
    const key = `${start} ${url}`;
    const list = received.get(key);
    if (list) list.push(status);
    else received.set(key, [status]);
  }
  return page.map(([url, start, status]) => [url, start, status, received.get(`${start} ${url}`)?.shift() ?? -1]);
}

/** How far apart (ms) webRequest's start and the page's entry's start may be and still be one request. */
export const TIMING_MATCH_WINDOW_MS = 1_000;

/**
 * Firefox's own ending for a load its CORS check rejected while the response was still arriving: the
 * page's side cancels the load with this code, which webRequest reports (measured with a 2 MB body:
 * every blocked load, and no load the page cancelled, ended so; a small body ends in onCompleted).
 */
const FIREFOX_CORS_CANCEL = 'NS_ERROR_DOM_BAD_URI';

/** A load the page's entry can decide: one webRequest saw complete, or one Firefox's CORS check cancelled. */
const decidable = (record: RequestRecord): boolean => record.status !== null && (record.error === null || record.error === FIREFOX_CORS_CANCEL);

/** Firefox's ending for a load the page (or the browser) aborted: before any response, no CORS check ran. */
const abortedBeforeResponse = (record: RequestRecord): boolean => record.browser === 'firefox' && record.status === null && record.error === 'NS_BINDING_ABORTED';

/** Whether the page's entry for `record` can tell anything: a decidable load, or a Firefox abort before any response. */
export const entryCanTell = (record: RequestRecord): boolean => decidable(record) || abortedBeforeResponse(record);

/**
 * Evidence from a page's Resource Timing entries, for the records of `records` webRequest saw complete
 * (or Firefox's CORS check cancelled). `records` should hold every record of the URLs read, however
 * they ended: each entry is matched to the record of its URL that started closest to it (within
 * TIMING_MATCH_WINDOW_MS), the closest pairs first, each entry and record used once, so a load the page
 * cancelled keeps its own entry (status 0) instead of lending it to a completed load of the same URL
 * whose entry is not there yet (session 5's false red). An entry with a response status proves the page
 * read the response, which the browser allows only when the CORS check passed. Status 0 is a network
 * error, which a CORS rejection is; but a page that cancels a load just as its response arrives leaves
 * the same entry after webRequest's onCompleted (measured in Firefox ESR 153: 4 of 120 such cancels,
 * every entry field equal to a blocked load's; scripts/measure-cancel-vs-block.ts,
 * docs/capture.md#firefox-evidence). What tells them apart is the status Firefox shows the
 * extension's isolated world (`receivedStatus`): 200 for every blocked load, 0 for every such cancel
 * (scripts/measure-cancel-race.ts). Without it, status 0 counts as "blocked" when two completed loads
 * of the URL got it (a rejected load is retried, a cancel rarely twice), or when Firefox ended the
 * load with its CORS cancel; a single one is "error-once", which leaves the row undetermined.
 */
export function resourceTimingEvidence(records: readonly RequestRecord[], entries: readonly ResourceTimingReading[]): Map<string, OutcomeEvidence> {
  const recordsByUrl = new Map<string, RequestRecord[]>();
  for (const record of records) {
    const list = recordsByUrl.get(record.url);
    if (list) list.push(record);
    else recordsByUrl.set(record.url, [record]);
  }
  const pairs: Array<{ record: RequestRecord; entry: ResourceTimingReading; distance: number }> = [];
  for (const entry of entries) {
    for (const record of recordsByUrl.get(entry.url) ?? []) {
      const distance = Math.abs(entry.start - record.timings.start);
      if (distance <= TIMING_MATCH_WINDOW_MS) pairs.push({ record, entry, distance });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance);
  const usedRecords = new Set<RequestRecord>();
  const usedEntries = new Set<ResourceTimingReading>();
  const matched: Array<{ record: RequestRecord; status: number; received: number | undefined }> = [];
  // Status-0 entries per URL, of decidable loads only: a cancelled load's own 0 corroborates nothing.
  const errorsByUrl = new Map<string, number>();
  // An entry no record took (its load's record is not among those given) still counts as a failed load.
  for (const { record, entry } of pairs) {
    if (usedRecords.has(record) || usedEntries.has(entry)) continue;
    usedRecords.add(record);
    usedEntries.add(entry);
    const received = receivedOf(record, entry);
    // A request that ended in another error (cancelled, or Chromium's own ending) gets no evidence: it
    // only keeps its entry from being taken by another load (docs/capture.md#cancelled). But a Firefox
    // abort before any response whose entry shows nothing received either is said not to be a rejection.
    if (!decidable(record) && !(abortedBeforeResponse(record) && entry.responseStatus === 0 && received === 0)) continue;
    matched.push({ record, status: entry.responseStatus, received });
    if (failedAfterResponse(entry.responseStatus, received)) errorsByUrl.set(record.url, (errorsByUrl.get(record.url) ?? 0) + 1);
  }
  // Its received status read as for the URL's loads (receivedOf); a URL no record has is never asked about.
  for (const entry of entries) {
    const load = recordsByUrl.get(entry.url)?.[0];
    if (load && !usedEntries.has(entry) && failedAfterResponse(entry.responseStatus, receivedOf(load, entry))) errorsByUrl.set(entry.url, (errorsByUrl.get(entry.url) ?? 0) + 1);
  }
  const evidence = new Map<string, OutcomeEvidence>();
  for (const { record, status, received } of matched) evidence.set(record.id, { source: 'resource-timing', ...endingOf(record, status, received, errorsByUrl.get(record.url) ?? 0) });
  return evidence;
}

/**
 * The received status of `entry` where it means what was measured: only Firefox's isolated world reads
 * the status unfiltered (Chromium's reads the page's value, 0 for a blocked load too, so there it is
 * ignored; scripts/measure-received-status-chromium.ts).
 */
function receivedOf(record: RequestRecord, entry: ResourceTimingReading): number | undefined {
  return record.browser === 'firefox' ? entry.receivedStatus : undefined;
}

/** A status-0 entry, unless the received status shows that no response reached the page. */
const failedAfterResponse = (status: number, received: number | undefined): boolean => status === 0 && received !== 0;

/**
 * How a decidable load ended, from its entry: read (status > 0); a response that reached the page and
 * that the page could not read (received > 0), which only the CORS check does to a response that
 * arrived; a load the page ended before its response reached it (received 0: no CORS check ran);
 * without the received status, two failed loads of the URL or Firefox's own CORS cancel, else one
 * network error that decides nothing.
 */
function endingOf(record: RequestRecord, status: number, received: number | undefined, errors: number): Pick<OutcomeEvidence, 'ending' | 'detail'> {
  if (status > 0) return { ending: 'allowed', detail: `Resource Timing responseStatus ${status}` };
  if (received !== undefined && received > 0) return { ending: 'blocked', detail: `Resource Timing responseStatus 0 for the page, ${received} received` };
  if (received === 0) return { ending: 'not-received', detail: 'Resource Timing responseStatus 0, no response received by the page' };
  const corsCancel = record.error === FIREFOX_CORS_CANCEL;
  return {
    ending: errors >= 2 || corsCancel ? 'blocked' : 'error-once',
    detail: `Resource Timing responseStatus 0${errors >= 2 ? ` ×${errors}` : ''}${corsCancel ? `, ${FIREFOX_CORS_CANCEL}` : ''}`,
  };
}
