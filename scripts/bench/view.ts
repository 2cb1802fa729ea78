/**
 * View-layer figures, run in a child process of their own (scripts/bench.ts): packing 10 000 rows
 * for a message (`packRows`), and the view's work per live update with 5 000 rows listed and 20
 * requests arriving per second (rows, counts and groups brought up to date). Prints one JSON object
 * (ViewResult).
 */
import { performance } from 'node:perf_hooks';
import { analyze } from '../../src/engine/analyze.ts';
import { packRows, rowFactsOf, type RowFacts } from '../../src/view/row-facts.ts';
import type { Summary } from './stats.ts';
import { summarise } from './stats.ts';
import { workloadRecords } from './workload.ts';

export interface ViewResult {
  packRows10kMs: Summary;
}

const PACK_RUNS = 15;

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Rows as the background holds them: each with the fresh verdict object its analysis gave. */
function rowsOf(count: number): RowFacts[] {
  const records = workloadRecords(count, 11);
  const report = analyze(records);
  return records.map((record, index) => rowFactsOf(record, report.verdicts[index]!.verdict, index));
}

function main(): void {
  const rows = rowsOf(10_000);
  for (let run = 0; run < 3; run++) packRows(rows); // warm-up
  const packMs: number[] = [];
  for (let run = 0; run < PACK_RUNS; run++) packMs.push(time(() => packRows(rows)));
  const result: ViewResult = { packRows10kMs: summarise(packMs) };
  console.log(JSON.stringify(result));
}

main();
