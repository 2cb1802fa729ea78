import type { Report } from '../engine/model.ts';
import { isLogViewCurrent, logViewOf, viewChangesSince, type LogView } from '../view/answer.ts';
import type { TabLog, TabLogStore } from './store.ts';
import type { TabViewResponse, ViewVersion } from '../view/protocol.ts';

/** A tab's log view and which log it shows (the store's log object: a new page load is a new one). */
interface CachedView {
  logId: string;
  log: TabLog | undefined;
  view: LogView;
}

/**
 * The view of each tab's log (src/view/answer.ts), kept until the log changes, and the views' answers:
 * a view that says which version it has gets only the rows added or re-judged since.
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
    return this.#current(tabId, false).view.report!;
  }

  /**
   * What the view asked for. A view's first answer does not wait for the whole-log analysis when none
   * is at hand (a restarted worker, a log that changed): it carries the rows with their verdicts and a
   * null summary, and the view asks again for the rest.
   */
  answer(tabId: number, since?: ViewVersion): TabViewResponse {
    const known = since !== undefined && since.logId === this.#cache.get(tabId)?.logId && since.revision <= this.#revision;
    const cached = this.#current(tabId, !known);
    const delta = known && since.logId === cached.logId;
    const log = cached.log;
    return {
      tabId,
      logId: cached.logId,
      revision: this.#revision,
      ...viewChangesSince(cached.view, delta ? since.revision : null),
      pageUrl: log?.pageUrl ?? null,
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
    const cached = this.#cache.get(tabId);
    if (cached && cached.log === log && isLogViewCurrent(cached.view, firstSeq, firstSeq + records.length, quick)) return cached;
    const same = cached?.log === log ? cached : undefined;
    const next: CachedView = {
      logId: same?.logId ?? `${this.#instance}:${this.#nextLogId++}`,
      log,
      view: logViewOf(records, firstSeq, ++this.#revision, quick, same?.view),
    };
    this.#cache.set(tabId, next);
    return next;
  }
}
