/**
 * Golden scenarios: records → findings per cause, diffed against golden/<name>.findings.json.
 * After a reviewed change in wording or logic: `npx vitest run --project unit test/engine/scenarios -u`
 * and read the diff. CI (CI=true) never writes goldens, so a missing or changed one fails.
 */
import { describe, expect, test } from 'vitest';
import { analyze, pageOriginOf, verdictsOf } from '../../../src/engine/analyze.ts';
import { diagnose } from '../../../src/engine/diagnose.ts';
import type { Confidence } from '../../../src/engine/model.ts';
import { SCENARIOS } from './scenarios.ts';
import { withoutCors } from '../rules/support/make-record.ts';

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

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s: verdictsOf and pageOriginOf give what analyze gives', (_name, scenario) => {
    const report = analyze(scenario.records);
    expect(verdictsOf(scenario.records)).toEqual(report.verdicts.map((entry) => entry.verdict));
    expect(pageOriginOf(scenario.records)).toBe(report.pageOrigin);
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
