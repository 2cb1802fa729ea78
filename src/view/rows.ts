import type { CorsOutcome, Finding } from '../engine/model.ts';
import { isMedia, isPlaylist } from '../engine/index.ts';
import { kindIs } from './media.ts';
import type { RowFacts } from './row-facts.ts';

/**
 * One line of the request list, ready to render: the record's row facts (worked out by the background
 * for a live tab, by the panel for an imported log) and the findings that name it. Never re-judged.
 */
export interface RequestRow extends RowFacts {
  /** Causes of the report's findings that name this record (error/warning findings only). */
  causes: string[];
  /** True when a warning-level finding names this record. */
  warned: boolean;
  /** Position of the record in the log (arrival order). */
  position: number;
}

/** Rejected first, then undetermined, passed and not CORS. */
const OUTCOME_ORDER: Record<CorsOutcome, number> = { fail: 0, unknown: 1, pass: 2, 'not-applicable': 3 };

/** Rows from row facts in arrival order and the findings of the same log: failing first (then undetermined), otherwise in arrival order. */
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

export function matchesFilter(row: RequestRow, filter: RowFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'failing':
      return row.verdict.outcome === 'fail';
    case 'warnings':
      return row.verdict.outcome === 'unknown' || row.warned;
    case 'playlists':
      return kindIs(isPlaylist, row.kind);
    case 'segments':
      // As the rules count segments: media that is not a playlist (init segments, keys, subtitles too).
      return kindIs(isMedia, row.kind) && !kindIs(isPlaylist, row.kind);
  }
}

export function filterCounts(rows: readonly RequestRow[]): Record<RowFilter, number> {
  const counts: Record<RowFilter, number> = { all: 0, failing: 0, warnings: 0, playlists: 0, segments: 0 };
  for (const row of rows) for (const filter of ROW_FILTERS) if (matchesFilter(row, filter)) counts[filter]++;
  return counts;
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
