import type { AnalyzeOptions, Conclusion, Finding, FixPlan, RecordVerdict, RequestRecord } from './model.ts';
import { RULE_LIST } from './rules/index.ts';
import { runRules, runRulesOn, type Diagnosis } from './rules/lib/run.ts';
import type { Analysis } from './analysis.ts';
import type { RuleCategory } from './rules/lib/types.ts';
import { englishCatalogue } from './rules/lib/localised.ts';
import { catalogueLookup } from './rules/lib/text.ts';
import { concludeOf } from './conclusion.ts';
import { planOf } from './plan.ts';

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

/** Every rule's layer by rule id (a rule not registered, e.g. in an old export, has none). */
const CATEGORY_OF_RULE: ReadonlyMap<string, RuleCategory> = new Map(RULE_LIST.map((rule) => [rule.meta.id, rule.meta.category]));
function categoryOfRule(ruleId: string): RuleCategory | null {
  return CATEGORY_OF_RULE.get(ruleId) ?? null;
}
/** The English of every text a finding, the conclusion or the plan can use (one catalogue, built once). */
const ENGLISH = catalogueLookup(englishCatalogue(RULE_LIST));

/**
 * The answer first (docs/ux.md#the-answer-first): the primary cause and how the other findings relate
 * to it, and every finding's fix merged into one plan in the same order (primary cause's steps first).
 */
export function answerOf(findings: readonly Finding[], verdicts: readonly RecordVerdict[], failedLoads: ReadonlySet<string> = new Set()): { conclusion: Conclusion; plan: FixPlan } {
  const { conclusion, ranked } = concludeOf(findings, verdicts, categoryOfRule, ENGLISH, failedLoads);
  return { conclusion, plan: planOf(findings, ranked, ENGLISH) };
}
