import type { AnalyzeOptions, Finding, RecordVerdict, RequestRecord } from './model.ts';
import { RULE_LIST } from './rules/index.ts';
import { runRules, runRulesOnFacts } from './rules/lib/run.ts';
import { pageOriginOf } from './rules/lib/facts.ts';
import type { RecordFacts } from './rules/lib/types.ts';

/**
 * Root causes across records (DESIGN §4 causes table): every registered rule over the records and
 * the browser's verdicts on them. Pure and deterministic: the same input gives the same findings,
 * most severe and most certain first.
 */
export function diagnose(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[], options?: AnalyzeOptions): Finding[] {
  return runRules(RULE_LIST, records, verdicts, options);
}

/** diagnose() over facts already built (analyze builds them next to the verdicts). */
export function diagnoseFacts(facts: readonly RecordFacts[], options?: AnalyzeOptions): Finding[] {
  return runRulesOnFacts(RULE_LIST, facts, pageOriginOf(facts, options));
}
