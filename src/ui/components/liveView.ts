import type { TabViewResponse, ViewVersion } from '../../background/messages.ts';
import { unpackRows, type RowFacts } from '../../background/row-facts.ts';
import type { TabViewData } from './TabView.tsx';

/** A live tab's view and the version of the background's log it reflects. */
export interface LiveView {
  data: TabViewData;
  version: ViewVersion;
}

/**
 * Applies the background's answer to what the view has: a full answer replaces it; a partial one drops
 * the rows evicted since, replaces the rows re-judged and appends the new ones (rows are in seq order).
 */
export function applyViewResponse(current: LiveView | null, response: TabViewResponse): LiveView {
  const version = { logId: response.logId, revision: response.revision };
  const { pageUrl, pageOrigin, totals, evicted, preserveLog, storageError } = response;
  const incoming = unpackRows(response.rows);
  if (response.full || current === null || current.version.logId !== response.logId) {
    // A full answer's null summary: the diagnosis is still to come.
    return { data: { pageUrl, pageOrigin, totals, evicted, preserveLog, storageError, summary: response.summary, rows: incoming }, version };
  }
  let rows: readonly RowFacts[] = current.data.rows;
  if (incoming.length > 0 || (rows.length > 0 && rows[0]!.seq < response.firstSeq)) {
    const kept = rows.filter((row) => row.seq >= response.firstSeq);
    const indexBySeq = new Map<number, number>();
    const lastSeq = kept.at(-1)?.seq ?? -1;
    for (const row of incoming) {
      if (row.seq > lastSeq) kept.push(row);
      else {
        if (indexBySeq.size === 0) kept.forEach((held, index) => indexBySeq.set(held.seq, index));
        const index = indexBySeq.get(row.seq);
        if (index !== undefined) kept[index] = row;
      }
    }
    rows = kept;
  }
  // A partial answer's null summary: unchanged.
  return { data: { pageUrl, pageOrigin, totals, evicted, preserveLog, storageError, summary: response.summary ?? current.data.summary, rows }, version };
}

