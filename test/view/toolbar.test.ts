/** The toolbar button's state: each state has its own badge text, so it reads without colour. */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { emptyTotals, type TabTotals } from '../../src/view/totals.ts';
import { toolbarBadgeOf, toolbarStateOf, type ToolbarState } from '../../src/view/toolbar.ts';

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
