import type { CorsOutcome } from '../engine/model.ts';

/**
 * Exact per-tab counts of verdict outcomes for the current page load. They count every record ever
 * added, so they stay exact when the store evicts old detail.
 */
export class TabCounters {
  readonly #byTab = new Map<number, Record<CorsOutcome, number>>();

  count(tabId: number, outcome: CorsOutcome): void {
    let counts = this.#byTab.get(tabId);
    if (!counts) {
      counts = { pass: 0, fail: 0, 'not-applicable': 0, unknown: 0 };
      this.#byTab.set(tabId, counts);
    }
    counts[outcome]++;
  }

  failing(tabId: number): number {
    return this.#byTab.get(tabId)?.fail ?? 0;
  }

  reset(tabId: number): void {
    this.#byTab.delete(tabId);
  }
}
