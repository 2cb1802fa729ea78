/** The toolbar button's state: each state has its own badge text, so it reads without colour. */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { emptyTotals, type TabTotals } from '../../src/view/totals.ts';
import { toolbarBadgeOf, toolbarStateOf, UnconfirmedRequests, type ToolbarState } from '../../src/view/toolbar.ts';
import { verdictForRecord } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { rowFactsOf } from '../../src/view/row-facts.ts';
import { makeRecord, PAGE_ORIGIN } from '../engine/rules/support/make-record.ts';

function totals(byOutcome: Partial<TabTotals['byOutcome']>, byKind: TabTotals['byKind']): TabTotals {
  const base = emptyTotals();
  return { ...base, byOutcome: { ...base.byOutcome, ...byOutcome }, byKind };
}

/** WCAG relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * channels[0]! + 0.7152 * channels[1]! + 0.0722 * channels[2]!;
}

describe('toolbar state', () => {
  test('no media request: nothing captured, no badge', () => {
    expect(toolbarStateOf(emptyTotals())).toEqual({ kind: 'nothing-captured' });
    // Preflights alone are not media requests.
    expect(toolbarStateOf(totals({ pass: 2 }, { preflight: 2 }))).toEqual({ kind: 'nothing-captured' });
    expect(toolbarBadgeOf({ kind: 'nothing-captured' }).text).toBe('');
  });

  test('media and nothing rejected or undetermined: all passing, a check mark', () => {
    const state = toolbarStateOf(totals({ pass: 3, 'not-applicable': 2 }, { segment: 4, playlist: 1 }));
    expect(state).toEqual({ kind: 'all-passing', media: 5 });
    expect(toolbarBadgeOf(state).text).toBe('✓');
  });

  test('a rejection wins over undetermined ones; the badge is the count, capped at four characters', () => {
    expect(toolbarStateOf(totals({ fail: 2, unknown: 5, pass: 1 }, { segment: 8 }))).toEqual({ kind: 'rejected', rejected: 2 });
    expect(toolbarBadgeOf({ kind: 'rejected', rejected: 2 }).text).toBe('2');
    expect(toolbarBadgeOf({ kind: 'rejected', rejected: 999 }).text).toBe('999');
    expect(toolbarBadgeOf({ kind: 'rejected', rejected: 1000 }).text).toBe('999+');
    expect(toolbarBadgeOf({ kind: 'rejected', rejected: 1 }).titleKey).toBe('toolbarRejected_one');
  });

  test('undetermined without rejection: a question mark', () => {
    const state = toolbarStateOf(totals({ unknown: 1, pass: 1 }, { segment: 2 }));
    expect(state).toEqual({ kind: 'undetermined', undetermined: 1 });
    expect(toolbarBadgeOf(state).text).toBe('?');
  });

  test('the states differ by text, not only by colour; white text on each colour has 4.5:1 contrast; each tooltip is in en and ko', () => {
    const states: ToolbarState[] = [{ kind: 'nothing-captured' }, { kind: 'all-passing', media: 1 }, { kind: 'undetermined', undetermined: 1 }, { kind: 'rejected', rejected: 7 }];
    const badges = states.map(toolbarBadgeOf);
    expect(new Set(badges.map((badge) => badge.text)).size).toBe(states.length);
    for (const badge of badges.filter((badge) => badge.text !== '')) expect(1.05 / (luminance(badge.color) + 0.05), badge.color).toBeGreaterThanOrEqual(4.5);
    for (const lang of ['en', 'ko']) {
      const messages = JSON.parse(readFileSync(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
      for (const badge of [...badges, toolbarBadgeOf({ kind: 'rejected', rejected: 1 })]) expect(messages[badge.titleKey], `${lang} ${badge.titleKey}`).toBeDefined();
    }
  });
});

/** A Firefox segment: with ACAO "*" it is undetermined only for its unseen credentials mode. */
function firefoxSegment(id: string, allowOrigin: string | null): RequestRecord {
  const responseHeaders: Record<string, string> = { 'content-type': 'video/mp2t' };
  if (allowOrigin !== null) responseHeaders['access-control-allow-origin'] = allowOrigin;
  const record = makeRecord({ id, url: `http://localhost:4000/hls/${id}.ts`, requestHeaders: { origin: PAGE_ORIGIN, 'sec-fetch-mode': 'cors' }, responseHeaders });
  return { ...record, browser: 'firefox' };
}

/** A log as the store holds it: records and the rows judged as they arrived, from seq `firstSeq`. */
function logOf(records: RequestRecord[], firstSeq = 0) {
  return { records, rows: records.map((record, index) => rowFactsOf(record, verdictForRecord(record), firstSeq + index)) };
}

const unknownOf = (log: ReturnType<typeof logOf>) => log.rows.filter((row) => row.verdict.outcome === 'unknown').length;

describe('toolbar state before a view read the page (Firefox)', () => {
  test('a healthy stream undetermined only for its unseen credentials mode shows ✓, its tooltip saying what is left to confirm', () => {
    const log = logOf([firefoxSegment('s0', '*'), firefoxSegment('s1', '*'), firefoxSegment('s2', PAGE_ORIGIN)]);
    expect(unknownOf(log)).toBe(3);
    const doubtful = new UnconfirmedRequests().doubtful(log, 3);
    expect(doubtful).toBe(0);
    const state = toolbarStateOf(totals({ unknown: 3 }, { segment: 3 }), doubtful);
    expect(state).toEqual({ kind: 'all-passing', media: 3, unconfirmed: 3 });
    expect(toolbarBadgeOf(state)).toMatchObject({ text: '✓', titleKey: 'toolbarPassingUnconfirmed', titleValue: ['3', '3'] });
    for (const lang of ['en', 'ko']) {
      const messages = JSON.parse(readFileSync(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Record<string, { message: string }>;
      expect(messages.toolbarPassingUnconfirmed?.message, lang).toMatch(/\$COUNT\$.*\$UNCONFIRMED\$/);
    }
  });

  test('an undetermined request that would not pass without credentials keeps "?"', () => {
    // Chromium without extraHeaders: whether it was a CORS request at all is open, not just its credentials.
    const hidden: RequestRecord = { ...makeRecord({ id: 'h', url: 'http://localhost:4000/hls/h.ts', responseHeaders: { 'content-type': 'video/mp2t' } }), requestHeadersComplete: false };
    const log = logOf([firefoxSegment('s0', '*'), hidden]);
    expect(unknownOf(log)).toBe(2);
    const doubtful = new UnconfirmedRequests().doubtful(log, 2);
    expect(doubtful).toBe(1);
    expect(toolbarBadgeOf(toolbarStateOf(totals({ unknown: 2 }, { segment: 2 }), doubtful)).text).toBe('?');
    // Without the tally every undetermined request is doubtful, as before.
    expect(toolbarStateOf(totals({ unknown: 2 }, { segment: 2 }))).toEqual({ kind: 'undetermined', undetermined: 2 });
  });

  test('a rejection still wins; each record is read once; requests evicted or restored unread stay doubtful', () => {
    const records = [firefoxSegment('s0', '*'), firefoxSegment('s1', null)];
    const log = logOf(records);
    expect(log.rows.map((row) => row.verdict.outcome)).toEqual(['unknown', 'fail']);
    const tally = new UnconfirmedRequests();
    expect(toolbarBadgeOf(toolbarStateOf(totals({ unknown: 1, fail: 1 }, { segment: 2 }), tally.doubtful(log, 1))).text).toBe('1');
    // More arrive: only the new rows are read (an earlier one changed in place would not be re-read).
    log.records.push(firefoxSegment('s2', '*'));
    log.rows.push(rowFactsOf(log.records[2]!, verdictForRecord(log.records[2]!), 2));
    log.rows[0] = { ...log.rows[0]!, verdict: { ...log.rows[0]!.verdict, outcome: 'pass' } };
    expect(tally.doubtful(log, 2)).toBe(0);
    // A restored log whose first 5 requests were evicted: their undetermined ones were never read.
    const restored = logOf([firefoxSegment('s5', '*')], 5);
    expect(new UnconfirmedRequests().doubtful(restored, 3)).toBe(2);
  });
});

