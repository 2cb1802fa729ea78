import type { Finding } from '../engine/model.ts';
import type { RowFacts } from './row-facts.ts';
import {
  ROW_FILTERS,
  compareBySort,
  compareRows,
  filterCounts,
  marksRows,
  matchesFilter,
  noteFinding,
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

/** How many times each id stands in a finding's recordIds (a finding may name a record twice). */
type IdCounts = Map<string, number>;

/** The ids a non-info finding names; an info finding names nothing in the list (namedByOf). */
const listedIds = (finding: Finding | undefined): readonly string[] => (finding === undefined || !marksRows(finding) ? [] : finding.recordIds);

/**
 * `next` as `held` with its first `dropped` ids gone and ids appended (what a playing stream does to a
 * finding, and what applySummaryChange builds): the appended ones; null when `next` is not that.
 */
function appendedAfterDrop(held: readonly string[], next: readonly string[]): { dropped: number; appended: readonly string[] } | null {
  const dropped = next.length === 0 ? held.length : held.indexOf(next[0]!);
  if (dropped < 0) return null;
  const kept = held.length - dropped;
  if (kept > next.length) return null;
  for (let k = 1; k < kept; k++) if (held[dropped + k] !== next[k]) return null;
  return { dropped, appended: next.slice(kept) };
}

/**
 * What the findings say of each record (namedByOf), kept up to date finding by finding: a finding that
 * is the same object as before costs nothing, one that continues (ids dropped from its front, others
 * appended) costs one pointer comparison per id it keeps and work for the ids it dropped or added.
 * A finding is known by its rule, cause and rank among the findings of that rule and cause.
 */
class FindingIndex {
  private findings: readonly Finding[] = NO_FINDINGS;
  private readonly bySlot = new Map<string, { finding: Finding; ids: IdCounts }>();
  /** Each slot's index among the findings: the order of a record's causes. */
  private order = new Map<string, number>();
  private readonly slotsOf = new Map<string, Set<string>>();

  /** Brings the index to `findings`; returns the ids whose NamedBy may have changed. */
  update(findings: readonly Finding[]): Set<string> {
    const touched = new Set<string>();
    if (findings === this.findings) return touched;
    const next = new Map<string, Finding>();
    const order = new Map<string, number>();
    const ranks = new Map<string, number>();
    findings.forEach((finding, index) => {
      const pair = `${finding.ruleId}\u0000${finding.cause}`;
      const rank = ranks.get(pair) ?? 0;
      ranks.set(pair, rank + 1);
      const slot = `${pair}\u0000${rank}`;
      next.set(slot, finding);
      order.set(slot, index);
    });
    // Findings that stay but change places change the order of the causes of the records they share.
    const kept = (from: Map<string, number>, other: Map<string, unknown>) => [...from.keys()].filter((slot) => other.has(slot)).sort((a, b) => from.get(a)! - from.get(b)!);
    const before = kept(this.order, next);
    const after = kept(order, this.bySlot);
    const reordered = before.some((slot, index) => after[index] !== slot);
    for (const slot of new Set([...this.bySlot.keys(), ...next.keys()])) {
      const held = this.bySlot.get(slot);
      const finding = next.get(slot);
      if (held && finding === held.finding) {
        if (reordered) for (const id of held.ids.keys()) touched.add(id);
        continue;
      }
      const heldIds = listedIds(held?.finding);
      const nextIds = listedIds(finding);
      const counts = held?.ids ?? new Map<string, number>();
      const run = held && finding && held.finding.severity === finding.severity && !reordered ? appendedAfterDrop(heldIds, nextIds) : null;
      if (run) {
        for (let k = 0; k < run.dropped; k++) this.count(slot, counts, heldIds[k]!, -1, touched);
        for (const id of run.appended) this.count(slot, counts, id, 1, touched);
      } else {
        for (const id of heldIds) this.count(slot, counts, id, -1, touched);
        for (const id of nextIds) this.count(slot, counts, id, 1, touched);
      }
      if (finding) this.bySlot.set(slot, { finding, ids: counts });
      else this.bySlot.delete(slot);
    }
    this.findings = findings;
    this.order = order;
    return touched;
  }

  /** What the findings say of `id` (as namedByOf does), undefined when none names it. */
  namedBy(id: string): NamedBy | undefined {
    const slots = this.slotsOf.get(id);
    if (!slots) return undefined;
    const named: NamedBy = { causes: [], warned: false };
    for (const slot of [...slots].sort((a, b) => this.order.get(a)! - this.order.get(b)!)) {
      noteFinding(named, this.bySlot.get(slot)!.finding);
    }
    return named;
  }

  private count(slot: string, counts: IdCounts, id: string, by: 1 | -1, touched: Set<string>): void {
    const count = (counts.get(id) ?? 0) + by;
    touched.add(id);
    if (count > 0) {
      counts.set(id, count);
      let slots = this.slotsOf.get(id);
      if (!slots) this.slotsOf.set(id, (slots = new Set()));
      slots.add(slot);
      return;
    }
    counts.delete(id);
    const slots = this.slotsOf.get(id);
    slots?.delete(slot);
    if (slots?.size === 0) this.slotsOf.delete(id);
  }
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
  private named = new FindingIndex();
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
  private shownGroups: { revision: number; groups: readonly RowGroup[] } | null = null;
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

  /** The groups to show, in order ('all' alone when sorted): the same array until the list changes (a view redraws its lines when it is another). */
  groups(): readonly RowGroup[] {
    if (this.shownGroups?.revision === this.revision) return this.shownGroups.groups;
    const groups: RowGroup[] = [];
    if (this.sortOrder) groups.push({ key: 'all', rows: this.groupLists.get('all') ?? [] });
    else {
      for (const key of [...GROUP_ORDER, 'arrived' as const]) {
        const rows = this.groupLists.get(key);
        if (rows && rows.length > 0) groups.push({ key, rows });
      }
    }
    this.shownGroups = { revision: this.revision, groups };
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
    this.named = new FindingIndex();
    this.named.update(findings);
    const rows = rowsNamedBy(facts, (id) => this.named.namedBy(id));
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
    const renamed = this.named.update(findings);
    for (const before of gone) this.remove(this.rowBySeq.get(before.seq)!);
    for (const after of came) this.add(requestRowOf(after, this.named.namedBy(after.id)));
    // Rows whose findings changed (those replaced above already have the new ones).
    for (const id of renamed) {
      const row = this.rowById(id);
      const named = row && this.named.namedBy(id);
      if (row && !sameNamedBy(row, named)) {
        this.remove(row);
        this.add(requestRowOf(row, named));
      }
    }
    this.facts = facts;
    this.findings = findings;
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
