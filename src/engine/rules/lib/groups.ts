import type { RecordFacts, RuleContext } from './types.ts';
import { pathPatternOfExtension } from './facts.ts';

/** Groups in first-seen order; records whose key is null are left out. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  // Indexed: rules group whole logs, and an iterator here was not always optimised away.
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const key = keyOf(item);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Facts gathered from several places, back in the order of the log. */
export function inLogOrder(items: RecordFacts[]): RecordFacts[] {
  return items.sort((a, b) => a.position - b.position);
}

/**
 * CORS requests (not OPTIONS) by behavior key (RecordFacts.behaviorKey), grouped once per analysis
 * and shared by the rules that look at CDN behaviours (the same groups
 * `groupBy(facts.filter(…), (item) => item.behaviorKey)` gives).
 */
export function corsRequestsByBehavior(context: Pick<RuleContext, 'computed'>): ReadonlyMap<string, readonly RecordFacts[]> {
  return context.computed(groupCorsRequestsByBehavior);
}

function groupCorsRequestsByBehavior(facts: readonly RecordFacts[]): ReadonlyMap<string, readonly RecordFacts[]> {
  const grouped = new Map<string, RecordFacts[]>();
  for (let index = 0; index < facts.length; index++) {
    const item = facts[index]!;
    if (!item.isCorsRequest || item.isOptions) continue;
    const key = item.behaviorKey;
    if (key === null) continue;
    const group = grouped.get(key);
    if (group) group.push(item);
    else grouped.set(key, [item]);
  }
  return grouped;
}

/**
 * The groups of `groupBy(items.filter(keep), key)`, from the groups of `groupBy(items, key)`: each
 * group filtered, empty ones dropped, in the order their first kept item appears in the log.
 */
export function keepInGroups(groups: ReadonlyMap<string, readonly RecordFacts[]>, keep: (item: RecordFacts) => boolean): Map<string, RecordFacts[]> {
  const kept: Array<[string, RecordFacts[]]> = [];
  for (const [key, group] of groups) {
    const items = group.filter(keep);
    if (items.length > 0) kept.push([key, items]);
  }
  kept.sort((a, b) => a[1][0]!.position - b[1][0]!.position);
  return new Map(kept);
}

/** The path pattern part of a behavior key. */
export function pathPatternOf(facts: RecordFacts): string {
  return pathPatternOfExtension(facts.extension);
}
