import type { CorsOutcome, CorsVerdict, MediaKind, RequestRecord, StreamSummary } from '../engine/model.ts';
import { isCancelledVerdict, verdictForRecord } from '../engine/verdict.ts';
import { type StreamKeys, countInStream, sortStreams, streamHostAndPath, summariseStreams } from '../engine/streams.ts';

/**
 * Exact counts for a tab's current page load. They count every record ever added, so they stay exact
 * when old detail is evicted, and they are stored with the log so a restart keeps them.
 */
export interface TabTotals {
  requests: number;
  byOutcome: Record<CorsOutcome, number>;
  /**
   * Of byOutcome['not-applicable'], the CORS requests the page cancelled before any check (the
   * verdict's `cancelled`): the exports count them apart (src/export/counts.ts). Absent in totals
   * stored by older versions, which read back as 0 (totalsFromStorage).
   */
  cancelled: number;
  byKind: Partial<Record<MediaKind, number>>;
  /**
   * Per stream, keyed as summariseStreams keys them (a playlist's folder and what lies below it),
   * counted as records arrive (see StreamKeys for a segment that comes before its playlist). At most
   * MAX_TALLIED_STREAMS keys: records of further streams count under OTHER_STREAMS, so the totals
   * over all keys stay exact while a page that makes thousands of folders cannot grow them.
   */
  byStream: Record<string, StreamSummary>;
  /**
   * Rejected records (outcome 'fail') per cause: the verdict's chromiumError, the CDP CorsError name
   * (e.g. 'MissingAllowOriginHeader'), or UNSPECIFIED_CAUSE when the verdict names none. At most
   * MAX_TALLIED_CAUSES keys, then OTHER_CAUSES. Counts per outcome are in byOutcome.
   */
  failuresByCause: Record<string, number>;
}

/** Streams tallied per tab before further streams count together under OTHER_STREAMS. */
export const MAX_TALLIED_STREAMS = 100;
/** Playlist folders remembered per tab for the stream keys (beyond it, new ones key as plain folders). */
export const MAX_PLAYLIST_FOLDERS = 500;
/** Causes tallied per tab before further causes count together under OTHER_CAUSES. */
export const MAX_TALLIED_CAUSES = 40;
/** Key of the stream bucket past the cap; no real key (always 'host/…/') can equal it. */
export const OTHER_STREAMS = '(other streams)';
/** Key of the cause bucket past the cap. */
export const OTHER_CAUSES = '(other causes)';
/** Cause of a rejected record whose verdict names no CorsError. */
export const UNSPECIFIED_CAUSE = '(unspecified)';

/** What the tallies need of a record's verdict: its outcome, whether it was cancelled and, for a rejection, the error name. */
export type VerdictCounts = Pick<CorsVerdict, 'outcome' | 'chromiumError' | 'cancelled'>;

export function emptyTotals(): TabTotals {
  return { requests: 0, byOutcome: { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 }, cancelled: 0, byKind: {}, byStream: {}, failuresByCause: {} };
}

/** The tallied streams as summaries, in the order summariseStreams gives them. */
export function streamsOfTotals(totals: TabTotals): StreamSummary[] {
  return sortStreams(Object.values(totals.byStream));
}

/** Counts one record per outcome (and cancelled), kind and (when rejected) cause; streams are counted by the caller. */
function countVerdict(totals: TabTotals, kind: MediaKind, verdict: VerdictCounts): void {
  totals.requests++;
  totals.byOutcome[verdict.outcome]++;
  if (isCancelledVerdict(verdict)) totals.cancelled++;
  totals.byKind[kind] = (totals.byKind[kind] ?? 0) + 1;
  if (verdict.outcome === 'fail') addCount(totals.failuresByCause, verdict.chromiumError ?? UNSPECIFIED_CAUSE, 1, MAX_TALLIED_CAUSES, OTHER_CAUSES);
}

/** Counts one record as it arrives: per outcome, kind, cause, and in its stream (keyed by the log's `streamKeys`). */
export function countRecord(totals: TabTotals, streamKeys: StreamKeys, record: RequestRecord, verdict: VerdictCounts): void {
  countVerdict(totals, record.media.kind, verdict);
  const place = streamKeys.placeOf(record);
  if (place) countInStream(streamSummaryFor(totals.byStream, place.key, place.pathStart), record.media.kind, verdict.outcome);
}

/** Adds to a capped count map: a key not yet counted, once the map is full, counts under `overflow`. */
function addCount(counts: Record<string, number>, key: string, count: number, max: number, overflow: string): void {
  const at = key in counts || Object.keys(counts).length < max ? key : overflow;
  counts[at] = (counts[at] ?? 0) + count;
}

/** The summary a stream counts in: its own, or OTHER_STREAMS once MAX_TALLIED_STREAMS streams are tallied. */
function streamSummaryFor(byStream: Record<string, StreamSummary>, key: string, pathStart: number): StreamSummary {
  const existing = byStream[key];
  if (existing) return existing;
  // The overflow bucket itself is one of the keys, hence "MAX + 1" keys at most.
  if (Object.keys(byStream).length >= MAX_TALLIED_STREAMS) {
    return (byStream[OTHER_STREAMS] ??= { key: OTHER_STREAMS, host: '', path: '', total: 0, failing: 0, unknown: 0, byKind: {} });
  }
  return (byStream[key] = { key, ...streamHostAndPath(key, pathStart), total: 0, failing: 0, unknown: 0, byKind: {} });
}

/**
 * Totals of a set of records, given each one's verdict or outcome (unknown where none is given; a
 * rejection given as a bare outcome counts under UNSPECIFIED_CAUSE). Streams are keyed from all the
 * records at once, exactly as summariseStreams does.
 */
export function totalsOf(records: readonly RequestRecord[], verdictOf: (record: RequestRecord) => CorsOutcome | VerdictCounts = () => 'unknown'): TabTotals {
  const totals = emptyTotals();
  const verdicts = records.map((record) => {
    const given = verdictOf(record);
    const verdict: VerdictCounts = typeof given === 'string' ? { outcome: given } : given;
    countVerdict(totals, record.media.kind, verdict);
    return { recordId: record.id, verdict: { needsPreflight: false, explanation: '', ...verdict } };
  });
  for (const summary of summariseStreams(records, verdicts)) mergeStream(totals.byStream, summary);
  return totals;
}

function mergeStream(into: Record<string, StreamSummary>, from: StreamSummary): void {
  const target = from.key === OTHER_STREAMS ? (into[OTHER_STREAMS] ??= { ...from, total: 0, failing: 0, unknown: 0, byKind: {} }) : streamSummaryFor(into, from.key, from.host.length);
  target.total += from.total;
  target.failing += from.failing;
  target.unknown += from.unknown;
  for (const [kind, count] of Object.entries(from.byKind) as Array<[MediaKind, number]>) target.byKind[kind] = (target.byKind[kind] ?? 0) + count;
}

/** Adds `from` into `into`, streams and causes too (under the same caps). */
export function mergeTotals(into: TabTotals, from: TabTotals): void {
  into.requests += from.requests;
  for (const outcome of Object.keys(from.byOutcome) as CorsOutcome[]) into.byOutcome[outcome] += from.byOutcome[outcome];
  into.cancelled += from.cancelled;
  for (const [kind, count] of Object.entries(from.byKind) as Array<[MediaKind, number]>) into.byKind[kind] = (into.byKind[kind] ?? 0) + count;
  for (const summary of Object.values(from.byStream)) mergeStream(into.byStream, summary);
  for (const [cause, count] of Object.entries(from.failuresByCause)) addCount(into.failuresByCause, cause, count, MAX_TALLIED_CAUSES, OTHER_CAUSES);
}

/**
 * The totals with the rows decided by page evidence (verdict.inferred) moved out of 'unknown' (a load
 * the evidence shows cancelled counts as cancelled too): the store counted them as they arrived, before
 * any evidence was read. A copy; `totals` is not changed.
 * Per-stream tallies (shown only once detail was evicted) keep the arrival counts.
 */
export function totalsWithInferred(totals: TabTotals, rows: Iterable<{ verdict: CorsVerdict }>): TabTotals {
  let adjusted: TabTotals | null = null;
  for (const { verdict } of rows) {
    if (verdict.inferred === undefined || verdict.outcome === 'unknown') continue;
    adjusted ??= { ...totals, byOutcome: { ...totals.byOutcome }, failuresByCause: { ...totals.failuresByCause } };
    if (adjusted.byOutcome.unknown === 0) break; // counted after the evidence: nothing to move
    adjusted.byOutcome.unknown--;
    adjusted.byOutcome[verdict.outcome]++;
    if (isCancelledVerdict(verdict)) adjusted.cancelled++;
    if (verdict.outcome === 'fail') addCount(adjusted.failuresByCause, verdict.chromiumError ?? UNSPECIFIED_CAUSE, 1, MAX_TALLIED_CAUSES, OTHER_CAUSES);
  }
  return adjusted ?? totals;
}

function isCountMap(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && Object.values(value).every((count) => typeof count === 'number');
}

function isTotals(value: unknown): value is Pick<TabTotals, 'requests' | 'byOutcome' | 'byKind'> & Partial<TabTotals> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<TabTotals>;
  return typeof candidate.requests === 'number' && isCountMap(candidate.byOutcome) && isCountMap(candidate.byKind);
}

function isStreamMap(value: unknown): value is Record<string, StreamSummary> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every((summary: Partial<StreamSummary> | null) => typeof summary?.total === 'number' && typeof summary.failing === 'number' && typeof summary.key === 'string');
}

/** Totals as a stored meta holds them: `cancelled` was added later (older metas lack it). */
export type StoredTotals = Omit<TabTotals, 'cancelled'> & Partial<Pick<TabTotals, 'cancelled'>>;

/**
 * Stored totals with a `cancelled` count: a missing one is 0, as the version that stored them counted
 * cancelled requests under 'not-applicable' only (and byOutcome, stored with them, stays exact).
 */
export function withCancelledCount(totals: StoredTotals): TabTotals {
  return { ...totals, cancelled: typeof totals.cancelled === 'number' ? totals.cancelled : 0 };
}

/**
 * The totals stored with a log, read back. Totals stored before a field existed (byStream and
 * failuresByCause were added later) get it from the records still held, with their verdicts worked
 * out again (exact only if nothing had been evicted then); no stored totals at all, likewise. A
 * missing `cancelled` count is 0 (withCancelledCount).
 */
export function totalsFromStorage(stored: unknown, records: readonly RequestRecord[]): TabTotals {
  if (!isTotals(stored)) return totalsOf(records, (record) => verdictForRecord(record));
  if (isStreamMap(stored.byStream) && isCountMap(stored.failuresByCause)) return withCancelledCount(stored as StoredTotals);
  const rebuilt = totalsOf(records, (record) => verdictForRecord(record));
  return withCancelledCount({ requests: stored.requests, byOutcome: stored.byOutcome, cancelled: stored.cancelled, byKind: stored.byKind, byStream: rebuilt.byStream, failuresByCause: rebuilt.failuresByCause });
}
