/**
 * Golden scenarios: records → findings per cause, diffed against golden/<name>.findings.json.
 * After a reviewed change in wording or logic: `npx vitest run --project unit test/engine/scenarios -u`
 * and read the diff. CI (CI=true) never writes goldens, so a missing or changed one fails.
 * A regenerated golden file cannot catch a wrong diagnosis by itself: expectations.ts says, written
 * from each scenario's story, what must hold whatever the wording (page origin, rejected records,
 * every finding's cause, confidence and records).
 */
import { describe, expect, test } from 'vitest';
import { analyze, verdictsOf } from '../../../src/engine/analyze.ts';
import { diagnose } from '../../../src/engine/diagnose.ts';
import type { Confidence, Finding } from '../../../src/engine/model.ts';
import { SCENARIOS } from './scenarios.ts';
import { EXPECTATIONS, type ExpectedFinding } from './expectations.ts';
import { withoutCors } from '../rules/support/make-record.ts';

const essentials = (finding: Finding): ExpectedFinding => ({ cause: finding.cause, confidence: finding.confidence, recordIds: [...finding.recordIds].sort() });
const sortedIds = ({ cause, confidence, recordIds }: ExpectedFinding): ExpectedFinding => ({ cause, confidence, recordIds: [...recordIds].sort() });

const CONFIDENCE_RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

describe('golden scenarios', () => {
  test('one scenario per cause', () => {
    expect(new Set(SCENARIOS.map((scenario) => scenario.cause)).size).toBe(SCENARIOS.length);
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const report = analyze(scenario.records);
    const findings = diagnose(scenario.records, report.verdicts);
    // analyze builds the rules' facts next to each verdict; the findings are diagnose()'s all the same.
    expect(report.findings).toEqual(findings);
    const found = findings.find((finding) => finding.cause === scenario.cause);
    expect(found, `${scenario.cause} not found in ${findings.map((finding) => finding.cause).join(', ')}`).toBeDefined();
    expect(CONFIDENCE_RANK[found!.confidence]).toBeLessThanOrEqual(CONFIDENCE_RANK[scenario.confidence]);
    await expect(`${JSON.stringify(findings, null, 2)}\n`).toMatchFileSnapshot(`./golden/${scenario.name}.findings.json`);
  });

  test('every scenario has written expectations, and every expectation a scenario', () => {
    expect(Object.keys(EXPECTATIONS).sort()).toEqual(SCENARIOS.map((scenario) => scenario.name).sort());
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s: page origin, rejected records and findings as its story says', (name, scenario) => {
    const expected = EXPECTATIONS[name]!;
    const report = analyze(scenario.records);
    expect(report.pageOrigin).toBe(expected.pageOrigin);
    expect(report.verdicts.filter((entry) => entry.verdict.outcome === 'fail').map((entry) => entry.recordId)).toEqual(expected.failing);
    expect(report.findings.map(essentials)).toEqual(expected.findings.map(sortedIds));
    expect(report.ruleErrors).toEqual([]);
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s: verdictsOf gives the verdicts analyze gives', (_name, scenario) => {
    const report = analyze(scenario.records);
    expect(verdictsOf(scenario.records)).toEqual(report.verdicts.map((entry) => entry.verdict));
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s: verdicts given out of record order pair by id, same findings', (_name, scenario) => {
    const verdicts = analyze(scenario.records).verdicts;
    expect(diagnose(scenario.records, [...verdicts].reverse())).toEqual(diagnose(scenario.records, verdicts));
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s, replayed without Origin, flags nothing', (_name, scenario) => {
    const records = withoutCors(scenario.records);
    const findings = diagnose(records, analyze(records).verdicts);
    expect(findings.filter((finding) => finding.cause !== 'not-a-cors-request' || finding.severity !== 'info')).toEqual([]);
  });
});
