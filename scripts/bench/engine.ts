/**
 * Engine figures, run in a child process of their own (scripts/bench.ts) so the browser runs and the
 * other measurements do not share its heap: evaluateCors per call, analyze per record and over
 * 100 000 records, HAR export of 50 000 records. Prints one JSON object (EngineResult).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../src/engine/analyze.ts';
import type { Report, RequestRecord } from '../../src/engine/model.ts';
import { benchEvaluateCors } from './cors.ts';
import type { Summary } from './stats.ts';
import { summarise } from './stats.ts';
import { workloadRecords } from './workload.ts';

export interface EngineResult {
  evaluateCorsUs: Summary;
  evaluateCorsP95Us: number;
  analyzePerRecordUs: Summary;
  analyze100kMs: Summary;
  /** The report of the 100k run, in numbers (so BENCHMARKS.md shows what was analysed). */
  workload: { records: number; failing: number; notApplicable: number; findings: number; byRule: Record<string, number> };
  generateMs: number;
  harExport50kMs: Summary | null;
  harStringify50kMs: Summary | null;
  harBytes: number | null;
  harNote: string | null;
}

const ANALYZE_RUNS = 7;
const PER_RECORD_SAMPLE = 1_000;
const PER_RECORD_REPEAT = 20;
const HAR_RUNS = 5;

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** analyze([record]) for a spread of single records: the cost of one record with everything analyze does. */
function perRecordUs(records: readonly RequestRecord[]): Summary {
  const step = Math.max(1, Math.floor(records.length / PER_RECORD_SAMPLE));
  const sample = records.filter((_record, index) => index % step === 0).slice(0, PER_RECORD_SAMPLE);
  // Warm-up: enough calls for the JIT to settle on every rule's code (a single pass is not).
  for (let pass = 0; pass < 5; pass++) for (const record of sample) analyze([record]);
  const perCall = sample.map((record) => {
    const one = [record];
    return (time(() => {
      for (let i = 0; i < PER_RECORD_REPEAT; i++) analyze(one);
    }) * 1000) / PER_RECORD_REPEAT;
  });
  return summarise(perCall);
}

interface HarModule {
  toHar(records: readonly RequestRecord[], report: Report, options?: Record<string, unknown>): unknown;
}

async function harExport(records: readonly RequestRecord[]): Promise<Pick<EngineResult, 'harExport50kMs' | 'harStringify50kMs' | 'harBytes' | 'harNote'>> {
  let har: HarModule;
  try {
    har = (await import(pathToFileURL(new URL('../../src/export/har.ts', import.meta.url).pathname).href)) as HarModule;
  } catch (error) {
    return { harExport50kMs: null, harStringify50kMs: null, harBytes: null, harNote: `src/export/har.ts could not be loaded: ${String(error)}` };
  }
  if (typeof har.toHar !== 'function') return { harExport50kMs: null, harStringify50kMs: null, harBytes: null, harNote: 'src/export/har.ts has no toHar yet' };
  const subset = records.slice(0, 50_000);
  const report = analyze(subset);
  har.toHar(subset, report); // warm-up
  const exportMs: number[] = [];
  const stringifyMs: number[] = [];
  let bytes = 0;
  for (let run = 0; run < HAR_RUNS; run++) {
    let document: unknown;
    exportMs.push(time(() => (document = har.toHar(subset, report))));
    stringifyMs.push(time(() => (bytes = JSON.stringify(document).length)));
  }
  return { harExport50kMs: summarise(exportMs), harStringify50kMs: summarise(stringifyMs), harBytes: bytes, harNote: null };
}

async function main(): Promise<void> {
  const cors = benchEvaluateCors();
  const generateStart = performance.now();
  const records = workloadRecords(100_000);
  const generateMs = performance.now() - generateStart;
  const perRecord = perRecordUs(records);
  let report = analyze(records); // warm-up (and the numbers reported)
  const runs: number[] = [];
  for (let run = 0; run < ANALYZE_RUNS; run++) runs.push(time(() => (report = analyze(records))));
  const byRule: Record<string, number> = {};
  for (const finding of report.findings) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  const har = await harExport(records);
  const result: EngineResult = {
    evaluateCorsUs: cors.perCallUs,
    evaluateCorsP95Us: cors.p95Us,
    analyzePerRecordUs: perRecord,
    analyze100kMs: summarise(runs),
    workload: {
      records: records.length,
      failing: report.counts.failing,
      notApplicable: report.counts.notApplicable,
      findings: report.findings.length,
      byRule,
    },
    generateMs,
    ...har,
  };
  console.log(JSON.stringify(result));
}

await main();
