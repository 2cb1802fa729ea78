/**
 * ESLint's RuleTester, for rules that look across records: valid cases must produce nothing, invalid
 * cases exactly the listed findings (unordered). Verdicts come from the real verdict engine.
 */
import { describe, expect, test } from 'vitest';
import type { AnalyzeOptions, Confidence, Finding, FindingKind, RequestRecord, Severity } from '../../../../src/engine/model.ts';
import { analyze } from '../../../../src/engine/analyze.ts';
import type { Rule, RuleReport } from '../../../../src/engine/rules/index.ts';
import { runRules } from '../../../../src/engine/rules/lib/run.ts';
import { withoutCors } from './make-record.ts';

export interface ValidCase {
  name: string;
  records: RequestRecord[];
  /** What the capture knew beside the records (the documents' policies…). */
  options?: AnalyzeOptions;
}

export interface ExpectedFinding {
  messageId: string;
  confidence?: Confidence;
  recordIds?: string[];
  kind?: FindingKind;
  severity?: Severity;
  /** Substrings the filled message must contain. */
  messageIncludes?: string[];
  /** Substrings the fix must contain. */
  fixIncludes?: string[];
  /** Substrings the fix must not contain. */
  fixExcludes?: string[];
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[];
}

export interface RuleRun {
  reports: RuleReport[];
  findings: Finding[];
}

/** Runs one rule and keeps both what it reported (messageIds) and the findings diagnose() makes of it. */
export function runRule(rule: Rule, records: readonly RequestRecord[], options?: AnalyzeOptions): RuleRun {
  const reports: RuleReport[] = [];
  const recording: Rule = {
    meta: rule.meta,
    check(context) {
      rule.check({
        facts: context.facts,
        pageOrigin: context.pageOrigin,
        streamOf: context.streamOf,
        computed: context.computed.bind(context),
        documentPolicies: context.documentPolicies,
        report(report) {
          reports.push(report);
          context.report(report);
        },
      });
    },
  };
  const { verdicts } = analyze(records, options);
  const { findings, ruleErrors } = runRules([recording], records, verdicts, options);
  // The runner isolates a throwing rule; under test a throw is a failure, not a missing finding.
  if (ruleErrors.length > 0) throw new Error(`${rule.meta.id} threw: ${ruleErrors.map((error) => error.message).join('; ')}`);
  return { reports, findings };
}

function describeFinding(report: RuleReport): string {
  return `${report.messageId} (${report.confidence}) on ${report.recordIds.join(', ')}`;
}

function matches(report: RuleReport, finding: Finding, expected: ExpectedFinding): boolean {
  if (report.messageId !== expected.messageId) return false;
  if (expected.confidence !== undefined && report.confidence !== expected.confidence) return false;
  if (expected.recordIds !== undefined && [...report.recordIds].sort().join() !== [...expected.recordIds].sort().join()) return false;
  if (expected.kind !== undefined && finding.kind !== expected.kind) return false;
  if (expected.severity !== undefined && finding.severity !== expected.severity) return false;
  if (expected.messageIncludes?.some((text) => !finding.message.includes(text))) return false;
  if (expected.fixIncludes?.some((text) => !finding.fix.includes(text))) return false;
  if (expected.fixExcludes?.some((text) => finding.fix.includes(text))) return false;
  return true;
}

function findingOf(run: RuleRun, report: RuleReport): Finding {
  // Findings are sorted; pair each report with its finding by the records it names.
  const finding = run.findings.find((candidate) => candidate.recordIds.join() === report.recordIds.join() && candidate.confidence === report.confidence);
  if (!finding) throw new Error(`no finding for report ${describeFinding(report)}`);
  return finding;
}

export function runRuleTests(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[]; /** Why this cause exists without CORS (then the without-Origin check expects the same findings). */ withoutOrigin?: string }): void {
  const names = [...cases.valid, ...cases.invalid].map((item) => item.name);
  describe(rule.meta.id, () => {
    test('case names are unique', () => {
      expect(names.length).toBe(new Set(names).size);
    });

    test('every message is exercised by an invalid case', () => {
      const used = new Set(cases.invalid.flatMap((item) => item.findings.map((finding) => finding.messageId)));
      expect([...used].sort()).toEqual(Object.keys(rule.meta.messages).sort());
    });

    test.each(cases.valid.map((item) => [item.name, item] as const))('valid: %s', (_name, item) => {
      const run = runRule(rule, item.records, item.options);
      expect(run.reports.map(describeFinding)).toEqual([]);
    });

    test.each(cases.invalid.map((item) => [item.name, item] as const))('invalid: %s', (_name, item) => {
      expect(item.findings.length, 'an invalid case expects at least one finding').toBeGreaterThan(0);
      const run = runRule(rule, item.records, item.options);
      expect(run.reports.length, `got ${run.reports.map(describeFinding).join('; ')}`).toBe(item.findings.length);
      const unmatched = [...run.reports];
      for (const expected of item.findings) {
        const index = unmatched.findIndex((report) => matches(report, findingOf(run, report), expected));
        expect(index, `no finding matches ${JSON.stringify(expected)}; got ${run.reports.map(describeFinding).join('; ')}`).not.toBe(-1);
        unmatched.splice(index, 1);
      }
      for (const finding of run.findings) {
        expect(finding.cause).toBe(rule.meta.cause);
        expect(finding.evidence.length).toBeGreaterThan(0);
        expect(finding.message).not.toMatch(/\{\{/);
        expect(finding.fix.length).toBeGreaterThan(0);
      }
    });

    test.each(cases.invalid.map((item) => [item.name, item] as const))(cases.withoutOrigin ? `sent without Origin, still flagged (${cases.withoutOrigin}): %s` : 'sent without Origin, flags nothing: %s', (_name, item) => {
      const run = runRule(rule, withoutCors(item.records), item.options);
      if (cases.withoutOrigin) {
        expect(run.findings.length).toBe(runRule(rule, item.records, item.options).findings.length);
        return;
      }
      const flagged = run.findings.filter((finding) => finding.severity !== 'info' || finding.cause !== 'not-a-cors-request');
      expect(flagged.map((finding) => finding.message)).toEqual([]);
    });
  });
}
