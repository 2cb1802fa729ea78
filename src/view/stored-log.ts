import type { Finding } from '../engine/model.ts';
import { UNSPECIFIED_CAUSE, withCancelledCount, type StoredTotals } from './totals.ts';
import { sameVersion, type FirstScreen, type TabViewData, type ViewSummary, type ViewVersion } from './model.ts';
import type { LiveView, ViewUpdate } from './updates.ts';
import { packRows, unpackRows, type PackedRows, type RowFacts } from './row-facts.ts';
import { OUTCOME_ORDER, ROW_FILTERS, matchesFilter, namedByOf, requestRowOf, type RequestRow, type RowFilter } from './rows.ts';
import { GROUP_ORDER, groupOf, type RowGroup, type RowGroupKey } from './groups.ts';

/**
 * How a tab's log lies in storage.session (written by src/background/store.ts), and what a view can
 * read of it without the background: a restarted service worker has to restore and parse the whole
 * log before it can answer, while the rows a list shows are stored ready, packed per chunk, when each
 * request is judged. A view opened on a stopped worker draws them straight from storage.
 */
export interface StoredMeta {
  pageUrl: string | null;
  /** The log's page origin when last written (the engine's pageOriginOf). */
  pageOrigin?: string | null;
  preserveLog?: boolean;
  /** Stored since the start; byStream, failuresByCause and cancelled were added later (older metas lack them). */
  totals?: StoredTotals;
  playlistFolders?: string[];
  firstSeq: number;
  /** One past the last record's seq when written (absent in older metas): tells whether a stored summary is current. */
  endSeq?: number;
  chunks: number[];
}

const PREFIX = 'log:';
export const metaKey = (tabId: number): string => `${PREFIX}${tabId}:meta`;
export const chunkKey = (tabId: number, chunk: number): string => `${PREFIX}${tabId}:${chunk}`;
/** The packed row facts of a chunk's records, in the same order (PackedRows as JSON text). */
export const rowsKey = (tabId: number, chunk: number): string => `${PREFIX}${tabId}:${chunk}:rows`;
/**
 * The diagnosis last worked out for the tab's log (StoredSummary as JSON text), written by the worker
 * when a view asked for it, so a view opened later draws the cards in its first frame.
 */
export const summaryKey = (tabId: number): string => `${PREFIX}${tabId}:summary`;
/**
 * The list's first screen (StoredFirstScreen as JSON text): rewritten by the store whenever the rows it
 * holds change, and by the worker with the diagnosis it stores, so a view draws its first frame from one
 * small read instead of every chunk's rows.
 */
export const firstScreenKey = (tabId: number): string => `${PREFIX}${tabId}:first`;

/**
 * Rows a stored first screen holds. A list with more lines than this is virtualised (RequestTable
 * virtualises from 300 lines), so only the lines near the top are drawn: a tall DevTools panel's worth
 * with its overscan is far fewer. A shorter list is held whole, so nothing is missing from a table that
 * draws every line.
 */
export const FIRST_SCREEN_ROWS = 300;

/**
 * The top of a log's list as a view first shows it (filter "all", grouped, src/view/list.ts), for the
 * records seq firstSeq…endSeq: the first FIRST_SCREEN_ROWS rows in display order, every group's size,
 * the count of each filter and the rejections per cause. Written by the store without a version (rows
 * as judged at arrival, no findings) and by the worker with the version of the diagnosis it stores
 * (re-judged rows, rows joined with its findings).
 */
export interface StoredFirstScreen extends ViewVersion {
  firstSeq: number;
  endSeq: number;
  rows: PackedRows;
  groups: Array<[RowGroupKey, number]>;
  counts: Record<RowFilter, number>;
  failuresByCause: Record<string, number>;
}

/** The first screen of rows `facts` (records firstSeq…endSeq, in seq order) with `findings`, as the list would arrange them. */
export function firstScreenOf(facts: readonly RowFacts[], range: { firstSeq: number; endSeq: number }, version: ViewVersion, findings: readonly Finding[]): StoredFirstScreen {
  // One pass, no list row made per record (the store runs this on every flush that adds records): each
  // row is counted and put in its group's bucket for its outcome, in seq order, which is the list's order
  // within a group (compareRows: outcome, then position).
  const named = namedByOf(findings);
  const buckets = new Map<RowGroupKey, RowFacts[][]>();
  const counts: Record<RowFilter, number> = { all: 0, failing: 0, warnings: 0, playlists: 0, segments: 0 };
  const failuresByCause: Record<string, number> = {};
  for (const fact of facts) {
    const shown = { kind: fact.kind, verdict: fact.verdict, warned: named.get(fact.id)?.warned ?? false };
    for (const filter of ROW_FILTERS) if (matchesFilter(shown, filter)) counts[filter]++;
    if (fact.verdict.outcome === 'fail') {
      const cause = fact.verdict.chromiumError ?? UNSPECIFIED_CAUSE;
      failuresByCause[cause] = (failuresByCause[cause] ?? 0) + 1;
    }
    const key = groupOf(shown);
    let byOutcome = buckets.get(key);
    if (!byOutcome) buckets.set(key, (byOutcome = [[], [], [], []]));
    byOutcome[OUTCOME_ORDER[fact.verdict.outcome]]!.push(fact);
  }
  const groups: Array<[RowGroupKey, number]> = [];
  const top: RowFacts[] = [];
  for (const key of GROUP_ORDER) {
    const byOutcome = buckets.get(key);
    if (!byOutcome) continue;
    groups.push([key, byOutcome.reduce((sum, rows) => sum + rows.length, 0)]);
    for (const rows of byOutcome) for (const row of rows.slice(0, FIRST_SCREEN_ROWS - top.length)) top.push(row);
  }
  // Packed as row facts: causes and warnings come back from the findings (firstScreenView).
  return { ...range, logId: version.logId, revision: version.revision, rows: packRows(top), groups, counts, failuresByCause };
}

/**
 * A stored diagnosis: the worker's view of the tab's records seq firstSeq…endSeq at one version
 * (`logId`, `revision`). The rows of that view are the stored rows but for `rejudged` (the rows whose
 * verdict the whole-log analysis or page evidence changed), so a view that draws them holds exactly the
 * worker's view at that version and asks it for what changed since: nothing, when the worker is running
 * and the log unchanged.
 */
export interface StoredSummary extends ViewVersion {
  firstSeq: number;
  endSeq: number;
  rejudged: PackedRows;
  summary: ViewSummary;
}

/** The stored text of a summary whose JSON is at hand (the background keeps it), without parsing it again. */
export function storedSummaryText(stored: Omit<StoredSummary, 'summary'>, summaryJson: string): string {
  return `{"firstSeq":${stored.firstSeq},"endSeq":${stored.endSeq},"logId":${JSON.stringify(stored.logId)},"revision":${stored.revision},"rejudged":${JSON.stringify(stored.rejudged)},"summary":${summaryJson}}`;
}

/**
 * The stored summary when it is the diagnosis of the log the meta describes (the same records), else
 * null: a summary of fewer or other records is not shown as this log's.
 */
export function currentStoredSummary(meta: StoredMeta, value: unknown): StoredSummary | null {
  if (typeof value !== 'string' || meta.endSeq === undefined) return null;
  try {
    const stored = JSON.parse(value) as Partial<StoredSummary>;
    if (stored.firstSeq !== meta.firstSeq || stored.endSeq !== meta.endSeq || typeof stored.summary !== 'object' || stored.summary === null) return null;
    if (typeof stored.logId !== 'string' || typeof stored.revision !== 'number' || !isPackedRows(stored.rejudged)) return null;
    return Array.isArray(stored.summary.findings) && Array.isArray(stored.summary.streams) ? (stored as StoredSummary) : null;
  } catch {
    return null;
  }
}

function isPackedRows(value: unknown): value is PackedRows {
  const packed = value as Partial<PackedRows> | null | undefined;
  return typeof packed === 'object' && packed !== null && Array.isArray(packed.rows) && Array.isArray(packed.verdicts) && Array.isArray(packed.origins);
}

/** The stored first screen when it is of the records the meta names, else null. */
export function currentFirstScreen(meta: StoredMeta, value: unknown): StoredFirstScreen | null {
  if (typeof value !== 'string' || meta.endSeq === undefined) return null;
  try {
    const stored = JSON.parse(value) as Partial<StoredFirstScreen>;
    if (stored.firstSeq !== meta.firstSeq || stored.endSeq !== meta.endSeq || typeof stored.logId !== 'string' || typeof stored.revision !== 'number') return null;
    if (!isPackedRows(stored.rows) || !Array.isArray(stored.groups) || typeof stored.counts !== 'object' || stored.counts === null || typeof stored.failuresByCause !== 'object' || stored.failuresByCause === null) return null;
    return ROW_FILTERS.every((filter) => typeof stored.counts![filter] === 'number') ? (stored as StoredFirstScreen) : null;
  } catch {
    return null;
  }
}

/** Every key of a tab's log whose chunks are `chunks`: what goes when the log goes. */
export function logKeysOf(tabId: number, chunks: Iterable<number>): string[] {
  const keys = [metaKey(tabId), firstScreenKey(tabId), summaryKey(tabId)];
  for (const chunk of chunks) keys.push(chunkKey(tabId, chunk), rowsKey(tabId, chunk));
  return keys;
}

/** The keys a view reads first, in one call: the meta, the first screen and the diagnosis. */
export function firstReadKeys(tabId: number): string[] {
  return [metaKey(tabId), firstScreenKey(tabId), summaryKey(tabId)];
}

/**
 * What a view draws first, from the one first read (firstReadKeys): the first screen of the list, the
 * header's counts and, when the diagnosis stored is of the same version, the cards. Null when the first
 * screen stored is not of the meta's records, or is the worker's but its diagnosis is not (the view then
 * reads the whole list, storedViewData). `stored` is the diagnosis read (currentStoredSummary).
 */
export function firstScreenView(meta: StoredMeta, firstScreenItem: unknown, stored: StoredSummary | null): LiveView | null {
  const first = currentFirstScreen(meta, firstScreenItem);
  if (first === null || !isCompleteTotals(meta.totals)) return null;
  const diagnosed = stored !== null && sameVersion(stored, first);
  if (!diagnosed && first.logId !== NO_VERSION.logId) return null;
  const held = unpackRows(first.rows);
  const named = namedByOf(diagnosed ? stored.summary.findings : [], new Set(held.map((row) => row.id)));
  const groups: RowGroup[] = [];
  let next = 0;
  let linesHeld = 0;
  let whole = true;
  for (const [key, count] of first.groups) {
    // The group's length is its size; rows past those held stay holes (FirstScreen).
    const rows = new Array<RequestRow>(count);
    let index = 0;
    for (; index < count && next < held.length; index++, next++) rows[index] = requestRowOf(held[next]!, named.get(held[next]!.id));
    if (whole) linesHeld += 1 + index;
    whole &&= index === count;
    groups.push({ key, rows });
  }
  const firstScreen: FirstScreen = { groups, counts: first.counts, failuresByCause: first.failuresByCause, rowCount: first.counts.all, linesHeld };
  const data: TabViewData = { ...statusOf(meta, meta.totals), summary: diagnosed ? headlinesOnly(stored.summary) : null, rows: [], provisional: true, firstScreen };
  return { data, version: diagnosed ? { logId: stored.logId, revision: stored.revision } : NO_VERSION };
}

/**
 * The diagnosis as the first frame draws it: each card as its headline, what a collapsed card shows
 * (cause, severity, confidence, requests). Its body (message, evidence, fix) is hidden until the card is
 * opened, and the evidence lists alone were three DOM nodes in four of that frame (1 459 of 1 972 on
 * the bench's log, docs/budgets.md); the whole list, read a frame later, brings the diagnosis whole.
 * New objects: the stored diagnosis stays whole for storedViewData and the view's version.
 */
function headlinesOnly(summary: ViewSummary): ViewSummary {
  return { ...summary, findings: summary.findings.map(({ messageId: _message, data: _data, fixSteps: _steps, ...finding }) => ({ ...finding, message: '', evidence: [], fix: '' })) };
}

/** Tab id of a meta key, or null for any other key. */
export function tabIdOfMetaKey(key: string): number | null {
  const match = /^log:(\d+):meta$/.exec(key);
  return match ? Number(match[1]) : null;
}

export function isStoredMeta(value: unknown): value is StoredMeta {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<StoredMeta>;
  return typeof candidate.firstSeq === 'number' && Array.isArray(candidate.chunks) && candidate.chunks.every((chunk) => typeof chunk === 'number');
}

/** A stored chunk's rows; null when absent or unreadable (an older version stored none). */
export function storedRowsOf(value: unknown): RowFacts[] | null {
  if (typeof value !== 'string') return null;
  try {
    const packed: unknown = JSON.parse(value);
    return isPackedRows(packed) ? unpackRows(packed) : null;
  } catch {
    return null;
  }
}

/** The keys a view reads after the meta: each chunk's rows and the summary. */
export function storedViewKeys(meta: StoredMeta, tabId: number): string[] {
  return [...storedChunksOf(meta).map((chunk) => rowsKey(tabId, chunk)), summaryKey(tabId)];
}

/** The chunk numbers of a meta, oldest first. */
export function storedChunksOf(meta: StoredMeta): number[] {
  return [...meta.chunks].sort((a, b) => a - b);
}

/**
 * The rows of a stored log, oldest first, when every chunk has its rows (else null: the view waits
 * for the background). Rows below the meta's firstSeq (a chunk partly evicted) are left out.
 */
export function storedLogRows(meta: StoredMeta, items: Readonly<Record<string, unknown>>, tabId: number): RowFacts[] | null {
  const rows: RowFacts[] = [];
  for (const chunk of storedChunksOf(meta)) {
    const chunkRows = storedRowsOf(items[rowsKey(tabId, chunk)]);
    if (chunkRows === null) return null;
    for (const row of chunkRows) if (row.seq >= meta.firstSeq) rows.push(row);
  }
  return rows;
}

/**
 * What a view shows of a stored log before the background answers: the rows, counts and status as
 * last written (at most one flush behind), marked provisional. With the diagnosis stored for these very
 * records, the rows are the worker's view of them (re-judged rows in place), the cards come with them,
 * and the version is the worker's, so the view asks only for what changed since; else the summary is
 * null and the version none (the background's first answer replaces everything). Null when the stored
 * log is from an older version (no rows, or totals without streams): the view waits for the background.
 */
export function storedViewData(
  meta: StoredMeta,
  items: Readonly<Record<string, unknown>>,
  tabId: number,
  stored: StoredSummary | null = currentStoredSummary(meta, items[summaryKey(tabId)]),
): LiveView | null {
  const rows = storedLogRows(meta, items, tabId);
  if (rows === null || !isCompleteTotals(meta.totals)) return null;
  if (stored) for (const row of unpackRows(stored.rejudged)) if (rows[row.seq - meta.firstSeq]?.seq === row.seq) rows[row.seq - meta.firstSeq] = row;
  const data: TabViewData = { ...statusOf(meta, meta.totals), summary: stored?.summary ?? null, rows, provisional: true };
  return { data, version: stored ? { logId: stored.logId, revision: stored.revision } : NO_VERSION };
}

/** A stored log's status as a view shows it. */
function statusOf(meta: StoredMeta, totals: StoredTotals): Omit<TabViewData, 'summary' | 'rows'> {
  return { pageUrl: meta.pageUrl, pageOrigin: meta.pageOrigin ?? null, totals: withCancelledCount(totals), evicted: meta.firstSeq, preserveLog: meta.preserveLog === true, storageError: null };
}

/**
 * The view after the background's answer (`next`, applied to `held`). Rows first drawn from storage are
 * provisional: the first answer regroups them with every request the worker held (TabView). A first
 * answer that adds or changes no row (the stored view was the worker's current one) leaves the list as
 * it was arranged, provisional from then on, so it is not rebuilt for nothing and later requests still
 * count as arrivals.
 */
export function withArrangementKept(held: LiveView | null, answer: Pick<ViewUpdate, 'full' | 'rows'>, next: LiveView, first: boolean): LiveView {
  const unchanged = !answer.full && answer.rows.rows.length === 0 && next.data.rows === held?.data.rows;
  return held?.data.provisional === true && (!first || unchanged) ? { ...next, data: { ...next.data, provisional: true } } : next;
}

/** The version of a view the background knows nothing of: its answer carries everything. */
export const NO_VERSION: ViewVersion = { logId: '', revision: -1 };

function isCompleteTotals(totals: StoredTotals | undefined): totals is StoredTotals {
  return typeof totals === 'object' && totals !== null && typeof totals.byStream === 'object' && typeof totals.failuresByCause === 'object' && typeof totals.byOutcome === 'object';
}
