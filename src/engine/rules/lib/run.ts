import type { AnalyzeOptions, Confidence, Finding, RecordVerdict, RequestRecord, RuleError, Severity } from '../../model.ts';
import type { FactName, RecordFacts, Rule, RuleContext, RuleReport } from './types.ts';
import { NO_VERDICT, factsOfAll, pageOriginOf } from './facts.ts';
import { streamIndexOf } from './groups.ts';
import { localisedFields } from './localised.ts';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** A template cut at its placeholders: literal text, then [name, whole placeholder] pairs. */
interface CompiledTemplate {
  literals: string[];
  placeholders: Array<[name: string, whole: string]>;
}

/** Templates are the rules' fixed messages: parsed once each (bounded, for callers with other strings). */
const COMPILED_TEMPLATES = new Map<string, CompiledTemplate>();
const COMPILED_TEMPLATES_LIMIT = 1024;

function compileTemplate(template: string): CompiledTemplate {
  let compiled = COMPILED_TEMPLATES.get(template);
  if (compiled !== undefined) return compiled;
  const literals: string[] = [];
  const placeholders: Array<[string, string]> = [];
  let last = 0;
  // The same matches String.prototype.replace visits with the same global pattern.
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    placeholders.push([match[1]!, match[0]]);
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  compiled = { literals, placeholders };
  if (COMPILED_TEMPLATES.size < COMPILED_TEMPLATES_LIMIT) COMPILED_TEMPLATES.set(template, compiled);
  return compiled;
}

/** Replaces {{name}} placeholders; an unknown name stays visible so tests catch it. */
export function fillTemplate(template: string, data: Readonly<Record<string, string | number>>): string {
  const { literals, placeholders } = compileTemplate(template);
  let text = literals[0]!;
  for (let index = 0; index < placeholders.length; index++) {
    const [name, whole] = placeholders[index]!;
    const value = data[name];
    text += (value === undefined ? whole : String(value)) + literals[index + 1]!;
  }
  return text;
}

const FACT_PRESENT: Record<FactName, (facts: RecordFacts) => boolean> = {
  verdict: (facts) => facts.verdict !== NO_VERDICT,
  'request-headers': (facts) => facts.record.requestHeaders !== null,
  cdn: (facts) => facts.cdn.vendor !== null,
  'cache-status': (facts) => facts.cdn.servedFromCache !== null,
  pop: (facts) => facts.cdn.pop !== null,
  timing: (facts) => facts.filledAt !== null,
};

/** A rule runs only when some record has each fact it needs (Lighthouse's requiredArtifacts). */
function hasRequiredFacts(rule: Rule, facts: readonly RecordFacts[]): boolean {
  return rule.meta.requires.every((name) => facts.some(FACT_PRESENT[name]));
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
  readonly #findings: Finding[];
  readonly facts: readonly RecordFacts[];
  readonly pageOrigin: string | null;
  /** A function of its own (not a method), so a rule may pass it around detached. */
  readonly streamOf: (item: RecordFacts) => string;

  constructor(rule: Rule, facts: readonly RecordFacts[], pageOrigin: string | null, streamOf: (item: RecordFacts) => string, findings: Finding[]) {
    this.#rule = rule;
    this.facts = facts;
    this.pageOrigin = pageOrigin;
    this.streamOf = streamOf;
    this.#findings = findings;
  }

  report(report: RuleReport): void {
    const meta = this.#rule.meta;
    const template = meta.messages[report.messageId];
    if (template === undefined) throw new Error(`${meta.id}: unknown messageId ${report.messageId}`);
    this.#findings.push({
      ruleId: meta.id,
      cause: meta.cause,
      severity: report.severity ?? meta.severity,
      kind: report.kind ?? meta.kind,
      confidence: report.confidence,
      message: fillTemplate(template, report.data),
      recordIds: [...report.recordIds],
      evidence: [...report.evidence],
      fix: report.fix,
      ...localisedFields(meta.id, report),
    });
  }
}

/** Stream keys of the facts, worked out on first use (no rule groups by stream yet). */
class StreamIndex {
  readonly #facts: readonly RecordFacts[];
  #index: ((item: RecordFacts) => string) | undefined;

  constructor(facts: readonly RecordFacts[]) {
    this.#facts = facts;
  }

  of(item: RecordFacts): string {
    this.#index ??= streamIndexOf(this.#facts);
    return this.#index(item);
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
 * Runs the given rules over pre-computed facts, each on its own: a rule that throws loses only its own
 * findings (those it reported before throwing too) and is named in `ruleErrors`.
 */
export function runRulesOnFacts(rules: readonly Rule[], facts: readonly RecordFacts[], pageOrigin: string | null): Diagnosis {
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  const streams = new StreamIndex(facts);
  const streamOf: (item: RecordFacts) => string = streams.of.bind(streams);
  for (const rule of rules) {
    if (!hasRequiredFacts(rule, facts)) continue;
    const reportedBefore = findings.length;
    try {
      rule.check(new RuleRun(rule, facts, pageOrigin, streamOf, findings));
    } catch (thrown) {
      findings.length = reportedBefore;
      ruleErrors.push({ ruleId: rule.meta.id, message: thrownText(thrown) });
    }
  }
  return { findings: findings.sort(compareFindings), ruleErrors };
}

export function runRules(
  rules: readonly Rule[],
  records: readonly RequestRecord[],
  verdicts: readonly RecordVerdict[],
  options?: AnalyzeOptions,
): Diagnosis {
  const facts = factsOfAll(records, verdicts);
  return runRulesOnFacts(rules, facts, pageOriginOf(facts, options));
}
