import type { Finding } from '../engine/model.ts';
import type { RowFacts } from './row-facts.ts';
import {
  ROW_FILTERS,
  compareBySort,
  compareRows,
  filterCounts,
  matchesFilter,
  namedByOf,
  requestRowOf,
  rowsNamedBy,
  sameNamedBy,
  sortRows,
  type NamedBy,
  type RequestRow,
  type RowFilter,
  type RowSort,
} from './rows.ts';
import { GROUP_ORDER, groupOf, groupRowsInPlace, type RowGroup, type RowGroupKey } from './groups.ts';
import { UNSPECIFIED_CAUSE } from './totals.ts';

/** How the user arranged the list: filter, sort (the panel's column headers), and a counter bumped when they regroup. */
export interface ListArrangement {
  filter: RowFilter;
  sort: RowSort | null;
  groupedAt: number;
}

const NO_FINDINGS: readonly Finding[] = [];

type Compare = (a: RequestRow, b: RequestRow) => number;
const byPosition: Compare = (a, b) => a.position - b.position;

/** Index of the first entry of `list` (ordered by `compare`) not before `row`. */
function lowerBound(list: readonly RequestRow[], row: RequestRow, compare: Compare): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(list[middle]!, row) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Past one row in this many changed (a full answer after a worker restart replaces every row object),
 * one sort of the whole list costs less than placing each row by binary search and splice.
 */
const REBUILD_FROM = 8;

/** What differs between the held rows and the new ones (both in seq order), by identity. */
interface RowChanges {
  /** Held rows no longer there (evicted), or replaced by another object of the same seq (re-judged). */
  gone: RowFacts[];
  /** New rows, and the new objects of re-judged rows. */
  came: RowFacts[];
}

/**
 * The rows added, removed or replaced between `held` and `facts`, in one walk of pointer comparisons;
 * null when `facts` are out of seq order or more than `limit` rows changed (the list is rebuilt then).
 */
function changesBetween(held: readonly RowFacts[], facts: readonly RowFacts[], limit: number): RowChanges | null {
  const gone: RowFacts[] = [];
  const came: RowFacts[] = [];
  let i = 0;
  let j = 0;
  let lastSeq = -Infinity;
  let changed = 0;
  while (i < held.length || j < facts.length) {
    const before = held[i];
    const after = facts[j];
    if (after !== undefined && after.seq <= lastSeq) return null;
    if (after === undefined || (before !== undefined && before.seq < after.seq)) {
      gone.push(before!);
      i++;
    } else {
      lastSeq = after.seq;
      j++;
      if (before === undefined || before.seq > after.seq) came.push(after);
      else {
        i++;
        if (before === after) continue;
        gone.push(before);
        came.push(after);
      }
    }
    if (++changed > limit) return null;
  }
  return { gone, came };
}

/**
 * The request list of an open view, kept up to date as the log changes: its rows (rowsOf), the count
 * of each filter (filterCounts), failures per cause, and the groups shown (groupRowsInPlace, or one
 * sorted list), each equal to what those functions rebuild from the whole log
 * (test/view/list.test.ts). An update costs what changed: the held rows are compared by identity with
 * the new ones, and only rows added, re-judged, evicted or newly named by a finding are worked on,
 * each placed in its group by binary search. The whole list is rebuilt only when the user arranges
 * it (filter, sort, regroup), when the background's first answer replaces rows read from storage,
 * when it was or becomes empty, when more than one row in REBUILD_FROM changed at once, or for rows
 * out of seq order.
 */
export class RequestList {
  private facts: readonly RowFacts[] = [];
  private findings: readonly Finding[] = NO_FINDINGS;
  private named: ReadonlyMap<string, NamedBy> = new Map();
  private readonly rowBySeq = new Map<number, RequestRow>();
  private readonly seqById = new Map<string, number>();
  private arrangement: ListArrangement | null = null;
  private sortOrder: Compare | null = null;
  /** Ids of the rows the list was last grouped with; rows since go to 'arrived' (see groupRowsInPlace). */
  private groupedIds: Set<string> | null = null;
  private readonly groupLists = new Map<RowGroupKey, RequestRow[]>();
  private tally: Record<RowFilter, number> = filterCounts([]);
  private failures: Record<string, number> = {};
  /** True while the rows are a snapshot read from storage before the background answered. */
  private provisional = false;
  /** Changes whenever what the list shows changed. */
  revision = 0;

  /**
   * Brings the list up to `facts` (one per record held, in seq order) and `findings`, arranged as asked.
   * The same inputs again cost nothing. `provisional`: the rows are a snapshot from storage, read before
   * the background answered, and are drawn grouped; the first update that is not regroups the list with
   * every row it holds, so a request the background held before the view opened (not yet written to
   * storage) is placed in its group, not shown as an arrival.
   */
  update(facts: readonly RowFacts[], findingsGiven: readonly Finding[], arrangement: ListArrangement, provisional = false): void {
    // No findings (a view still waiting for the diagnosis passes a fresh []) are the same no findings.
    const findings = findingsGiven.length === 0 ? NO_FINDINGS : findingsGiven;
    const previous = this.arrangement;
    // Rows from storage are drawn grouped, and so is the background's first answer that replaces them.
    const snapshotChange = this.provisional !== provisional;
    this.provisional = provisional;
    const rearranged = snapshotChange || previous === null || previous.filter !== arrangement.filter || previous.sort !== arrangement.sort || previous.groupedAt !== arrangement.groupedAt;
    if (!rearranged && facts === this.facts && findings === this.findings) return;
    this.revision++;
    if (rearranged) {
      this.arrangement = arrangement;
      this.sortOrder = arrangement.sort && compareBySort(arrangement.sort);
      this.groupedIds = null;
      this.rebuild(facts, findings);
      return;
    }
    const changes = this.facts.length === 0 || facts.length === 0 ? null : changesBetween(this.facts, facts, facts.length / REBUILD_FROM);
    if (changes === null) this.rebuild(facts, findings);
    else this.applyChanges(facts, changes, findings);
  }

  /** The groups to show, in order ('all' alone when sorted). */
  groups(): RowGroup[] {
    if (this.sortOrder) return [{ key: 'all', rows: this.groupLists.get('all') ?? [] }];
    const groups: RowGroup[] = [];
    for (const key of [...GROUP_ORDER, 'arrived' as const]) {
      const rows = this.groupLists.get(key);
      if (rows && rows.length > 0) groups.push({ key, rows });
    }
    return groups;
  }

  /** Rows matching each filter, over every row held. */
  counts(): Readonly<Record<RowFilter, number>> {
    return this.tally;
  }

  /** Rejected rows per cause (the verdict's chromiumError), over every row held. */
  failuresByCause(): Readonly<Record<string, number>> {
    return this.failures;
  }

  get size(): number {
    return this.rowBySeq.size;
  }

  rowById(id: string): RequestRow | undefined {
    const seq = this.seqById.get(id);
    return seq === undefined ? undefined : this.rowBySeq.get(seq);
  }

  private rebuild(facts: readonly RowFacts[], findings: readonly Finding[]): void {
    const { filter, sort } = this.arrangement!;
    this.facts = facts;
    this.findings = findings;
    this.named = namedByOf(findings);
    const rows = rowsNamedBy(facts, this.named);
    this.rowBySeq.clear();
    this.seqById.clear();
    this.failures = {};
    for (const row of rows) {
      this.rowBySeq.set(row.seq, row);
      this.seqById.set(row.id, row.seq);
      this.countFailure(row, 1);
    }
    this.tally = filterCounts(rows);
    if (rows.length === 0) this.groupedIds = null;
    else this.groupedIds ??= new Set(rows.map((row) => row.id));
    const shown = rows.filter((row) => matchesFilter(row, filter));
    const groups = sort ? [{ key: 'all' as const, rows: sortRows(shown, sort) }] : groupRowsInPlace(shown, this.groupedIds ?? new Set());
    this.groupLists.clear();
    for (const group of groups) this.groupLists.set(group.key, group.rows);
  }

  /** Removes the rows gone (evicted or replaced) and adds the new ones (arrived or re-judged). */
  private applyChanges(facts: readonly RowFacts[], { gone, came }: RowChanges, findings: readonly Finding[]): void {
    const named = findings === this.findings ? this.named : namedByOf(findings);
    for (const before of gone) this.remove(this.rowBySeq.get(before.seq)!);
    for (const after of came) this.add(requestRowOf(after, named.get(after.id)));
    if (named !== this.named) {
      // Rows whose findings changed (those replaced above already have the new ones).
      for (const id of new Set([...this.named.keys(), ...named.keys()])) {
        const row = this.rowById(id);
        if (row && !sameNamedBy(row, named.get(id))) {
          this.remove(row);
          this.add(requestRowOf(row, named.get(id)));
        }
      }
    }
    this.facts = facts;
    this.findings = findings;
    this.named = named;
  }

  private placeOf(row: RequestRow): { list: RowGroupKey; order: Compare } | null {
    if (!matchesFilter(row, this.arrangement!.filter)) return null;
    if (this.sortOrder) return { list: 'all', order: this.sortOrder };
    return this.groupedIds?.has(row.id) ? { list: groupOf(row), order: compareRows } : { list: 'arrived', order: byPosition };
  }

  private add(row: RequestRow): void {
    this.rowBySeq.set(row.seq, row);
    this.seqById.set(row.id, row.seq);
    this.count(row, 1);
    const place = this.placeOf(row);
    if (!place) return;
    let list = this.groupLists.get(place.list);
    if (!list) this.groupLists.set(place.list, (list = []));
    list.splice(lowerBound(list, row, place.order), 0, row);
  }

  private remove(row: RequestRow): void {
    this.rowBySeq.delete(row.seq);
    if (this.seqById.get(row.id) === row.seq) this.seqById.delete(row.id);
    this.count(row, -1);
    const place = this.placeOf(row);
    const list = place && this.groupLists.get(place.list);
    if (!place || !list) return;
    const found = lowerBound(list, row, place.order);
    const index = list[found] === row ? found : list.indexOf(row);
    if (index >= 0) list.splice(index, 1);
  }

  private count(row: RequestRow, by: 1 | -1): void {
    for (const filter of ROW_FILTERS) if (matchesFilter(row, filter)) this.tally[filter] += by;
    this.countFailure(row, by);
  }

  private countFailure(row: RequestRow, by: 1 | -1): void {
    if (row.verdict.outcome !== 'fail') return;
    const cause = row.verdict.chromiumError ?? UNSPECIFIED_CAUSE;
    const count = (this.failures[cause] ?? 0) + by;
    if (count === 0) delete this.failures[cause];
    else this.failures[cause] = count;
  }
}
