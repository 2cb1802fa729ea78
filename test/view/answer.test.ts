import { describe, expect, test } from 'vitest';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import { TabViews } from '../../src/background/view.ts';
import { pushedUpdateFor, type TabLogChangedMessage, type TabViewResponse } from '../../src/view/protocol.ts';
import { analyze, verdictForRecord } from '../../src/engine/index.ts';
import type { CorsVerdict, RequestRecord } from '../../src/engine/model.ts';
import { logViewOf, viewChangesSince, viewSummaryOf } from '../../src/view/answer.ts';
import { packRows, rowFactsOf, unpackRows, verdictKeyOf } from '../../src/view/row-facts.ts';
import { applyViewUpdate, type LiveView } from '../../src/view/updates.ts';
import { workloadRecords } from '../../scripts/bench/workload.ts';
import { PageEvidence } from '../../src/background/page-evidence.ts';
import type { ResourceEntry } from '../../src/platform/scripting.ts';
import { toolbarBadgeOf, toolbarStateOf } from '../../src/view/toolbar.ts';
import { BASE_TIME_MS, makeRecord, PAGE_ORIGIN } from '../engine/rules/support/make-record.ts';

const TAB = 7;

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

/** The bench's workload (playlists, segments, preflights, failures), moved to one tab. */
const workload = (count: number, seed = 3): RequestRecord[] => workloadRecords(count, seed).map((record) => ({ ...record, tabId: TAB }));

function setUp(options: { maxRecordsPerTab?: number; chunkSize?: number } = {}) {
  const store = new TabLogStore(new MemoryArea(), { isQuotaError: () => false, ...options });
  store.startPage(TAB, 'https://player.test/');
  const views = new TabViews(store, 'worker-1');
  const add = (records: readonly RequestRecord[]) => {
    for (const record of records) store.add(record, verdictForRecord(record));
  };
  return { store, views, add };
}

/** What a view holds after a full load followed by the given partial answers (JSON round trip like runtime messaging). */
const viaJson = (response: TabViewResponse): TabViewResponse => JSON.parse(JSON.stringify(response)) as TabViewResponse;

describe('the view answer (get-tab-view)', () => {
  test('a first answer without an analysis at hand: every row with the verdict analyze gives, the diagnosis on asking again', () => {
    const { store, views, add } = setUp();
    add(workload(600));
    const report = analyze(store.records(TAB));
    const first = views.answer(TAB);
    expect(first).toMatchObject({ full: true, analysed: false, summary: null, pageOrigin: report.pageOrigin, totals: store.totals(TAB) });
    expect(unpackRows(first.rows)).toEqual(store.records(TAB).map((record, index) => rowFactsOf(record, report.verdicts[index]!.verdict, index)));
    expect(store.records(TAB).some((record) => record.method === 'OPTIONS')).toBe(true);
    const second = views.answer(TAB, first);
    expect(second).toMatchObject({ full: false, analysed: true, summary: { findings: report.findings, streams: report.streams, ruleErrors: [] } });
    // The verdicts did not change with the analysis: no row travels again.
    expect(second.rows.rows).toEqual([]);
    // Verdicts travel once each, not once per row; no header does.
    expect(first.rows.verdicts.length).toBeLessThan(first.rows.rows.length / 5);
    expect(JSON.stringify(first)).not.toContain('x-amz-cf-id');
    // With the analysis at hand, a view's first answer carries it.
    expect(views.answer(TAB)).toMatchObject({ full: true, analysed: true, summary: second.summary });
  });

  test('a large log answers in a fraction of the bytes of its records', () => {
    const { store, views, add } = setUp();
    add(workload(4000));
    const answerBytes = JSON.stringify(views.answer(TAB)).length;
    const recordBytes = JSON.stringify(store.records(TAB)).length;
    expect(answerBytes).toBeLessThan(recordBytes / 5);
  });

  test('the analysis is kept while the log is unchanged and redone when it changes', () => {
    const { views, add } = setUp();
    const records = workload(50);
    add(records.slice(0, 40));
    const first = views.report(TAB);
    expect(views.report(TAB)).toBe(first);
    add(records.slice(40));
    expect(views.report(TAB)).not.toBe(first);
    expect(views.report(TAB).verdicts).toHaveLength(50);
  });

  test('with a version: only the rows added since, the summary only when it changed', () => {
    const { views, add } = setUp();
    const records = workload(120);
    add(records.slice(0, 100));
    const first = views.answer(TAB, views.answer(TAB));
    const unchanged = views.answer(TAB, first);
    expect(unchanged).toMatchObject({ full: false, rows: { rows: [] }, summary: null, logId: first.logId });
    add(records.slice(100));
    const next = views.answer(TAB, first);
    expect(next.full).toBe(false);
    expect(unpackRows(next.rows).map((row) => row.id)).toEqual(records.slice(100).map((record) => record.id));
  });

  test('partial answers applied in turn give what a full answer gives, through eviction and a new page', () => {
    const { store, views, add } = setUp({ chunkSize: 10, maxRecordsPerTab: 60 });
    const records = workload(200, 11);
    let held: LiveView | null = null;
    /** What a view does: ask, and ask again while the diagnosis is still to come. */
    const load = (from: TabViews, view: LiveView | null): LiveView => {
      let answer = viaJson(from.answer(TAB, view?.version));
      let next = applyViewUpdate(view, answer);
      while (!answer.analysed) next = applyViewUpdate(next, (answer = viaJson(from.answer(TAB, next.version))));
      return next;
    };
    const sync = () => {
      held = load(views, held);
    };
    for (let start = 0; start < 150; start += 17) {
      add(records.slice(start, start + 17));
      sync();
      const fresh = load(new TabViews(store, 'worker-2'), null);
      expect(held!.data.rows).toEqual(fresh.data.rows);
      expect(held!.data.summary).toEqual(fresh.data.summary);
      expect(held!.data.evicted).toBe(store.evictedCount(TAB));
    }
    expect(store.evictedCount(TAB)).toBeGreaterThan(0);
    const before = held!.version.logId;
    store.startPage(TAB, 'https://player.test/next');
    add(records.slice(150, 160));
    const afterNavigation = views.answer(TAB, held!.version);
    expect(afterNavigation.full).toBe(true);
    expect(afterNavigation.logId).not.toBe(before);
    sync();
    expect(held!.data.rows.map((row) => row.id)).toEqual(records.slice(150, 160).map((record) => record.id));
  });

  test('a version from another worker (restarted) gets a full answer', () => {
    const { store, views, add } = setUp();
    add(workload(30));
    const version = views.answer(TAB, views.answer(TAB));
    const restarted = new TabViews(store, 'worker-2').answer(TAB, version);
    expect(restarted.full).toBe(true);
    expect(restarted.rows.rows).toHaveLength(30);
  });
});

describe('updates pushed to open views (TabViews.pushUpdate, pushedUpdateFor)', () => {
  const now = BASE_TIME_MS + 60_000;
  /** A view's complete first load: ask, and ask again for the diagnosis; each answer noted as the background does. */
  const firstLoad = (views: TabViews): LiveView => {
    let answer = viaJson(views.answer(TAB));
    views.noteSent(TAB, answer);
    let held = applyViewUpdate(null, answer);
    while (!answer.analysed) {
      answer = viaJson(views.answer(TAB, held.version));
      views.noteSent(TAB, answer);
      held = applyViewUpdate(held, answer);
    }
    return held;
  };

  test('nothing is pushed before a view got a complete answer: the views ask', async () => {
    const { views, add } = setUp();
    add(workload(40));
    expect(await views.pushUpdate(TAB, now)).toBeNull();
    views.noteSent(TAB, views.answer(TAB)); // rows only: the diagnosis is still to come
    expect(await views.pushUpdate(TAB, now)).toBeNull();
  });

  test('each push is the change since the one before; applied in turn, the view holds what asking gives', async () => {
    const { store, views, add } = setUp({ chunkSize: 10, maxRecordsPerTab: 60 });
    const records = workload(150, 5);
    add(records.slice(0, 30));
    let held = firstLoad(views);
    for (let start = 30; start < 150; start += 13) {
      add(records.slice(start, start + 13));
      const pushed = await views.pushUpdate(TAB, now);
      expect(pushed).not.toBeNull();
      // As the port carries it (JSON in Chromium).
      const message = JSON.parse(JSON.stringify({ type: 'tab-log-changed', tabId: TAB, ...pushed! })) as TabLogChangedMessage;
      const update = pushedUpdateFor(message, held.version);
      expect(update?.full).toBe(false);
      expect(update?.analysed).toBe(true);
      held = applyViewUpdate(held, update!);
      const fresh = firstLoad(new TabViews(store, 'worker-2'));
      expect(held.data.rows).toEqual(fresh.data.rows);
      expect(held.data.summary).toEqual(fresh.data.summary);
      expect(held.data.totals).toEqual(fresh.data.totals);
    }
    expect(store.evictedCount(TAB)).toBeGreaterThan(0);
  });

  test('a view at another version is not given the update (it asks); one asking moves where the next push starts', async () => {
    const { views, add } = setUp();
    const records = workload(60, 9);
    add(records.slice(0, 20));
    const older = firstLoad(views);
    add(records.slice(20, 30));
    const first = (await views.pushUpdate(TAB, now))!;
    const message: TabLogChangedMessage = { type: 'tab-log-changed', tabId: TAB, ...first };
    expect(pushedUpdateFor(message, older.version)).not.toBeNull();
    expect(pushedUpdateFor(message, { logId: older.version.logId, revision: older.version.revision - 1 })).toBeNull();
    expect(pushedUpdateFor(message, { logId: 'another-log', revision: older.version.revision })).toBeNull();
    expect(pushedUpdateFor(message, undefined)).toBeNull();
    expect(pushedUpdateFor({ type: 'tab-log-changed', tabId: TAB }, older.version)).toBeNull();
    // A view that missed that push asks with its version; the next push is a change since that answer.
    add(records.slice(30, 40));
    const asked = views.answer(TAB, older.version);
    views.noteSent(TAB, asked);
    add(records.slice(40, 50));
    const next = (await views.pushUpdate(TAB, now))!;
    expect(next.since).toEqual({ logId: asked.logId, revision: asked.revision });
    expect(unpackRows(next.update.rows).map((row) => row.id)).toEqual(records.slice(40, 50).map((record) => record.id));
  });

  test('after a new page load nothing is pushed until a view got the new log complete', async () => {
    const { store, views, add } = setUp();
    const records = workload(40, 13);
    add(records.slice(0, 20));
    firstLoad(views);
    store.startPage(TAB, 'https://player.test/next');
    add(records.slice(20, 30));
    expect(await views.pushUpdate(TAB, now)).toBeNull();
    add(records.slice(30, 40));
    expect(await views.pushUpdate(TAB, now)).toBeNull();
    firstLoad(views);
    expect(await views.pushUpdate(TAB, now)).not.toBeNull();
    views.forget(TAB);
    expect(await views.pushUpdate(TAB, now)).toBeNull();
  });
});

describe('the diagnosis as summary changes (src/view/summary-change.ts)', () => {
  test.each([5, 29])('a stream with evictions (seed %i): after every update the view holds the summary of the whole log, mostly sent as changes', (seed) => {
    const { store, views, add } = setUp({ maxRecordsPerTab: 300, chunkSize: 25 });
    const records = workload(900, seed);
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

});

describe('a log view at a revision (pure)', () => {
  test('a row the analysis judges otherwise than the quick verdict travels again; the others keep their revision', () => {
    const records = workload(40, 13);
    const quick = logViewOf(records, 0, 1, true);
    expect(quick.report).toBeNull();
    expect(viewChangesSince(quick, null)).toMatchObject({ full: true, analysed: false, summary: null, firstSeq: 0 });
    // As if the quick verdict of row 3 had differed from the analysis' verdict.
    const differing: CorsVerdict = { ...quick.rows[3]!.verdict, outcome: 'unknown', explanation: 'quick' };
    quick.rows[3] = { ...quick.rows[3]!, verdict: differing, verdictKey: verdictKeyOf(differing) };
    const analysed = logViewOf(records, 0, 2, false, quick);
    const changes = viewChangesSince(analysed, 1);
    expect(changes).toMatchObject({ full: false, analysed: true, summary: { findings: analysed.report!.findings } });
    expect(unpackRows(changes.rows).map((row) => row.seq)).toEqual([3]);
    expect(viewChangesSince(analysed, 2)).toMatchObject({ rows: { rows: [] }, summary: null });
  });

  test('after eviction and new records: only the new rows are sent, from the new first seq', () => {
    const records = workload(60, 17);
    const first = logViewOf(records.slice(0, 40), 0, 1, false);
    const later = logViewOf(records.slice(20), 20, 2, false, first);
    const changes = viewChangesSince(later, 1);
    expect(changes.firstSeq).toBe(20);
    expect(unpackRows(changes.rows).map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, index) => 40 + index));
  });
});

describe('applying a partial answer', () => {
  test('replaces a re-judged row in place and appends new ones', () => {
    const records = workload(5);
    const report = analyze(records);
    const rows = records.map((record, index) => rowFactsOf(record, report.verdicts[index]!.verdict, index));
    const summary = viewSummaryOf(report);
    const base = { tabId: TAB, logId: 'w:1', pageUrl: null, pageOrigin: report.pageOrigin, analysed: true, firstSeq: 0, totals: { requests: 0, byOutcome: { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 }, cancelled: 0, byKind: {}, byStream: {}, failuresByCause: {} }, evicted: 0, preserveLog: false, storageError: null };
    const held = applyViewUpdate(null, { ...base, revision: 1, full: true, rows: packRows(rows.slice(0, 4)), summary });
    const rejudged = { ...rows[1]!, verdict: { ...rows[1]!.verdict, outcome: 'fail' as const, explanation: 're-judged' } };
    const next = applyViewUpdate(held, { ...base, revision: 2, full: false, rows: packRows([rejudged, rows[4]!]), summary: null });
    expect(next.data.rows.map((row) => row.id)).toEqual(records.map((record) => record.id));
    expect(next.data.rows[1]!.verdict.explanation).toBe('re-judged');
    expect(next.data.summary).toBe(summary);
    expect(next.version).toEqual({ logId: 'w:1', revision: 2 });
  });
});

const BADGE_TAB = 11;
const SEGMENT = 'http://localhost:4000/hls/segment1.ts';
const OTHER = 'http://localhost:4000/hls/segment2.ts';

/** A Firefox segment with ACAO "*": undetermined from its headers (credentials mode unseen). */
function firefoxSegment(id: string, url: string, start: number): RequestRecord {
  const record = makeRecord({ id, url, start, requestHeaders: { origin: PAGE_ORIGIN, 'sec-fetch-mode': 'cors' }, responseHeaders: { 'access-control-allow-origin': '*', 'content-type': 'video/mp2t' } });
  return { ...record, tabId: BADGE_TAB, browser: 'firefox' };
}

/**
 * The toolbar badge and the popup's header count the same thing: rows decided by page evidence
 * (Firefox, docs/capture.md#firefox-evidence) move out of "undetermined" on both, including a
 * rejection inferred after the request arrived, which the store's arrival counts never see.
 */
describe('toolbar badge and popup header', () => {
  test('count rows decided by page evidence the same way, rejections inferred after arrival included', async () => {
    const store = new TabLogStore(new MemoryArea(), { isQuotaError: () => false });
    store.startPage(BADGE_TAB, `${PAGE_ORIGIN}/player.html`);
    // The page could not read segment1 twice (a rejected load and its retry), and read segment2.
    const entries: ResourceEntry[] = [
      [SEGMENT, BASE_TIME_MS + 2, 0],
      [SEGMENT, BASE_TIME_MS + 402, 0],
      [OTHER, BASE_TIME_MS + 902, 200],
    ];
    const evidence = new PageEvidence(async (_tabId, _frames, urls) => entries.filter(([url]) => urls.includes(url)));
    const views = new TabViews(store, 'worker-1', evidence);
    for (const record of [firefoxSegment('a', SEGMENT, BASE_TIME_MS), firefoxSegment('b', SEGMENT, BASE_TIME_MS + 400), firefoxSegment('c', OTHER, BASE_TIME_MS + 900)]) {
      store.add(record, verdictForRecord(record));
    }
    // At arrival: everything undetermined, badge "?" — and the badge reads what the views would show.
    expect(store.totals(BADGE_TAB).byOutcome).toMatchObject({ unknown: 3, fail: 0, pass: 0 });
    expect(toolbarBadgeOf(toolbarStateOf(views.shownTotals(BADGE_TAB))).text).toBe('?');

    const answer = await views.answerWithEvidence(BADGE_TAB, undefined, BASE_TIME_MS + 60_000);
    expect(answer.totals.byOutcome).toMatchObject({ unknown: 0, fail: 2, pass: 1 });
    // The badge's totals are the popup's, so the badge now says "2" (rejected), not "?".
    expect(views.shownTotals(BADGE_TAB)).toEqual(answer.totals);
    const badge = toolbarBadgeOf(toolbarStateOf(views.shownTotals(BADGE_TAB)));
    expect(badge).toMatchObject({ text: '2', titleKey: 'toolbarRejected', titleValue: '2' });
    // The store's own arrival counts are untouched (they are what a restart restores).
    expect(store.totals(BADGE_TAB).byOutcome.unknown).toBe(3);
  });
});
