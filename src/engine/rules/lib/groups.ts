import type { RecordFacts } from './types.ts';

/** Groups in first-seen order; records whose key is null are left out. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * What a CDN behaviour most likely matches on: host plus file extension (`/*.ts`, `/*.m3u8`), the
 * way distributions split playlists from segments.
 */
export function behaviorKeyOf(facts: RecordFacts): string | null {
  if (facts.host === null) return null;
  return `${facts.host} ${facts.extension === null ? '/*' : `/*.${facts.extension}`}`;
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
