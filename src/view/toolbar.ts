import type { CorsVerdict, RequestRecord } from '../engine/model.ts';
import { passesWithoutCredentials } from '../engine/cors/inference.ts';
import type { TabTotals } from './totals.ts';
import { mediaRequestCount } from './counts.ts';

/**
 * What the toolbar button says about a tab at a glance. Each state has its own badge text (nothing, a
 * check mark, a question mark, a number), so it reads without telling colours apart; the colour only
 * repeats it.
 */
export type ToolbarState =
  | { kind: 'nothing-captured' }
  /**
   * Nothing rejected and nothing suspicious. `unconfirmed` of the media requests are undetermined only
   * because their credentials mode is unseen and pass without credentials (Firefox before a view read
   * the page, docs/capture.md#firefox-evidence): the tooltip says so, the badge does not raise a doubt.
   */
  | { kind: 'all-passing'; media: number; unconfirmed?: number }
  | { kind: 'undetermined'; undetermined: number }
  | { kind: 'rejected'; rejected: number };

export interface ToolbarBadge {
  text: string;
  /** Background colour; white text on each has a contrast ratio of at least 4.5:1. */
  color: string;
  /** The _locales key of the button's tooltip, and its substitutions. */
  titleKey: string;
  titleValue: string | string[];
}

/** The badge holds four characters at most; larger counts are capped (the popup has the exact one). */
const MAX_BADGE_COUNT = 999;

/**
 * The state of a tab whose views show `totals`. `doubtful` is how many of its undetermined requests
 * are not merely awaiting their credentials mode (all of them unless told: see UnconfirmedRequests).
 * "?" only for those: a healthy Firefox stream, whose requests are open only because webRequest does
 * not show the credentials mode, shows ✓ before a view has read the page, not a doubt.
 */
export function toolbarStateOf(totals: TabTotals, doubtful = totals.byOutcome.unknown): ToolbarState {
  if (totals.byOutcome.fail > 0) return { kind: 'rejected', rejected: totals.byOutcome.fail };
  const unknown = totals.byOutcome.unknown;
  if (unknown > 0 && doubtful > 0) return { kind: 'undetermined', undetermined: unknown };
  const media = mediaRequestCount(totals);
  if (media === 0) return { kind: 'nothing-captured' };
  return unknown > 0 ? { kind: 'all-passing', media, unconfirmed: unknown } : { kind: 'all-passing', media };
}

/** A tab's log as the toolbar reads it (the store's TabLog): records and their rows, same order. */
export interface ToolbarLog {
  readonly records: readonly RequestRecord[];
  readonly rows: ReadonlyArray<{ readonly seq: number; readonly verdict: CorsVerdict }>;
}

/**
 * Counts, per log, the requests undetermined from their headers that pass without credentials
 * (passesWithoutCredentials), reading each record once as it arrives, so the badge costs nothing per
 * flush beyond the new records. Held per log object (a new page load is a new one, a closed tab's is
 * dropped with it). Records evicted or restored before they were read are not counted, so they stay
 * doubtful: the badge may say "?" where it could have said ✓, never the reverse.
 */
export class UnconfirmedRequests {
  readonly #logs = new WeakMap<object, { nextSeq: number; count: number }>();

  /** The doubtful undetermined requests of `log`: `arrivalUnknown` (the store's count) less the unconfirmed ones. */
  doubtful(log: ToolbarLog, arrivalUnknown: number): number {
    let tally = this.#logs.get(log);
    if (!tally) this.#logs.set(log, (tally = { nextSeq: 0, count: 0 }));
    const { rows, records } = log;
    // Rows are in seq order from the first held: start at the first not yet read.
    for (let index = Math.max(0, tally.nextSeq - (rows[0]?.seq ?? 0)); index < rows.length; index++) {
      const row = rows[index]!;
      if (row.verdict.outcome === 'unknown' && passesWithoutCredentials(records[index]!)) tally.count++;
      tally.nextSeq = row.seq + 1;
    }
    return Math.max(0, arrivalUnknown - tally.count);
  }
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
      return state.unconfirmed !== undefined && state.unconfirmed > 0
        ? { text: '✓', color: '#137333', titleKey: 'toolbarPassingUnconfirmed', titleValue: [String(state.media), String(state.unconfirmed)] }
        : { text: '✓', color: '#137333', titleKey: 'toolbarPassing', titleValue: String(state.media) };
    case 'nothing-captured':
      return { text: '', color: '#5f6368', titleKey: 'toolbarNothing', titleValue: '' };
  }
}
