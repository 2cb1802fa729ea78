import type { DocumentPolicy, Report } from '../engine/model.ts';
import { isLogViewCurrent, logViewOf, viewChangesSince, type LogView } from '../view/answer.ts';
import type { TabLog, TabLogStore } from './store.ts';
import type { TabViewResponse, ViewVersion } from '../view/protocol.ts';
import { packRows } from '../view/row-facts.ts';
import { firstScreenOf } from '../view/stored-log.ts';
import { totalsWithInferred, type TabTotals } from '../view/totals.ts';
import type { PageEvidence } from './page-evidence.ts';

/** A tab's log view and which log it shows (the store's log object: a new page load is a new one). */
interface CachedView {
  logId: string;
  log: TabLog | undefined;
  view: LogView;
  /** The page evidence's version the view was worked out with. */
  evidenceVersion: number;
}

/**
 * Tabs whose view (and analysis) is kept at once: the tabs someone looked at last. A view of another
 * tab is worked out again when asked (its rows come from the store, ready), so the memory the
 * analyses hold stays bounded however many tabs were looked at (docs/budgets.md).
 */
export const MAX_KEPT_VIEWS = 3;

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

  /**
   * Per tab: the version of the last complete (analysed) answer a view got, asked for or pushed. When
   * the log changes, the views are sent what changed since it (pushUpdate): a view at that version
   * takes it without asking.
   */
  readonly #sentVersion = new Map<number, ViewVersion>();

  readonly #evidence: PageEvidence | undefined;
  /** The tab's documents' embedder policies (document-policies.ts), for the rules only. */
  readonly #documentPolicies: ((tabId: number) => readonly DocumentPolicy[]) | undefined;

  constructor(store: TabLogStore, instance: string, evidence?: PageEvidence, documentPolicies?: (tabId: number) => readonly DocumentPolicy[]) {
    this.#store = store;
    this.#instance = instance;
    this.#evidence = evidence;
    this.#documentPolicies = documentPolicies;
  }

  /**
   * answer(), after reading the page for the tab's undetermined requests (page-evidence.ts). Only a
   * tab whose log has undetermined requests is read, so an ordinary page costs nothing more.
   * `analysed`: with the diagnosis, even when none is at hand (see answer()).
   */
  async answerWithEvidence(tabId: number, since: ViewVersion | undefined, now: number, analysed = false): Promise<TabViewResponse> {
    const log = this.#store.tab(tabId);
    if (this.#evidence && log && this.#store.totals(tabId).byOutcome.unknown > 0) {
      const { view } = this.#current(tabId, true);
      const undetermined = log.records.filter((_, index) => view.rows[index]?.verdict.outcome === 'unknown');
      await this.#evidence.refresh(tabId, log, undetermined, now);
    }
    return this.answer(tabId, since, analysed);
  }

  /** Notes an answer sent to a view: a complete one is what the next pushed update is a change since. */
  noteSent(tabId: number, answer: TabViewResponse): void {
    if (answer.analysed) this.#sentVersion.set(tabId, { logId: answer.logId, revision: answer.revision });
    else this.#sentVersion.delete(tabId);
  }

  /**
   * What the tab's open views are sent when its log changed: the change since the last complete answer
   * a view got (one message, instead of a notice and each view asking). Null when there is none to
   * start from, or the log is another one now (a new page load): the views ask, as a new view does.
   */
  async pushUpdate(tabId: number, now: number): Promise<{ since: ViewVersion; update: TabViewResponse } | null> {
    const since = this.#sentVersion.get(tabId);
    if (since === undefined) return null;
    const update = await this.answerWithEvidence(tabId, since, now);
    if (update.full || !update.analysed) {
      this.#sentVersion.delete(tabId);
      return null;
    }
    this.noteSent(tabId, update);
    return { since, update };
  }

  /** The tab's report (from the cache while the log is unchanged). */
  report(tabId: number): Report {
    return this.#current(tabId, false).view.report!;
  }

  /**
   * What the view asked for. A view's first answer does not wait for the whole-log analysis when none
   * is at hand (a restarted worker, a log that changed): it carries the rows with their verdicts and a
   * null summary, and the view asks again for the rest. Unless `analysed`: a view that already shows
   * the stored rows asks for the diagnosis straight away (one round trip, not two).
   */
  answer(tabId: number, since?: ViewVersion, analysed = false): TabViewResponse {
    const known = since !== undefined && since.logId === this.#cache.get(tabId)?.logId && since.revision <= this.#revision;
    const cached = this.#current(tabId, !known && !analysed);
    const delta = known && since.logId === cached.logId;
    const log = cached.log;
    return {
      tabId,
      logId: cached.logId,
      revision: this.#revision,
      ...viewChangesSince(cached.view, delta ? since.revision : null),
      pageUrl: log?.pageUrl ?? null,
      totals: this.shownTotals(tabId),
      evicted: this.#store.evictedCount(tabId),
      preserveLog: log?.preserveLog ?? false,
      storageError: this.#store.lastWriteError,
      headersNotSeen: this.#store.headersNotSeen(tabId),
    };
  }

  /**
   * The tab's totals as its views show them: the store's arrival counts with the rows page evidence
   * decided moved out of "undetermined" (totalsWithInferred). The toolbar badge shows these too, so the
   * badge and the popup's header never disagree.
   */
  shownTotals(tabId: number): TabTotals {
    const totals = this.#store.totals(tabId);
    const cached = this.#cache.get(tabId);
    return cached && cached.log === this.#store.tab(tabId) ? totalsWithInferred(totals, cached.view.rows) : totals;
  }

  /** Forgets closed tabs' analyses. */
  forget(tabId: number): void {
    this.#cache.delete(tabId);
    this.#sentVersion.delete(tabId);
    this.#evidence?.forget(tabId);
  }

  /** The tab's cached view, brought up to date; `quick` takes verdicts only when there is no analysis to reuse. */
  #current(tabId: number, quick: boolean): CachedView {
    const log = this.#store.tab(tabId);
    const records = log?.records ?? [];
    const firstSeq = log?.firstSeq ?? 0;
    const cached = this.#cache.get(tabId);
    const evidenceVersion = this.#evidence?.version(tabId, log) ?? 0;
    if (cached && cached.log === log && cached.evidenceVersion === evidenceVersion && isLogViewCurrent(cached.view, firstSeq, firstSeq + records.length, quick)) {
      this.#touch(tabId, cached);
      return cached;
    }
    const same = cached?.log === log ? cached : undefined;
    const next: CachedView = {
      logId: same?.logId ?? `${this.#instance}:${this.#nextLogId++}`,
      log,
      view: logViewOf(records, firstSeq, ++this.#revision, quick, same?.view, log?.rows, this.#evidence?.of(tabId, log), this.#documentPolicies?.(tabId)),
      evidenceVersion,
    };
    this.#touch(tabId, next);
    if (next.view.report !== null && log) this.#saveSummary(tabId, next, log);
    return next;
  }

  /**
   * Stores the view's diagnosis with its version and the rows it re-judged (those whose verdict differs
   * from the row stored when the record was judged), so a view opened later starts from this version.
   */
  #saveSummary(tabId: number, cached: CachedView, log: TabLog): void {
    const { view } = cached;
    const rejudged = view.rows.filter((row, index) => row.verdictKey !== log.rows[index]?.verdictKey);
    const version = { logId: cached.logId, revision: this.#revision };
    const stored = { firstSeq: view.firstSeq, endSeq: view.endSeq, ...version, rejudged: packRows(rejudged) };
    const firstScreen = firstScreenOf(view.rows, stored, version, view.summary?.findings ?? []);
    this.#store.saveSummary(tabId, stored, view.summaryJson, firstScreen).catch(() => undefined); // a view without it asks the worker, as before
  }

  /** Keeps the tab's view as the most recently used; forgets the least recently used beyond MAX_KEPT_VIEWS. */
  #touch(tabId: number, view: CachedView): void {
    this.#cache.delete(tabId);
    this.#cache.set(tabId, view);
    while (this.#cache.size > MAX_KEPT_VIEWS) this.#cache.delete(this.#cache.keys().next().value!);
  }
}
