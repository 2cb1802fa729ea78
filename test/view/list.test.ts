import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { CorsOutcome, CorsVerdict, Finding, MediaKind, Severity } from '../../src/engine/model.ts';
import { RequestList, type ListArrangement } from '../../src/view/list.ts';
import { filterCounts, matchesFilter, rowsOf, sortRows, type RowFilter, type RowSort, type SortKey } from '../../src/view/rows.ts';
import { groupRowsInPlace, type RowGroup } from '../../src/view/groups.ts';
import { packRows, verdictKeyOf, type RowFacts } from '../../src/view/row-facts.ts';
import { applyViewUpdate, type LiveView, type ViewUpdate } from '../../src/view/updates.ts';
import { emptyTotals, UNSPECIFIED_CAUSE } from '../../src/view/totals.ts';
import type { ViewSummary } from '../../src/view/model.ts';
import { summaryChangeOf } from '../../src/view/summary-change.ts';

const KINDS: MediaKind[] = ['media-playlist', 'dash-manifest', 'segment', 'audio', 'init-segment', 'key', 'subtitles', 'preflight', 'cors-request', 'other'];
const OUTCOMES: CorsOutcome[] = ['fail', 'unknown', 'pass', 'not-applicable'];
const ERRORS = ['MissingAllowOriginHeader', 'AllowOriginMismatch', undefined];
const FILES = ['a.ts', 'B.ts', 'c.m3u8'];
const FILTERS: RowFilter[] = ['all', 'failing', 'warnings', 'playlists', 'segments'];
const SORT_KEYS: SortKey[] = ['verdict', 'file', 'kind', 'status', 'allowOrigin', 'cache', 'time'];

/** What a generated row is: few distinct values, so that groups, ties and filters all occur. */
interface RowSpec {
  kind: number;
  outcome: number;
  error: number;
  file: number;
  status: number;
  start: number;
}
const rowSpec = fc.record({ kind: fc.nat(KINDS.length - 1), outcome: fc.nat(3), error: fc.nat(2), file: fc.nat(2), status: fc.nat(2), start: fc.nat(4) });

function factOf(spec: RowSpec, seq: number, id: string): RowFacts {
  const outcome = OUTCOMES[spec.outcome]!;
  const chromiumError = outcome === 'fail' ? ERRORS[spec.error] : undefined;
  const verdict: CorsVerdict = { outcome, needsPreflight: false, explanation: `${outcome} ${seq}`, ...(chromiumError ? { chromiumError } : {}) };
  const fileName = FILES[spec.file]!;
  return {
    id,
    seq,
    fileName,
    url: `https://cdn.test/${fileName}`,
    kind: KINDS[spec.kind]!,
    status: [200, 403, null][spec.status]!,
    allowOrigin: [null, '*', 'https://a.test'][spec.status]!,
    cacheStatus: [null, 'Hit', 'Miss'][spec.file]!,
    age: null,
    fromBrowserCache: false,
    error: null,
    verdict,
    verdictKey: verdictKeyOf(verdict),
    requestOrigin: 'https://a.test',
    retest: false,
    retestOf: null,
    start: spec.start,
  };
}

/** One message from the background: rows arriving, re-judged and evicted, maybe new findings. */
interface Change {
  type: 'change';
  arriving: RowSpec[];
  rejudged: Array<{ pick: number; spec: RowSpec }>;
  evicted: number;
  findings: Array<{ picks: number[]; severity: number; cause: number }> | null;
  /** When `findings` is null: the held findings continue, each with its first `drop` ids gone and `picks` appended (a playing stream). */
  continued?: { drop: number; picks: number[] } | null;
}
/** A new log; with `stored`, the view first draws that many of its rows read from storage (provisional), then gets the background's answer. */
type NewLog = { type: 'new-log'; arriving: RowSpec[]; stored: number | null };
type Step = Change | { type: 'arrange'; filter: number; sort: { key: number; descending: boolean } | null; regroup: boolean } | NewLog;

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('change' as const),
      arriving: fc.array(rowSpec, { maxLength: 12 }),
      rejudged: fc.array(fc.record({ pick: fc.nat(), spec: rowSpec }), { maxLength: 4 }),
      evicted: fc.oneof(fc.constant(0), fc.nat(20)),
      findings: fc.option(fc.array(fc.record({ picks: fc.array(fc.nat(), { maxLength: 8 }), severity: fc.nat(2), cause: fc.nat(2) }), { maxLength: 4 })),
      continued: fc.option(fc.record({ drop: fc.nat(3), picks: fc.array(fc.nat(), { maxLength: 3 }) })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('arrange' as const),
      filter: fc.nat(FILTERS.length - 1),
      sort: fc.option(fc.record({ key: fc.nat(SORT_KEYS.length - 1), descending: fc.boolean() })),
      regroup: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('new-log' as const), arriving: fc.array(rowSpec, { maxLength: 20 }), stored: fc.option(fc.nat(20)) }) },
);

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

/** A finding as the view reads it: its severity, cause and the records it names (the rest does not enter the list). */
function findingOf(recordIds: string[], severity: Severity, cause: string): Finding {
  return { ruleId: cause, cause, severity, kind: 'cause', confidence: 'certain', message: '', recordIds, evidence: [], fix: '' };
}

/** What the view showed before the list was incremental, rebuilt from the whole log (TabView's former code). */
function rebuilt(facts: readonly RowFacts[], findings: readonly Finding[], arrangement: ListArrangement, grouped: { ids: Set<string> | null }) {
  const rows = rowsOf(facts, findings);
  if (rows.length === 0) grouped.ids = null;
  else grouped.ids ??= new Set(rows.map((row) => row.id));
  const shown = rows.filter((row) => matchesFilter(row, arrangement.filter));
  const groups: RowGroup[] = arrangement.sort ? [{ key: 'all', rows: sortRows(shown, arrangement.sort) }] : groupRowsInPlace(shown, grouped.ids ?? new Set());
  const failures: Record<string, number> = {};
  for (const row of rows) if (row.verdict.outcome === 'fail') failures[row.verdict.chromiumError ?? UNSPECIFIED_CAUSE] = (failures[row.verdict.chromiumError ?? UNSPECIFIED_CAUSE] ?? 0) + 1;
  return { groups, counts: filterCounts(rows), failures, rows };
}

const base = { tabId: 1, pageUrl: null, pageOrigin: null, totals: emptyTotals(), evicted: 0, preserveLog: false, storageError: null };

/**
 * Runs the steps through applyViewUpdate (as the popup receives them) and a RequestList, and after each
 * step holds the list to what the view rebuilt from the whole log.
 */
function check(steps: Step[], compare: 'rows' | 'ids' = 'rows'): void {
  const list = new RequestList();
  let view: LiveView | null = null;
  let expected: RowFacts[] = [];
  let logs = 0;
  let nextSeq = 0;
  let revision = 0;
  let arrangement: ListArrangement = { filter: 'all', sort: null, groupedAt: 0 };
  const grouped = { ids: null as Set<string> | null };
  const arrive = (specs: RowSpec[]) => specs.map((spec) => factOf(spec, nextSeq, `log${logs}-r${nextSeq++}`));
  const send = (update: Omit<ViewUpdate, keyof typeof base | 'logId' | 'revision'>) => {
    // The message as the page receives it: a structured clone.
    view = applyViewUpdate(view, structuredClone({ ...base, ...update, logId: `log${logs}`, revision: ++revision }));
  };
  send({ full: true, firstSeq: 0, rows: packRows([]), summary: { findings: [], streams: [], ruleErrors: [] } });
  for (const next of steps) {
    if (next.type === 'arrange') {
      const sortKey = next.sort && SORT_KEYS[next.sort.key]!;
      const sort: RowSort | null = sortKey && (arrangement.sort?.key === sortKey && arrangement.sort.descending === next.sort!.descending ? arrangement.sort : { key: sortKey, descending: next.sort!.descending });
      const filter = FILTERS[next.filter]!;
      const changed = filter !== arrangement.filter || sort !== arrangement.sort || next.regroup;
      if (changed) {
        arrangement = { filter, sort, groupedAt: arrangement.groupedAt + 1 };
        grouped.ids = null;
      }
    } else if (next.type === 'new-log') {
      logs++;
      nextSeq = 0;
      expected = arrive(next.arriving);
      if (next.stored !== null) {
        // Rows read from storage first: a snapshot of the log's first rows, grouped as they are.
        const snapshot = expected.slice(0, next.stored);
        list.update(snapshot, [], arrangement, true);
        grouped.ids = null;
        const drawn = rebuilt(snapshot, [], arrangement, grouped);
        expect(list.groups()).toEqual(drawn.groups);
        // The background's first answer groups every row it holds: none is an arrival.
        grouped.ids = null;
      }
      send({ full: true, firstSeq: 0, rows: packRows(expected), summary: null });
    } else {
      const evicted = Math.min(next.evicted, expected.length);
      expected = expected.slice(evicted);
      const rejudged = new Map<number, RowFacts>();
      for (const { pick, spec } of next.rejudged) {
        if (expected.length === 0) break;
        const index = pick % expected.length;
        rejudged.set(index, factOf(spec, expected[index]!.seq, expected[index]!.id));
      }
      for (const [index, fact] of rejudged) expected[index] = fact;
      const arriving = arrive(next.arriving);
      expected.push(...arriving);
      const ids = expected.map((row) => row.id);
      const idAt = (pick: number) => ids[pick % Math.max(ids.length, 1)] ?? 'gone';
      const held = (view as LiveView | null)?.data.summary ?? null;
      const continued = next.findings === null && next.continued && held ? next.continued : null;
      const findings = continued
        ? held!.findings.map((finding) => ({ ...finding, recordIds: [...finding.recordIds.slice(continued.drop), ...continued.picks.map(idAt)] }))
        : next.findings?.map(({ picks, severity, cause }) => findingOf(picks.map(idAt), SEVERITIES[severity]!, `cause-${cause}`));
      const summary: ViewSummary | null = findings ? { findings, streams: [], ruleErrors: [] } : null;
      // As the background sends it: said against the summary the view holds when it can be (unchanged findings stay the same objects).
      const summaryChange = summary && held ? summaryChangeOf(held, summary) : null;
      const firstSeq = expected[0]?.seq ?? nextSeq;
      const rows = packRows([...[...rejudged].sort(([a], [b]) => a - b).map(([, fact]) => fact), ...arriving]);
      send(summaryChange ? { full: false, firstSeq, rows, summary: null, summaryChange } : { full: false, firstSeq, rows, summary });
    }
    const data = view!.data;
    const findings = data.summary?.findings ?? [];
    list.update(data.rows, findings, arrangement);
    const reference = rebuilt(data.rows, findings, arrangement, grouped);
    expect(list.counts()).toEqual(reference.counts);
    expect(list.failuresByCause()).toEqual(reference.failures);
    expect(list.size).toBe(reference.rows.length);
    if (compare === 'rows') {
      expect(data.rows).toEqual(expected);
      expect(list.groups()).toEqual(reference.groups);
      for (const row of reference.rows) expect(list.rowById(row.id)).toEqual(row);
    } else {
      // A large list: the order and membership of every group (the rows' fields are held to the rebuilt ones above).
      expect(data.rows.map((row) => `${row.id}:${row.verdictKey}`)).toEqual(expected.map((row) => `${row.id}:${row.verdictKey}`));
      const keyed = (groups: readonly RowGroup[]) => groups.map((group) => `${group.key}:${group.rows.map((row) => `${row.id}/${row.causes.join('+')}/${row.warned}`).join(',')}`);
      expect(keyed(list.groups())).toEqual(keyed(reference.groups));
    }
  }
}

describe('the incremental request list (RequestList)', () => {
  test('equals the list rebuilt from the whole log after any sequence of arrivals, re-judged rows, evictions, findings and arrangements', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => check(steps)),
      { numRuns: 300 },
    );
  });

  test('a 5 000-row list stays equal to the rebuilt one over a stream of updates, its findings continuing (ids dropped from the front, others appended)', () => {
    const spec = (n: number): RowSpec => ({ kind: n % KINDS.length, outcome: n % 7 === 0 ? 0 : 2, error: n % 3, file: n % 3, status: n % 3, start: n });
    const steps: Step[] = [
      { type: 'new-log', arriving: Array.from({ length: 5_000 }, (_, n) => spec(n)), stored: null },
      ...Array.from({ length: 20 }, (_, n): Step => ({ type: 'change', arriving: Array.from({ length: 8 }, (_, k) => spec(n * 8 + k)), rejudged: [{ pick: n * 37, spec: spec(n) }], evicted: n % 6 === 5 ? 50 : 0, findings: n % 4 === 0 ? [{ picks: [n, n * 3, n * 11], severity: n % 3, cause: n % 3 }, { picks: [n * 5, n * 13], severity: (n + 1) % 2, cause: (n + 1) % 3 }] : null, continued: n % 4 === 0 ? null : { drop: n % 2, picks: [n * 7, n * 17] } })),
    ];
    check(steps, 'ids');
  });

  test('the same inputs again change nothing; a re-judged row moves out of its group and into its new one', () => {
    const list = new RequestList();
    const arrangement: ListArrangement = { filter: 'all', sort: null, groupedAt: 0 };
    const pass = { kind: 2, outcome: 2, error: 0, file: 0, status: 0, start: 0 };
    const facts = [factOf(pass, 0, 'a'), factOf(pass, 1, 'b')];
    list.update(facts, [], arrangement);
    const revision = list.revision;
    const groups = list.groups();
    list.update(facts, [], arrangement);
    expect(list.revision).toBe(revision);
    // The same groups array while nothing changed: the table works its lines out again only when it is another.
    expect(list.groups()).toBe(groups);
    const failing = factOf({ ...pass, outcome: 0 }, 1, 'b');
    list.update([facts[0]!, failing], [], arrangement);
    expect(list.groups().map((group) => [group.key, group.rows.map((row) => row.id)])).toEqual([
      ['rejected', ['b']],
      ['segments', ['a']],
    ]);
    expect(list.counts()).toMatchObject({ all: 2, failing: 1 });
    expect(list.groups()).not.toBe(groups);
  });

  test('findings that stay the same objects but change places change the order of the causes of the rows they share', () => {
    const list = new RequestList();
    const arrangement: ListArrangement = { filter: 'all', sort: null, groupedAt: 0 };
    const facts = [factOf({ kind: 2, outcome: 0, error: 0, file: 0, status: 0, start: 0 }, 0, 'a'), factOf({ kind: 2, outcome: 2, error: 0, file: 0, status: 0, start: 0 }, 1, 'b')];
    const first = findingOf(['a'], 'error', 'cause-1');
    const second = findingOf(['a', 'b'], 'warning', 'cause-2');
    list.update(facts, [first, second], arrangement);
    expect(list.rowById('a')).toMatchObject({ causes: ['cause-1', 'cause-2'], warned: true });
    list.update(facts, [second, first], arrangement);
    expect(list.rowById('a')).toMatchObject({ causes: ['cause-2', 'cause-1'], warned: true });
    expect(list.rowById('b')).toMatchObject({ causes: ['cause-2'], warned: true });
    // The same objects again, one of them gone: its cause leaves the rows it named, and only those.
    list.update(facts, [second], arrangement);
    expect(list.rowById('a')).toMatchObject({ causes: ['cause-2'], warned: true });
    list.update(facts, [first], arrangement);
    expect(list.rowById('a')).toMatchObject({ causes: ['cause-1'], warned: false });
    expect(list.rowById('b')).toMatchObject({ causes: [], warned: false });
  });

  test('rows read from storage are regrouped by the background\'s first answer: only later requests are arrivals', () => {
    const arrangement: ListArrangement = { filter: 'all', sort: null, groupedAt: 0 };
    const pass = { kind: 2, outcome: 2, error: 0, file: 0, status: 0, start: 0 };
    const stored = [factOf(pass, 0, 'a'), factOf(pass, 1, 'b')];
    // The background held a rejected request before the view opened, not yet written to storage.
    const held = [...stored, factOf({ ...pass, outcome: 0 }, 2, 'c')];
    const later = [...held, factOf({ ...pass, outcome: 0 }, 3, 'd')];
    const shown = (list: RequestList) => list.groups().map((group) => [group.key, group.rows.map((row) => row.id)]);
    const list = new RequestList();
    list.update(stored, [], arrangement, true);
    list.update(held, [], arrangement);
    expect(shown(list)).toEqual(shown(drawnAtOnce(held, arrangement)));
    expect(shown(list)).toEqual([
      ['rejected', ['c']],
      ['segments', ['a', 'b']],
    ]);
    list.update(later, [], arrangement);
    expect(shown(list)).toEqual([
      ['rejected', ['c']],
      ['segments', ['a', 'b']],
      ['arrived', ['d']],
    ]);
    // Rows the list itself drew first (not from storage): a row added later is an arrival.
    const drawn = new RequestList();
    drawn.update(stored, [], arrangement);
    drawn.update(held, [], arrangement);
    expect(shown(drawn)).toEqual([
      ['segments', ['a', 'b']],
      ['arrived', ['c']],
    ]);
  });
});

/** The list drawn at once from `facts`, as a view opening on them shows it. */
function drawnAtOnce(facts: readonly RowFacts[], arrangement: ListArrangement): RequestList {
  const list = new RequestList();
  list.update(facts, [], arrangement);
  return list;
}
