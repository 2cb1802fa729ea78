import type { AnalyzeOptions, Finding, RecordVerdict, RequestRecord } from './model.ts';
import { RULE_LIST } from './rules/index.ts';
import { runRules, runRulesOn, type Diagnosis } from './rules/lib/run.ts';
import type { Analysis } from './analysis.ts';

/**
 * Root causes across records (docs/causes.md): every registered rule over the records and
 * the browser's verdicts on them. Pure and deterministic: the same input gives the same findings,
 * most severe and most certain first.
 */
export function diagnose(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[], options?: AnalyzeOptions): Finding[] {
  // A rule that throws loses only its own findings; analyze()'s report names it in ruleErrors.
  return runRules(RULE_LIST, records, verdicts, options).findings;
}

/** The rules over an analysis whose facts are built (analyze builds them next to the verdicts): findings and rule errors. */
export function diagnoseAnalysis(analysis: Analysis): Diagnosis {
  return runRulesOn(RULE_LIST, analysis);
}
