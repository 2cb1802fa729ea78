import type { AnalyzeOptions, Finding, RecordVerdict, RequestRecord } from './model.ts';
import { RULE_LIST } from './rules/index.ts';
import { runRules, runRulesOn } from './rules/lib/run.ts';
import type { Analysis } from './analysis.ts';

/**
 * Root causes across records (DESIGN §4 causes table): every registered rule over the records and
 * the browser's verdicts on them. Pure and deterministic: the same input gives the same findings,
 * most severe and most certain first.
 */
export function diagnose(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[], options?: AnalyzeOptions): Finding[] {
  return runRules(RULE_LIST, records, verdicts, options);
}

/** diagnose() over an analysis whose facts are built (analyze builds them next to the verdicts). */
export function diagnoseAnalysis(analysis: Analysis): Finding[] {
  return runRulesOn(RULE_LIST, analysis);
}
