import type { CorsOutcome, Finding } from '../engine/model.ts';
import { isMedia, isPlaylist } from '../engine/media/classify.ts';
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
export const OUTCOME_ORDER: Record<CorsOutcome, number> = { fail: 0, unknown: 1, pass: 2, 'not-applicable': 3 };

/** What the findings say of one record: their causes (errors and warnings) and whether a warning names it. */
export interface NamedBy {
  causes: string[];
  warned: boolean;
}

const NAMED_BY_NONE: NamedBy = { causes: [], warned: false };

/** Whether a finding marks the rows it names: an info-level finding names nothing in the list. */
export function marksRows(finding: Finding): boolean {
  return finding.severity !== 'info';
}

/** Adds what `finding` (one that marksRows) says of a record to what the findings before it said. */
export function noteFinding(named: NamedBy, finding: Finding): void {
  if (!named.causes.includes(finding.cause)) named.causes.push(finding.cause);
  if (finding.severity === 'warning') named.warned = true;
}

/** What the findings say of each record they name (info-level findings name nothing in the list). */
export function namedByOf(findings: readonly Finding[], only?: ReadonlySet<string>): Map<string, NamedBy> {
  const named = new Map<string, NamedBy>();
  for (const finding of findings) {
    if (!marksRows(finding)) continue;
    for (const id of finding.recordIds) {
      // `only`: the records a view holds (a first screen's few dozen of the thousands findings name).
      if (only !== undefined && !only.has(id)) continue;
      let entry = named.get(id);
      if (!entry) named.set(id, (entry = { causes: [], warned: false }));
      noteFinding(entry, finding);
    }
  }
  return named;
}

export function sameNamedBy(a: NamedBy | undefined, b: NamedBy | undefined): boolean {
  const x = a ?? NAMED_BY_NONE;
  const y = b ?? NAMED_BY_NONE;
  return x.warned === y.warned && x.causes.length === y.causes.length && x.causes.every((cause, index) => y.causes[index] === cause);
}

/** One row of the list: the record's row facts and what the findings say of it. Its position is its seq (arrival order). */
export function requestRowOf(fact: RowFacts, named: NamedBy | undefined): RequestRow {
  const { causes, warned } = named ?? NAMED_BY_NONE;
  return { ...fact, causes: [...causes], warned, position: fact.seq };
}

/** The list's own order: failing first (then undetermined, passed, not CORS), otherwise in arrival order. */
export function compareRows(a: RequestRow, b: RequestRow): number {
  return OUTCOME_ORDER[a.verdict.outcome] - OUTCOME_ORDER[b.verdict.outcome] || a.position - b.position;
}

/** Rows from row facts in arrival order and the findings of the same log, in the list's order (compareRows). */
export function rowsOf(facts: readonly RowFacts[], findings: readonly Finding[]): RequestRow[] {
  const named = namedByOf(findings);
  return rowsNamedBy(facts, (id) => named.get(id));
}

/** rowsOf with the findings already read: `namedBy(id)`, what they say of a record (namedByOf). */
export function rowsNamedBy(facts: readonly RowFacts[], namedBy: (id: string) => NamedBy | undefined): RequestRow[] {
  return facts.map((fact) => requestRowOf(fact, namedBy(fact.id))).sort(compareRows);
}

export type RowFilter = 'all' | 'failing' | 'warnings' | 'playlists' | 'segments';
export const ROW_FILTERS: readonly RowFilter[] = ['all', 'failing', 'warnings', 'playlists', 'segments'];

export function matchesFilter(row: Pick<RequestRow, 'kind' | 'verdict' | 'warned'>, filter: RowFilter): boolean {
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

/** The order of a sorted table: by the column, ties in the list's order (compareRows). */
export function compareBySort(sort: RowSort): (a: RequestRow, b: RequestRow) => number {
  const value = sortValue[sort.key];
  const direction = sort.descending ? -1 : 1;
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    return x < y ? -direction : x > y ? direction : compareRows(a, b);
  };
}

/** Rows (in the list's order) sorted by one column (ties keep the list's order). */
export function sortRows(rows: readonly RequestRow[], sort: RowSort): RequestRow[] {
  return [...rows].sort(compareBySort(sort));
}
