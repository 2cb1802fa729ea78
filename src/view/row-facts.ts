import type { CorsVerdict, MediaKind, Report, RequestRecord } from '../engine/model.ts';
import { cacheStatusLabel, cacheStatusOf } from '../engine/cdn/facts.ts';
import { combinedHeaderValue, headerValue } from '../engine/headers.ts';
import { fileNameOf } from '../engine/media/classify.ts';

/**
 * What a view's list shows of one record: worked out where the record is and shipped instead of it
 * (a record with all its headers is several times larger). The detail view fetches the full record.
 */
export interface RowFacts {
  id: string;
  /** Position in the page load (arrival order); records evicted earlier had lower numbers. */
  seq: number;
  fileName: string;
  url: string;
  kind: MediaKind;
  status: number | null;
  allowOrigin: string | null;
  /**
   * The cache's status for every vendor the engine knows (cacheStatusLabel): the header's own words
   * when they name it (`Hit from cloudfront`, `TCP_HIT`), else vendor and status (`Varnish HIT` for
   * `X-Varnish: 32770 5`). Age is a field of its own.
   */
  cacheStatus: string | null;
  age: string | null;
  fromBrowserCache: boolean;
  error: string | null;
  verdict: CorsVerdict;
  /**
   * The verdict as text (`verdictKeyOf`), worked out once when the row is made: equal keys, equal
   * verdicts. Packing a message and comparing a re-judged row read this instead of the verdict's fields.
   */
  verdictKey: string;
  /** The Origin the request sent (a verdict's sentence names it). */
  requestOrigin: string | null;
  retest: boolean;
  retestOf: string | null;
  start: number;
}

/** The list's cache column: the status a header states (never a hit inferred from Age alone, which has its own field). */
function cacheColumnOf(headers: RequestRecord['responseHeaders']): string | null {
  const reading = cacheStatusOf(headers);
  return reading === null ? null : cacheStatusLabel(reading);
}

export function rowFactsOf(record: RequestRecord, verdict: CorsVerdict, seq: number): RowFacts {
  const headers = record.responseHeaders;
  return {
    id: record.id,
    seq,
    fileName: fileNameOf(record.url),
    url: record.url,
    kind: record.media.kind,
    status: record.status,
    allowOrigin: combinedHeaderValue(headers, 'access-control-allow-origin'),
    cacheStatus: cacheColumnOf(headers),
    age: headerValue(headers, 'age'),
    fromBrowserCache: record.fromCache,
    error: record.error,
    verdict,
    verdictKey: verdictKeyOf(verdict),
    requestOrigin: headerValue(record.requestHeaders, 'origin'),
    retest: record.retest === true,
    retestOf: record.retestOf ?? null,
    start: record.timings.start,
  };
}

/** Stands for a field the verdict does not have (never part of a header value or a sentence). */
const ABSENT = '\u0001';
const field = (value: string | undefined): string => value ?? ABSENT;

/**
 * A verdict's identity as one string: two verdicts have the same key exactly when every field is the
 * same (the message reference compared by value). Verdicts are fresh objects per record, so rows
 * sharing a verdict are found by this key; it costs one string per row, made once.
 */
export function verdictKeyOf(verdict: CorsVerdict): string {
  const text = verdict.explanationText === undefined ? ABSENT : JSON.stringify(verdict.explanationText);
  return `${verdict.outcome}\u0000${field(verdict.chromiumError)}\u0000${field(verdict.firefoxError)}\u0000${field(verdict.failedParameter)}\u0000${verdict.needsPreflight ? 1 : 0}${verdict.cancelled ? 'c' : ''}\u0000${field(verdict.stage)}\u0000${field(verdict.browserDifference)}\u0000${verdict.explanation}\u0000${text}`;
}

const MISSING_VERDICT: CorsVerdict = { outcome: 'unknown', needsPreflight: false, explanation: '' };

/** Row facts of records held in the view itself (an imported log), with the report's verdicts. */
export function rowFactsOfRecords(records: readonly RequestRecord[], report: Report): RowFacts[] {
  const verdictById = new Map(report.verdicts.map((entry) => [entry.recordId, entry.verdict]));
  return records.map((record, index) => rowFactsOf(record, verdictById.get(record.id) ?? MISSING_VERDICT, index));
}

/**
 * Row facts as they travel in a message: one array per row instead of an object (no key names), with
 * the verdicts and Origins, which repeat from row to row, sent once in tables and named by index. The
 * file name is left out (it is the URL's last segment). A large log's rows are a fraction of the bytes.
 */
export interface PackedRows {
  verdicts: CorsVerdict[];
  origins: Array<string | null>;
  rows: PackedRow[];
}

type PackedRow = [
  id: string,
  seq: number,
  url: string,
  kind: MediaKind,
  status: number | null,
  allowOrigin: string | null,
  cacheStatus: string | null,
  age: string | null,
  fromBrowserCache: 0 | 1,
  error: string | null,
  verdict: number,
  requestOrigin: number,
  retest: 0 | 1,
  retestOf: string | null,
  start: number,
];

/** A table of distinct values, each row naming its value by index (values compared by their key). */
function indexer<T>(): { values: T[]; indexOf: (key: string, value: T) => number } {
  const values: T[] = [];
  const byKey = new Map<string, number>();
  return {
    values,
    indexOf(key, value) {
      let index = byKey.get(key);
      if (index === undefined) {
        index = values.push(value) - 1;
        byKey.set(key, index);
      }
      return index;
    },
  };
}

export function packRows(rows: readonly RowFacts[]): PackedRows {
  const verdicts = indexer<CorsVerdict>();
  const origins = indexer<string | null>();
  const packed = rows.map(
    (row): PackedRow => [
      row.id,
      row.seq,
      row.url,
      row.kind,
      row.status,
      row.allowOrigin,
      row.cacheStatus,
      row.age,
      row.fromBrowserCache ? 1 : 0,
      row.error,
      verdicts.indexOf(row.verdictKey, row.verdict),
      // null and the text 'null' (an opaque origin) are different Origins.
      origins.indexOf(row.requestOrigin === null ? ABSENT : row.requestOrigin, row.requestOrigin),
      row.retest ? 1 : 0,
      row.retestOf,
      row.start,
    ],
  );
  return { verdicts: verdicts.values, origins: origins.values, rows: packed };
}

export function unpackRows(packed: PackedRows): RowFacts[] {
  const verdictKeys = packed.verdicts.map(verdictKeyOf);
  return packed.rows.map(([id, seq, url, kind, status, allowOrigin, cacheStatus, age, fromBrowserCache, error, verdict, requestOrigin, retest, retestOf, start]) => ({
    id,
    seq,
    fileName: fileNameOf(url),
    url,
    kind,
    status,
    allowOrigin,
    cacheStatus,
    age,
    fromBrowserCache: fromBrowserCache === 1,
    error,
    verdict: packed.verdicts[verdict]!,
    verdictKey: verdictKeys[verdict]!,
    requestOrigin: packed.origins[requestOrigin]!,
    retest: retest === 1,
    retestOf,
    start,
  }));
}
