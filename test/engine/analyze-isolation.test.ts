/**
 * analyze() with a registered rule that throws: the report names the rule and its message in
 * ruleErrors, and every verdict, every other finding and the streams still arrive.
 */
import { describe, expect, test, vi } from 'vitest';
import type { Rule } from '../../src/engine/rules/index.ts';
import type * as Registry from '../../src/engine/rules/index.ts';

const BROKEN_ID = 'always-throws';

vi.mock('../../src/engine/rules/index.ts', async (importOriginal) => {
  const registry = await importOriginal<typeof Registry>();
  const [first] = registry.RULE_LIST;
  const broken: Rule = {
    meta: { ...first!.meta, id: BROKEN_ID, requires: [] },
    check() {
      throw new Error('broken on purpose');
    },
  };
  // In the middle of the list: rules before and after it must both still report.
  const middle = Math.floor(registry.RULE_LIST.length / 2);
  return { ...registry, RULE_LIST: [...registry.RULE_LIST.slice(0, middle), broken, ...registry.RULE_LIST.slice(middle)] };
});

const { analyze, verdictsOf } = await import('../../src/engine/analyze.ts');
const { RULE_LIST } = await import('../../src/engine/rules/index.ts');
const { runRules } = await import('../../src/engine/rules/lib/run.ts');
const { SCENARIOS } = await import('./scenarios/scenarios.ts');

describe('analyze with a rule that throws', () => {
  test('the broken rule is registered (the test can fail)', () => {
    expect(RULE_LIST.map((rule) => rule.meta.id)).toContain(BROKEN_ID);
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s: ruleErrors names it; verdicts, findings and streams arrive', (_name, scenario) => {
    const report = analyze(scenario.records);
    expect(report.ruleErrors).toEqual([{ ruleId: BROKEN_ID, message: 'Error: broken on purpose' }]);
    expect(report.verdicts.map((entry) => entry.verdict)).toEqual(verdictsOf(scenario.records));
    expect(report.verdicts.map((entry) => entry.recordId)).toEqual(scenario.records.map((record) => record.id));
    const working = RULE_LIST.filter((rule) => rule.meta.id !== BROKEN_ID);
    const expected = runRules(working, scenario.records, report.verdicts);
    expect(expected.ruleErrors).toEqual([]);
    expect(report.findings).toEqual(expected.findings);
    // Every scenario reproduces its cause: the broken rule does not take that finding with it.
    expect(report.findings.map((finding) => finding.cause)).toContain(scenario.cause);
    expect(report.streams.length).toBeGreaterThan(0);
  });
});
