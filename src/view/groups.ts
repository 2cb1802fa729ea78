import type { MediaKind } from '../engine/model.ts';
import { isPlaylist } from '../engine/media/classify.ts';
import { kindIs } from './media.ts';
import type { RequestRow } from './rows.ts';

/**
 * Groups shown in the list, in this order; rejected media requests are pulled up into their own group.
 * 'requests' holds the page's other CORS requests (licences, keys, APIs, beacons), rejected ones too:
 * media comes first. 'arrived' holds, in arrival order, what came in since the view last grouped
 * (see groupRowsInPlace).
 */
export type RowGroupKey = 'all' | 'rejected' | 'playlists' | 'segments' | 'init' | 'keys' | 'subtitles' | 'preflights' | 'requests' | 'other' | 'arrived';

/** The group of each kind that is not a playlist (those are the engine's isPlaylist). */
const GROUP_OF_KIND: Partial<Record<MediaKind, RowGroupKey>> = {
  segment: 'segments',
  audio: 'segments',
  progressive: 'segments',
  'init-segment': 'init',
  key: 'keys',
  subtitles: 'subtitles',
  preflight: 'preflights',
};
export const GROUP_ORDER: readonly RowGroupKey[] = ['rejected', 'playlists', 'segments', 'init', 'keys', 'subtitles', 'preflights', 'requests', 'other'];

export interface RowGroup {
  key: RowGroupKey;
  rows: RequestRow[];
}

/** The group a row belongs to once grouped (its kind, or 'rejected'; other CORS requests stay in 'requests'). */
export function groupOf(row: Pick<RequestRow, 'kind' | 'verdict'>): RowGroupKey {
  if (row.kind === 'cors-request') return 'requests';
  if (row.verdict.outcome === 'fail') return 'rejected';
  if (kindIs(isPlaylist, row.kind)) return 'playlists';
  return GROUP_OF_KIND[row.kind] ?? 'other';
}

export function groupRows(rows: readonly RequestRow[]): RowGroup[] {
  const groups = new Map<RowGroupKey, RequestRow[]>();
  for (const row of rows) {
    const key = groupOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return GROUP_ORDER.filter((key) => groups.has(key)).map((key) => ({ key, rows: groups.get(key)! }));
}

/**
 * Groups for a view that is open while requests arrive: rows the view had when it last grouped
 * (`groupedIds`) keep their groups; newer rows follow in one last group, in arrival order. Pulling a
 * newly rejected request up into the 'rejected' group would push every row below it down while the
 * user reads them (no layout jumps while a stream plays); appending moves nothing.
 */
export function groupRowsInPlace(rows: readonly RequestRow[], groupedIds: ReadonlySet<string>): RowGroup[] {
  const grouped: RequestRow[] = [];
  const arrived: RequestRow[] = [];
  for (const row of rows) (groupedIds.has(row.id) ? grouped : arrived).push(row);
  const groups = groupRows(grouped);
  if (arrived.length > 0) groups.push({ key: 'arrived', rows: arrived.sort((a, b) => a.position - b.position) });
  return groups;
}
