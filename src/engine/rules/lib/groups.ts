import type { RecordFacts } from './types.ts';

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

/** Where the shared grouping is kept: on the facts list itself (cheaper than a WeakMap entry per diagnosis). */
const CORS_REQUESTS_BY_BEHAVIOR = Symbol('corsRequestsByBehavior');
type FactsWithGroups = readonly RecordFacts[] & { [CORS_REQUESTS_BY_BEHAVIOR]?: ReadonlyMap<string, readonly RecordFacts[]> };

/**
 * CORS requests (not OPTIONS) by behavior key, grouped once per diagnosis and shared by the rules
 * that look at CDN behaviours (the same groups `groupBy(facts.filter(…), (item) => item.behaviorKey)` gives).
 */
export function corsRequestsByBehavior(facts: readonly RecordFacts[]): ReadonlyMap<string, readonly RecordFacts[]> {
  const list = facts as FactsWithGroups;
  let groups = list[CORS_REQUESTS_BY_BEHAVIOR];
  if (groups === undefined) {
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
    groups = grouped;
    // A frozen list (a caller's own) cannot carry the cache: then each rule groups for itself.
    if (Object.isExtensible(list)) (list as { [CORS_REQUESTS_BY_BEHAVIOR]?: ReadonlyMap<string, readonly RecordFacts[]> })[CORS_REQUESTS_BY_BEHAVIOR] = groups;
  }
  return groups;
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
  return facts.extension === null ? '/*' : `/*.${facts.extension}`;
}

function directoryOf(facts: RecordFacts): string | null {
  if (facts.host === null || facts.path === null) return null;
  return `${facts.host}${facts.path.slice(0, facts.path.lastIndexOf('/') + 1)}`;
}

/**
 * Stream keys: a record belongs to the deepest master playlist (or DASH manifest) directory that
 * contains it, so master → variant playlists in subfolders → segments end up in one stream.
 * Records under no master form a stream per directory.
 */
export function streamIndexOf(facts: readonly RecordFacts[]): (item: RecordFacts) => string {
  const masters = new Set<string>();
  for (const item of facts) {
    if (item.record.media.kind === 'master-playlist' || item.record.media.kind === 'dash-manifest') {
      const directory = directoryOf(item);
      if (directory) masters.add(directory);
    }
  }
  const byDepth = [...masters].sort((a, b) => b.length - a.length);
  const cache = new Map<string, string>();
  return (item) => {
    const directory = directoryOf(item) ?? item.record.url;
    const known = cache.get(directory);
    if (known !== undefined) return known;
    const stream = byDepth.find((master) => directory.startsWith(master)) ?? directory;
    cache.set(directory, stream);
    return stream;
  };
}
