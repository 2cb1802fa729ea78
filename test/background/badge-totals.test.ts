/**
 * The toolbar badge and the popup's header count the same thing: rows decided by page evidence
 * (Firefox, docs/capture.md#firefox-evidence) move out of "undetermined" on both, including a
 * rejection inferred after the request arrived, which the store's arrival counts never see.
 */
import { describe, expect, test } from 'vitest';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import { TabViews } from '../../src/background/view.ts';
import { PageEvidence } from '../../src/background/page-evidence.ts';
import { verdictForRecord } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import type { ResourceEntry } from '../../src/platform/scripting.ts';
import { toolbarBadgeOf, toolbarStateOf } from '../../src/view/toolbar.ts';
import { BASE_TIME_MS, makeRecord, PAGE_ORIGIN } from '../engine/rules/support/make-record.ts';

const TAB = 11;
const SEGMENT = 'http://localhost:4000/hls/segment1.ts';
const OTHER = 'http://localhost:4000/hls/segment2.ts';

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

/** A Firefox segment with ACAO "*": undetermined from its headers (credentials mode unseen). */
function firefoxSegment(id: string, url: string, start: number): RequestRecord {
  const record = makeRecord({ id, url, start, requestHeaders: { origin: PAGE_ORIGIN, 'sec-fetch-mode': 'cors' }, responseHeaders: { 'access-control-allow-origin': '*', 'content-type': 'video/mp2t' } });
  return { ...record, tabId: TAB, browser: 'firefox' };
}

describe('toolbar badge and popup header', () => {
  test('count rows decided by page evidence the same way, rejections inferred after arrival included', async () => {
    const store = new TabLogStore(new MemoryArea(), { isQuotaError: () => false });
    store.startPage(TAB, `${PAGE_ORIGIN}/player.html`);
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
    expect(store.totals(TAB).byOutcome).toMatchObject({ unknown: 3, fail: 0, pass: 0 });
    expect(toolbarBadgeOf(toolbarStateOf(views.shownTotals(TAB))).text).toBe('?');

    const answer = await views.answerWithEvidence(TAB, undefined, BASE_TIME_MS + 60_000);
    expect(answer.totals.byOutcome).toMatchObject({ unknown: 0, fail: 2, pass: 1 });
    // The badge's totals are the popup's, so the badge now says "2" (rejected), not "?".
    expect(views.shownTotals(TAB)).toEqual(answer.totals);
    const badge = toolbarBadgeOf(toolbarStateOf(views.shownTotals(TAB)));
    expect(badge).toMatchObject({ text: '2', titleKey: 'toolbarRejected', titleValue: '2' });
    // The store's own arrival counts are untouched (they are what a restart restores).
    expect(store.totals(TAB).byOutcome.unknown).toBe(3);
  });
});
