/** The answer first in exports: the JSON report and HAR `log._corsLens` carry the conclusion and the plan, redacted like the findings. */
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { toHar, toJsonExport } from '../../src/export/index.ts';
import { SCENARIOS } from '../engine/scenarios/scenarios.ts';

const SECRET = 'zqsecret0123456789abcdef';
const scenario = SCENARIOS.find((item) => item.name === 'stale-cache-after-change')!;
const records = scenario.records.map((record) => ({ ...record, url: `${record.url}?X-Amz-Expires=300&X-Amz-Signature=${SECRET}` }));
const report = analyze(records);

describe('conclusion and plan in exports', () => {
  test('the report names its primary cause and plan, and its plan quotes the signed URL', () => {
    expect(report.findings[report.conclusion!.primary!]!.cause).toBe('stale-cache-after-change');
    expect(report.plan!.text).toContain(SECRET);
  });

  test('JSON: the report field, redacted unless asked not to', () => {
    const shared = toJsonExport({ records, report, pageUrl: null, exportedAt: '2026-12-03T00:00:00Z' });
    expect(shared.report.conclusion!.primary).toBe(report.conclusion!.primary);
    expect(shared.report.plan!.steps.map((step) => step.role.kind)).toEqual(report.plan!.steps.map((step) => step.role.kind));
    expect(JSON.stringify(shared.report.conclusion)).not.toContain(SECRET);
    expect(JSON.stringify(shared.report.plan)).not.toContain(SECRET);
    const kept = toJsonExport({ records, report, pageUrl: null, exportedAt: '2026-12-03T00:00:00Z', redact: false });
    expect(kept.report.plan).toEqual(report.plan);
  });

  test('HAR: log._corsLens, redacted unless asked not to', () => {
    const shared = toHar(records, report);
    expect(shared.log._corsLens.conclusion!.sentence.english).toBe(report.conclusion!.sentence.english);
    expect(shared.log._corsLens.plan!.steps.length).toBe(report.plan!.steps.length);
    expect(JSON.stringify(shared.log._corsLens.plan)).not.toContain(SECRET);
    expect(toHar(records, report, { redact: false }).log._corsLens.plan).toEqual(report.plan);
  });
});
