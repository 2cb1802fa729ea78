import { describe, expect, test } from 'vitest';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import { TabViews } from '../../src/background/view.ts';
import { PageEvidence } from '../../src/background/page-evidence.ts';
import { tabLogOf } from '../../src/background/tab-log.ts';
import { verdictForRecord } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import type { ResourceEntry } from '../../src/platform/scripting.ts';
import { exportedCountsOf } from '../../src/ui/components/exactCounts.ts';
import { BASE_TIME_MS, makeRecord, PAGE_ORIGIN } from '../engine/rules/support/make-record.ts';

const TAB = 5;
const SEGMENT = 'http://localhost:4000/hls/segment1.ts';
const OTHER = 'http://localhost:4000/hls/segment2.ts';

/** Nothing is kept: these tests read the log in memory. */
const noStorage: KeyValueArea = { get: async () => ({}), set: async () => undefined, remove: async () => undefined };

/** A Firefox segment with ACAO "*": undetermined from its headers (its credentials mode unseen). */
function firefoxSegment(id: string, url: string, start: number): RequestRecord {
  const record = makeRecord({ id, url, start, requestHeaders: { origin: PAGE_ORIGIN, 'sec-fetch-mode': 'cors' }, responseHeaders: { 'access-control-allow-origin': '*', 'content-type': 'video/mp2t' } });
  return { ...record, tabId: TAB, browser: 'firefox' };
}

describe('get-tab-log (exports)', () => {
  test('carries the totals the popup shows, page evidence included, not the arrival counts', async () => {
    const store = new TabLogStore(noStorage, { isQuotaError: () => false });
    store.startPage(TAB, `${PAGE_ORIGIN}/player.html`);
    // The page could not read segment1, twice (a rejected load and its retry), and read segment2.
    const entries: ResourceEntry[] = [
      [SEGMENT, BASE_TIME_MS + 2, 0],
      [SEGMENT, BASE_TIME_MS + 402, 0],
      [OTHER, BASE_TIME_MS + 902, 200],
    ];
    const views = new TabViews(store, 'worker-1', new PageEvidence(async (_tabId, _frames, urls) => entries.filter(([url]) => urls.includes(url))));
    for (const record of [firefoxSegment('a', SEGMENT, BASE_TIME_MS), firefoxSegment('retry', SEGMENT, BASE_TIME_MS + 400), firefoxSegment('b', OTHER, BASE_TIME_MS + 900)]) store.add(record, verdictForRecord(record));
    expect(store.totals(TAB).byOutcome).toMatchObject({ unknown: 3, fail: 0, pass: 0 });

    const shown = await views.answerWithEvidence(TAB, undefined, BASE_TIME_MS + 60_000);
    expect(shown.totals.byOutcome).toMatchObject({ unknown: 0, fail: 2, pass: 1 });
    const log = tabLogOf(TAB, store, views);
    expect(log.totals).toEqual(shown.totals);
    // The report's verdicts and counts say the same as the totals.
    expect(log.report.counts).toMatchObject({ failing: 2, passing: 1, unknown: 0 });
    expect(log.report.verdicts.map((entry) => entry.verdict.inferred?.ending)).toEqual(['blocked', 'blocked', 'allowed']);
    // And the JSON export's exact counts, made from them.
    expect(exportedCountsOf(log)).toMatchObject({ requests: 3, byOutcome: { unknown: 0, fail: 2, pass: 1 }, failuresByCause: { WildcardOriginNotAllowed: 2 } });
    // The store's arrival counts are untouched (a restart restores them).
    expect(store.totals(TAB).byOutcome.unknown).toBe(3);
  });

  test('without page evidence the totals are the arrival counts', () => {
    const store = new TabLogStore(noStorage, { isQuotaError: () => false });
    store.startPage(TAB, `${PAGE_ORIGIN}/player.html`);
    const views = new TabViews(store, 'worker-1');
    const record = firefoxSegment('a', SEGMENT, BASE_TIME_MS);
    store.add(record, verdictForRecord(record));
    expect(tabLogOf(TAB, store, views)).toMatchObject({ tabId: TAB, pageUrl: `${PAGE_ORIGIN}/player.html`, records: [record], totals: store.totals(TAB), evicted: 0, preserveLog: false });
  });
});
