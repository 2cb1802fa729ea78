import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { viewSummaryOf } from '../../src/view/answer.ts';
import { applyViewUpdate, type LiveView } from '../../src/view/updates.ts';
import { applySummaryChange, summaryChangeOf } from '../../src/view/summary-change.ts';
import { workloadRecords } from '../../scripts/bench/workload.ts';

const TAB = 3;

const workload = (count: number, seed: number): RequestRecord[] => workloadRecords(count, seed).map((record) => ({ ...record, tabId: TAB }));

// Through the background's answers as a live view gets them: test/view/answer.test.ts.
describe('summary changes (a live view gets what changed in the diagnosis, not all of it)', () => {
  test('unchanged parts are absent from the change and stay the same objects', () => {
    const records = workload(120, 7);
    const held = viewSummaryOf(analyze(records));
    const change = summaryChangeOf(held, structuredClone(held))!;
    expect(change.changed).toEqual({});
    expect(change.findings).toEqual(held.findings.map((_, index) => ({ same: index })));
    const applied = applySummaryChange(held, change)!;
    expect(applied.streams).toBe(held.streams);
    applied.findings.forEach((finding, index) => expect(finding).toBe(held.findings[index]));
  });

  test('a finding losing a record in the middle is sent whole; a change naming a finding the view lacks asks for everything', () => {
    const held = viewSummaryOf(analyze(workload(200, 11)));
    const index = held.findings.length - 1;
    expect(index).toBeGreaterThan(0);
    held.findings[index]!.recordIds = ['r-1', 'r-2', 'r-3'];
    const next = structuredClone(held);
    next.findings[index]!.recordIds = ['r-1', 'r-3'];
    const change = summaryChangeOf(held, next)!;
    expect(change.findings[index]).toEqual({ finding: next.findings[index] });
    expect(applySummaryChange(held, change)).toEqual(next);
    const fewer = { ...held, findings: held.findings.slice(0, index) };
    const unchanged = summaryChangeOf(held, structuredClone(held))!;
    expect(applySummaryChange(fewer, unchanged)).toBeNull();
    // In the view: the summary held stays, and the next answer is asked from the start.
    const base = { tabId: TAB, pageUrl: null, pageOrigin: null, totals: { requests: 0, byOutcome: { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 }, cancelled: 0, byKind: {}, byStream: {}, failuresByCause: {} }, evicted: 0, preserveLog: false, storageError: null, firstSeq: 0, rows: { verdicts: [], origins: [], rows: [] } };
    const current: LiveView = { data: { ...base, summary: fewer, rows: [] }, version: { logId: 'w:1', revision: 4 } };
    const applied = applyViewUpdate(current, { ...base, logId: 'w:1', revision: 5, full: false, summary: null, summaryChange: unchanged });
    expect(applied.data.summary).toBe(fewer);
    expect(applied.version).toEqual({ logId: '', revision: -1 });
  });
});
