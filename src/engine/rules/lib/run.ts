import type { AnalyzeOptions, Confidence, Finding, RecordVerdict, RequestRecord, Severity } from '../../model.ts';
import type { FactName, RecordFacts, Rule, RuleContext } from './types.ts';
import { NO_VERDICT, factsOfAll, pageOriginOf } from './facts.ts';
import { streamIndexOf } from './groups.ts';

/** Replaces {{name}} placeholders; an unknown name stays visible so tests catch it. */
export function fillTemplate(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const value = data[name];
    return value === undefined ? whole : String(value);
  });
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

/** Runs the given rules over pre-computed facts. */
export function runRulesOnFacts(rules: readonly Rule[], facts: readonly RecordFacts[], pageOrigin: string | null): Finding[] {
  const findings: Finding[] = [];
  const streamOf = streamIndexOf(facts);
  for (const rule of rules) {
    if (!hasRequiredFacts(rule, facts)) continue;
    const context: RuleContext = {
      facts,
      pageOrigin,
      streamOf,
      report(report) {
        const template = rule.meta.messages[report.messageId];
        if (template === undefined) throw new Error(`${rule.meta.id}: unknown messageId ${report.messageId}`);
        findings.push({
          ruleId: rule.meta.id,
          cause: rule.meta.cause,
          severity: report.severity ?? rule.meta.severity,
          kind: report.kind ?? rule.meta.kind,
          confidence: report.confidence,
          message: fillTemplate(template, report.data),
          recordIds: [...report.recordIds],
          evidence: [...report.evidence],
          fix: report.fix,
        });
      },
    };
    rule.check(context);
  }
  return findings.sort(compareFindings);
}

export function runRules(
  rules: readonly Rule[],
  records: readonly RequestRecord[],
  verdicts: readonly RecordVerdict[],
  options?: AnalyzeOptions,
): Finding[] {
  const facts = factsOfAll(records, verdicts);
  return runRulesOnFacts(rules, facts, pageOriginOf(facts, options));
}
