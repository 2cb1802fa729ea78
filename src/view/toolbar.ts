import type { TabTotals } from './totals.ts';
import { mediaRequestCount } from './counts.ts';

/**
 * What the toolbar button says about a tab at a glance. Each state has its own badge text (nothing, a
 * check mark, a question mark, a number), so it reads without telling colours apart; the colour only
 * repeats it.
 */
export type ToolbarState =
  | { kind: 'nothing-captured' }
  | { kind: 'all-passing'; media: number }
  | { kind: 'undetermined'; undetermined: number }
  | { kind: 'rejected'; rejected: number };

export interface ToolbarBadge {
  text: string;
  /** Background colour; white text on each has a contrast ratio of at least 4.5:1. */
  color: string;
  /** The _locales key of the button's tooltip, and its substitution. */
  titleKey: string;
  titleValue: string;
}

/** The badge holds four characters at most; larger counts are capped (the popup has the exact one). */
const MAX_BADGE_COUNT = 999;

export function toolbarStateOf(totals: TabTotals): ToolbarState {
  if (totals.byOutcome.fail > 0) return { kind: 'rejected', rejected: totals.byOutcome.fail };
  if (totals.byOutcome.unknown > 0) return { kind: 'undetermined', undetermined: totals.byOutcome.unknown };
  const media = mediaRequestCount(totals);
  return media > 0 ? { kind: 'all-passing', media } : { kind: 'nothing-captured' };
}

export function toolbarBadgeOf(state: ToolbarState): ToolbarBadge {
  switch (state.kind) {
    case 'rejected':
      return {
        text: state.rejected > MAX_BADGE_COUNT ? `${MAX_BADGE_COUNT}+` : String(state.rejected),
        color: '#b3261e',
        titleKey: state.rejected === 1 ? 'toolbarRejected_one' : 'toolbarRejected',
        titleValue: String(state.rejected),
      };
    case 'undetermined':
      return { text: '?', color: '#5f6368', titleKey: 'toolbarUndetermined', titleValue: String(state.undetermined) };
    case 'all-passing':
      return { text: '✓', color: '#137333', titleKey: 'toolbarPassing', titleValue: String(state.media) };
    case 'nothing-captured':
      return { text: '', color: '#5f6368', titleKey: 'toolbarNothing', titleValue: '' };
  }
}
