import type { CorsOutcome, CorsVerdict, Finding, MediaKind, Report, RequestRecord } from '../../engine/model.ts';
import { rowFactsOf, type RowFacts } from '../../background/row-facts.ts';

/**
 * One line of the request list, ready to render: the record's row facts (worked out by the background
 * for a live tab, here for an imported log) and the findings that name it. Never re-judged.
 */
export interface RequestRow extends RowFacts {
  /** Causes of the report's findings that name this record (error/warning findings only). */
  causes: string[];
  /** True when a warning-level finding names this record. */
  warned: boolean;
  /** Position of the record in the log (arrival order). */
  position: number;
}

const OUTCOME_ORDER: Record<CorsOutcome, number> = { fail: 0, unknown: 1, pass: 2, 'not-applicable': 3 };
const MISSING_VERDICT: CorsVerdict = { outcome: 'unknown', needsPreflight: false, explanation: '' };

/** Row facts of records held here (an imported log), with the report's verdicts. */
export function rowFactsOfRecords(records: readonly RequestRecord[], report: Report): RowFacts[] {
  const verdictById = new Map(report.verdicts.map((entry) => [entry.recordId, entry.verdict]));
  return records.map((record, index) => rowFactsOf(record, verdictById.get(record.id) ?? MISSING_VERDICT, index));
}

/** Rows for a tab, failing first (then undetermined), otherwise in request order. */
export function requestRows(records: readonly RequestRecord[], report: Report): RequestRow[] {
  return rowsOf(rowFactsOfRecords(records, report), report.findings);
}

/** Rows from row facts in arrival order and the findings of the same log (see requestRows). */
export function rowsOf(facts: readonly RowFacts[], findings: readonly Finding[]): RequestRow[] {
  const causesById = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.severity === 'info') continue;
    for (const id of finding.recordIds) {
      const list = causesById.get(id);
      if (list) list.push(finding);
      else causesById.set(id, [finding]);
    }
  }
  const rows = facts.map((fact, index) => {
    const named = causesById.get(fact.id) ?? [];
    const row: RequestRow = {
      ...fact,
      causes: [...new Set(named.map((finding) => finding.cause))],
      warned: named.some((finding) => finding.severity === 'warning'),
      position: index,
    };
    return { row, index };
  });
  rows.sort((a, b) => OUTCOME_ORDER[a.row.verdict.outcome] - OUTCOME_ORDER[b.row.verdict.outcome] || a.index - b.index);
  return rows.map((entry) => entry.row);
}

export type RowFilter = 'all' | 'failing' | 'warnings' | 'playlists' | 'segments';
export const ROW_FILTERS: readonly RowFilter[] = ['all', 'failing', 'warnings', 'playlists', 'segments'];

const PLAYLIST_KINDS: ReadonlySet<MediaKind> = new Set(['master-playlist', 'media-playlist', 'playlist', 'dash-manifest']);
const SEGMENT_KINDS: ReadonlySet<MediaKind> = new Set(['segment', 'init-segment', 'audio', 'progressive']);

export function matchesFilter(row: RequestRow, filter: RowFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'failing':
      return row.verdict.outcome === 'fail';
    case 'warnings':
      return row.verdict.outcome === 'unknown' || row.warned;
    case 'playlists':
      return PLAYLIST_KINDS.has(row.kind);
    case 'segments':
      return SEGMENT_KINDS.has(row.kind);
  }
}

export function filterCounts(rows: readonly RequestRow[]): Record<RowFilter, number> {
  const counts: Record<RowFilter, number> = { all: 0, failing: 0, warnings: 0, playlists: 0, segments: 0 };
  for (const row of rows) for (const filter of ROW_FILTERS) if (matchesFilter(row, filter)) counts[filter]++;
  return counts;
}

/**
 * Groups shown in the list, in this order; rejected requests are pulled up into their own group.
 * 'arrived' holds, in arrival order, what came in since the view last grouped (see groupRowsInPlace).
 */
export type RowGroupKey = 'all' | 'rejected' | 'playlists' | 'segments' | 'init' | 'keys' | 'subtitles' | 'preflights' | 'other' | 'arrived';

const GROUP_OF_KIND: Record<MediaKind, RowGroupKey> = {
  'master-playlist': 'playlists',
  'media-playlist': 'playlists',
  playlist: 'playlists',
  'dash-manifest': 'playlists',
  segment: 'segments',
  audio: 'segments',
  progressive: 'segments',
  'init-segment': 'init',
  key: 'keys',
  subtitles: 'subtitles',
  preflight: 'preflights',
  other: 'other',
};
const GROUP_ORDER: readonly RowGroupKey[] = ['rejected', 'playlists', 'segments', 'init', 'keys', 'subtitles', 'preflights', 'other'];

export interface RowGroup {
  key: RowGroupKey;
  rows: RequestRow[];
}

export function groupRows(rows: readonly RequestRow[]): RowGroup[] {
  const groups = new Map<RowGroupKey, RequestRow[]>();
  for (const row of rows) {
    const key = row.verdict.outcome === 'fail' ? 'rejected' : GROUP_OF_KIND[row.kind];
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return GROUP_ORDER.filter((key) => groups.has(key)).map((key) => ({ key, rows: groups.get(key)! }));
}

/**
 * Groups for a view that is open while requests arrive: rows the view had when it last grouped
 * (`groupedIds`) keep their groups; newer rows follow in one last group, in arrival order. Pulling a
 * newly rejected request up into the 'rejected' group would push every row below it down while the
 * user reads them (DESIGN §7: no layout jumps while a stream plays); appending moves nothing.
 */
export function groupRowsInPlace(rows: readonly RequestRow[], groupedIds: ReadonlySet<string>): RowGroup[] {
  const grouped: RequestRow[] = [];
  const arrived: RequestRow[] = [];
  for (const row of rows) (groupedIds.has(row.id) ? grouped : arrived).push(row);
  const groups = groupRows(grouped);
  if (arrived.length > 0) groups.push({ key: 'arrived', rows: arrived.sort((a, b) => a.position - b.position) });
  return groups;
}

export type SortKey = 'verdict' | 'file' | 'kind' | 'status' | 'allowOrigin' | 'cache' | 'time';
export interface RowSort {
  key: SortKey;
  descending: boolean;
}

const sortValue: Record<SortKey, (row: RequestRow) => string | number> = {
  verdict: (row) => OUTCOME_ORDER[row.verdict.outcome],
  file: (row) => row.fileName.toLowerCase(),
  kind: (row) => row.kind,
  status: (row) => row.status ?? -1,
  allowOrigin: (row) => row.allowOrigin ?? '',
  cache: (row) => row.cacheStatus ?? '',
  time: (row) => row.start,
};

/** A stable sort of rows by one column (ties keep the report's order). */
export function sortRows(rows: readonly RequestRow[], sort: RowSort): RequestRow[] {
  const value = sortValue[sort.key];
  const direction = sort.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((a, b) => (a.key < b.key ? -direction : a.key > b.key ? direction : a.index - b.index))
    .map((entry) => entry.row);
}
