import { describe, expect, test } from 'vitest';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import { TabViews } from '../../src/background/view.ts';
import type { TabViewResponse } from '../../src/view/protocol.ts';
import { analyze, verdictForRecord } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { viewSummaryOf } from '../../src/view/answer.ts';
import { applyViewUpdate, type LiveView } from '../../src/view/updates.ts';
import { applySummaryChange, summaryChangeOf } from '../../src/view/summary-change.ts';
import { workloadRecords } from '../../scripts/bench/workload.ts';

const TAB = 3;

class MemoryArea implements KeyValueArea {
  readonly data: Record<string, unknown> = {};
  async get(): Promise<Record<string, unknown>> {
    return { ...this.data };
  }
  async set(items: Record<string, unknown>): Promise<void> {
    Object.assign(this.data, items);
  }
  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) delete this.data[key];
  }
}

const workload = (count: number, seed: number): RequestRecord[] => workloadRecords(count, seed).map((record) => ({ ...record, tabId: TAB }));
/** As runtime messaging delivers it. */
const viaJson = (response: TabViewResponse): TabViewResponse => JSON.parse(JSON.stringify(response)) as TabViewResponse;

describe('summary changes (a live view gets what changed in the diagnosis, not all of it)', () => {
  test.each([5, 29])('a stream with evictions (seed %i): after every update the view holds the summary of the whole log, mostly sent as changes', (seed) => {
    const store = new TabLogStore(new MemoryArea(), { isQuotaError: () => false, maxRecordsPerTab: 300, chunkSize: 25 });
    store.startPage(TAB, 'https://player.test/');
    const views = new TabViews(store, 'worker-1');
    const records = workload(900, seed);
    const add = (batch: readonly RequestRecord[]) => {
      for (const record of batch) store.add(record, verdictForRecord(record));
    };
    add(records.slice(0, 200));
    let view: LiveView | null = null;
    view = applyViewUpdate(view, viaJson(views.answer(TAB)));
    view = applyViewUpdate(view, viaJson(views.answer(TAB, view.version)));
    let changes = 0;
    let changeChars = 0;
    let wholeChars = 0;
    for (let start = 200; start < records.length; start += 8) {
      add(records.slice(start, start + 8));
      const answer = viaJson(views.answer(TAB, view.version));
      const before = view.data.summary!;
      view = applyViewUpdate(view, answer);
      const expected = viewSummaryOf(analyze(store.records(TAB)));
      expect(view.data.summary).toEqual(expected);
      if (answer.summaryChange) {
        changes++;
        changeChars += JSON.stringify(answer.summaryChange).length;
        wholeChars += JSON.stringify(expected).length;
        // A finding said unchanged is the object the view held (its card is not drawn again).
        answer.summaryChange.findings.forEach((entry, index) => {
          if ('same' in entry) expect(view!.data.summary!.findings[index]).toBe(before.findings[entry.same]);
        });
      }
    }
    expect(changes).toBeGreaterThan(40);
    expect(changeChars).toBeLessThan(wholeChars / 3);
  });

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
    const base = { tabId: TAB, pageUrl: null, pageOrigin: null, totals: { requests: 0, byOutcome: { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 }, byKind: {}, byStream: {}, failuresByCause: {} }, evicted: 0, preserveLog: false, storageError: null, firstSeq: 0, rows: { verdicts: [], origins: [], rows: [] } };
    const current: LiveView = { data: { ...base, summary: fewer, rows: [] }, version: { logId: 'w:1', revision: 4 } };
    const applied = applyViewUpdate(current, { ...base, logId: 'w:1', revision: 5, full: false, summary: null, summaryChange: unchanged });
    expect(applied.data.summary).toBe(fewer);
    expect(applied.version).toEqual({ logId: '', revision: -1 });
  });
});
