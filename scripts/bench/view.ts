/**
 * View-layer figures, run in a child process of their own (scripts/bench.ts): packing 10 000 rows
 * for a message (`packRows`), and the view's work per live update with 5 000 rows listed and 20
 * requests arriving per second (the view-model functions the page runs on each update, timed in
 * Node, not in the page). Prints one JSON object (ViewResult).
 */
import { performance } from 'node:perf_hooks';
import { analyze } from '../../src/engine/analyze.ts';
import { packRows, rowFactsOf, type RowFacts } from '../../src/view/row-facts.ts';
import { applyViewUpdate, type LiveView, type ViewUpdate } from '../../src/view/updates.ts';
import { filterCounts, matchesFilter, rowsOf } from '../../src/view/rows.ts';
import { groupRowsInPlace } from '../../src/view/groups.ts';
import { emptyTotals } from '../../src/view/totals.ts';
import type { Summary } from './stats.ts';
import { summarise } from './stats.ts';
import { workloadRecords } from './workload.ts';

export interface ViewResult {
  packRows10kMs: Summary;
  /**
   * One live update of a view listing 5 000 rows, 20 requests a second arriving (8 per update: the
   * background flushes every 400 ms): the view's own work on the update it receives — unpack and
   * merge (applyViewUpdate), rows with their findings (rowsOf), filter counts, groups in place.
   */
  liveUpdateMs: Summary;
  liveUpdateRows: number;
}

const PACK_RUNS = 15;

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Rows as the background holds them: each with the fresh verdict object its analysis gave. */
function benchRows(count: number): RowFacts[] {
  const records = workloadRecords(count, 11);
  const report = analyze(records);
  return records.map((record, index) => rowFactsOf(record, report.verdicts[index]!.verdict, index));
}

const LISTED = 5_000;
const PER_UPDATE = 8;
const UPDATES = 60;

/** What TabView works out on each update (src/ui/components/TabView.tsx), on the merged rows. */
function viewWork(view: LiveView, groupedIds: ReadonlySet<string>): number {
  const rows = rowsOf(view.data.rows, view.data.summary?.findings ?? []);
  const counts = filterCounts(rows);
  const groups = groupRowsInPlace(rows.filter((row) => matchesFilter(row, 'all')), groupedIds);
  return counts.all + groups.length;
}

function liveUpdates(): Summary {
  const rows = benchRows(LISTED + PER_UPDATE * UPDATES);
  const base = { tabId: 1, logId: 'bench', pageUrl: null, pageOrigin: null, totals: emptyTotals(), evicted: 0, preserveLog: false, storageError: null, firstSeq: 0, summary: null };
  let view = applyViewUpdate(null, { ...base, revision: 1, full: true, rows: packRows(rows.slice(0, LISTED)) } satisfies ViewUpdate);
  const groupedIds = new Set(view.data.rows.map((row) => row.id));
  viewWork(view, groupedIds);
  const perUpdate: number[] = [];
  for (let update = 0; update < UPDATES; update++) {
    const arriving = rows.slice(LISTED + update * PER_UPDATE, LISTED + (update + 1) * PER_UPDATE);
    const message: ViewUpdate = { ...base, revision: update + 2, full: false, rows: packRows(arriving) };
    // The message as it arrives (structured clone of the background's answer), then the view's work.
    const received = structuredClone(message);
    const current = view;
    perUpdate.push(
      time(() => {
        view = applyViewUpdate(current, received);
        viewWork(view, groupedIds);
      }),
    );
  }
  return summarise(perUpdate.slice(10));
}

function main(): void {
  const rows = benchRows(10_000);
  for (let run = 0; run < 3; run++) packRows(rows); // warm-up
  const packMs: number[] = [];
  for (let run = 0; run < PACK_RUNS; run++) packMs.push(time(() => packRows(rows)));
  const result: ViewResult = { packRows10kMs: summarise(packMs), liveUpdateMs: liveUpdates(), liveUpdateRows: LISTED };
  console.log(JSON.stringify(result));
}

main();
