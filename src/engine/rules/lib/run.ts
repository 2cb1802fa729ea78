import type { AnalyzeOptions, Confidence, DocumentPolicy, Finding, RecordVerdict, RequestRecord, RuleError, Severity } from '../../model.ts';
import type { FactName, RecordFacts, Rule, RuleContext, RuleReport } from './types.ts';
import { NO_VERDICT } from './facts.ts';
import { addLocalisedFields } from './localised.ts';
import { fillPlaceholders } from './text.ts';
import type { Analysis } from '../../analysis.ts';
import { analysisOfVerdicts } from '../../analysis.ts';

const FACT_PRESENT: Record<FactName, (facts: RecordFacts) => boolean> = {
  verdict: (facts) => facts.verdict !== NO_VERDICT,
  'request-headers': (facts) => facts.record.requestHeaders !== null,
  cdn: (facts) => facts.cdn.vendor !== null,
  'cache-status': (facts) => facts.cdn.servedFromCache !== null,
  pop: (facts) => facts.cdn.pop !== null,
  timing: (facts) => facts.filledAt !== null,
  rejection: (facts) => facts.verdict.outcome === 'fail',
};

const FACT_NAMES = Object.keys(FACT_PRESENT) as FactName[];
/** Each fact name's bit in a mask of facts. */
const FACT_BIT = new Map<FactName, number>(FACT_NAMES.map((name, index) => [name, 1 << index]));
const ALL_FACTS = (1 << FACT_NAMES.length) - 1;

/** The facts some record has, as a mask, worked out once per diagnosis (every rule asks). */
function presentFacts(facts: readonly RecordFacts[]): number {
  let present = 0;
  for (let index = 0; index < facts.length && present !== ALL_FACTS; index++) {
    const item = facts[index]!;
    for (let bit = 0; bit < FACT_NAMES.length; bit++) if ((present & (1 << bit)) === 0 && FACT_PRESENT[FACT_NAMES[bit]!](item)) present |= 1 << bit;
  }
  return present;
}

/** What each rule needs, as a mask (rules are the engine's own constants: one entry per rule). */
const REQUIRED_FACTS = new Map<Rule, number>();

function requiredFactsOf(rule: Rule): number {
  let required = REQUIRED_FACTS.get(rule);
  if (required === undefined) {
    required = 0;
    for (const name of rule.meta.requires) required |= FACT_BIT.get(name)!;
    REQUIRED_FACTS.set(rule, required);
  }
  return required;
}

/** A rule runs only when some record has each fact it needs (Lighthouse's requiredArtifacts). */
function hasRequiredFacts(rule: Rule, present: number): boolean {
  const required = requiredFactsOf(rule);
  return (present & required) === required;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const CONFIDENCE_ORDER: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

/** Most severe and most certain first, so the first card is the one to read. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    CONFIDENCE_ORDER[a.confidence] - CONFIDENCE_ORDER[b.confidence] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    b.recordIds.length - a.recordIds.length
  );
}

/** What one rule sees while it runs (a class: one object per rule, no closures made per diagnosis). */
class RuleRun implements RuleContext {
  readonly #rule: Rule;
  readonly #analysis: Analysis;
  readonly #findings: Finding[];
  readonly facts: readonly RecordFacts[];
  readonly pageOrigin: string | null;
  readonly documentPolicies: readonly DocumentPolicy[];

  constructor(rule: Rule, analysis: Analysis, pageOrigin: string | null, findings: Finding[]) {
    this.#rule = rule;
    this.#analysis = analysis;
    this.facts = analysis.facts;
    this.pageOrigin = pageOrigin;
    this.documentPolicies = analysis.options?.documentPolicies ?? [];
    this.#findings = findings;
  }

  computed<T>(compute: (facts: readonly RecordFacts[]) => T): T {
    return this.#analysis.computed(compute);
  }

  /** A function of its own (not a method), so a rule may pass it around detached; made on first ask (no rule asks yet). */
  get streamOf(): (item: RecordFacts) => string | null {
    return this.#analysis.streamOfFunction;
  }

  report(report: RuleReport): void {
    const meta = this.#rule.meta;
    const template = meta.messages[report.messageId];
    if (template === undefined) throw new Error(`${meta.id}: unknown messageId ${report.messageId}`);
    const finding: Finding = {
      ruleId: meta.id,
      cause: meta.cause,
      severity: report.severity ?? meta.severity,
      kind: report.kind ?? meta.kind,
      confidence: report.confidence,
      message: fillPlaceholders(template, report.data),
      recordIds: [...report.recordIds],
      evidence: [...report.evidence],
      fix: report.fix,
    };
    addLocalisedFields(finding, meta.id, report);
    this.#findings.push(finding);
  }
}

/** What the rules found, and the rules that threw instead of finishing. */
export interface Diagnosis {
  findings: Finding[];
  ruleErrors: RuleError[];
}

/** What was thrown, as text; a value whose conversion throws too still gives a line. */
function thrownText(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return 'unprintable error';
  }
}

/**
 * Runs the given rules over an analysis's facts, with its page origin, each on its own: a rule that
 * throws loses only its own findings (those it reported before throwing too) and is named in `ruleErrors`.
 */
export function runRulesOn(rules: readonly Rule[], analysis: Analysis): Diagnosis {
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  const facts = analysis.facts;
  const pageOrigin = analysis.pageOrigin;
  const present = presentFacts(facts);
  for (const rule of rules) {
    if (!hasRequiredFacts(rule, present)) continue;
    const reportedBefore = findings.length;
    try {
      rule.check(new RuleRun(rule, analysis, pageOrigin, findings));
    } catch (thrown) {
      findings.length = reportedBefore;
      ruleErrors.push({ ruleId: rule.meta.id, message: thrownText(thrown) });
    }
  }
  return { findings: findings.sort(compareFindings), ruleErrors };
}

/** Runs the given rules over records and the verdicts given on them (diagnose). */
export function runRules(
  rules: readonly Rule[],
  records: readonly RequestRecord[],
  verdicts: readonly RecordVerdict[],
  options?: AnalyzeOptions,
): Diagnosis {
  return runRulesOn(rules, analysisOfVerdicts(records, verdicts, options));
}
