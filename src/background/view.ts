import type { CorsVerdict, Report } from '../engine/model.ts';
import { analyze, pageOriginOf, verdictsOf } from '../engine/index.ts';
import type { TabLog, TabLogStore } from './store.ts';
import { packRows, rowFactsOf, type RowFacts } from './row-facts.ts';
import type { TabViewResponse, ViewSummary, ViewVersion } from './messages.ts';

interface CachedView {
  logId: string;
  log: TabLog | undefined;
  firstSeq: number;
  endSeq: number;
  /** Null until the whole-log analysis ran (a quick first answer judged each record only). */
  report: Report | null;
  pageOrigin: string | null;
  /** Row facts by seq - firstSeq, and the revision at which each was last added or changed. */
  rows: RowFacts[];
  rowRevisions: number[];
  summary: ViewSummary | null;
  summaryJson: string;
  summaryRevision: number;
}

/** Same verdict (flat fields; a message reference is compared by value). */
function sameVerdict(a: CorsVerdict, b: CorsVerdict): boolean {
  const keys = Object.keys(a) as Array<keyof CorsVerdict>;
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const [x, y] = [a[key], b[key]];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/**
 * The analysis of each tab's log, kept until the log changes, and the views' answers worked out from
 * it: a view that says which version it has gets only the rows added or re-judged since.
 */
export class TabViews {
  readonly #store: TabLogStore;
  /** Tells this worker's log ids from an earlier worker's (a restarted worker numbers from 1 again). */
  readonly #instance: string;
  readonly #cache = new Map<number, CachedView>();
  #nextLogId = 1;
  #revision = 0;

  constructor(store: TabLogStore, instance: string) {
    this.#store = store;
    this.#instance = instance;
  }

  /** The tab's report (from the cache while the log is unchanged). */
  report(tabId: number): Report {
    return this.#current(tabId, false).report!;
  }

  /**
   * What the view asked for. A view's first answer does not wait for the whole-log analysis when none
   * is at hand (a restarted worker, a log that changed): it carries the rows with their verdicts and a
   * null summary, and the view asks again for the rest.
   */
  answer(tabId: number, since?: ViewVersion): TabViewResponse {
    const known = since !== undefined && since.logId === this.#cache.get(tabId)?.logId && since.revision <= this.#revision;
    const view = this.#current(tabId, !known);
    const delta = known && since.logId === view.logId;
    const rows = delta ? view.rows.filter((_, index) => view.rowRevisions[index]! > since.revision) : view.rows;
    const log = view.log;
    return {
      tabId,
      logId: view.logId,
      revision: this.#revision,
      full: !delta,
      pageUrl: log?.pageUrl ?? null,
      pageOrigin: view.pageOrigin,
      firstSeq: view.firstSeq,
      rows: packRows(rows),
      summary: delta && view.summaryRevision <= since.revision ? null : view.summary,
      analysed: view.report !== null,
      totals: this.#store.totals(tabId),
      evicted: this.#store.evictedCount(tabId),
      preserveLog: log?.preserveLog ?? false,
      storageError: this.#store.lastWriteError,
    };
  }

  /** Forgets closed tabs' analyses. */
  forget(tabId: number): void {
    this.#cache.delete(tabId);
  }

  /** The tab's cached view, brought up to date; `quick` takes verdicts only when there is no analysis to reuse. */
  #current(tabId: number, quick: boolean): CachedView {
    const log = this.#store.tab(tabId);
    const records = log?.records ?? [];
    const firstSeq = log?.firstSeq ?? 0;
    const endSeq = firstSeq + records.length;
    const cached = this.#cache.get(tabId);
    if (cached && cached.log === log && cached.firstSeq === firstSeq && cached.endSeq === endSeq && (quick || cached.report !== null)) return cached;
    const revision = ++this.#revision;
    const same = cached?.log === log ? cached : undefined;
    const report = quick ? null : analyze(records);
    const verdicts = report ? report.verdicts.map((entry) => entry.verdict) : verdictsOf(records);
    const rows: RowFacts[] = [];
    const rowRevisions: number[] = [];
    records.forEach((record, index) => {
      const seq = firstSeq + index;
      const verdict = verdicts[index]!;
      const earlier = same && seq >= same.firstSeq && seq < same.endSeq ? seq - same.firstSeq : -1;
      if (earlier >= 0 && sameVerdict(same!.rows[earlier]!.verdict, verdict)) {
        rows.push(same!.rows[earlier]!);
        rowRevisions.push(same!.rowRevisions[earlier]!);
      } else {
        rows.push(rowFactsOf(record, verdict, seq));
        rowRevisions.push(revision);
      }
    });
    const summary: ViewSummary | null = report && { findings: report.findings, streams: report.streams };
    const summaryJson = summary ? JSON.stringify(summary) : '';
    const view: CachedView = {
      logId: same?.logId ?? `${this.#instance}:${this.#nextLogId++}`,
      log,
      firstSeq,
      endSeq,
      report,
      pageOrigin: report ? report.pageOrigin : pageOriginOf(records),
      rows,
      rowRevisions,
      summary,
      summaryJson,
      summaryRevision: same && same.summaryJson === summaryJson ? same.summaryRevision : revision,
    };
    this.#cache.set(tabId, view);
    return view;
  }
}
