import type { CorsVerdict, RequestRecord } from '../engine/model.ts';
import { pageOriginOf, verdictForRecord } from '../engine/index.ts';
import { StreamKeys } from '../engine/streams.ts';
import { MAX_PLAYLIST_FOLDERS, countRecord, emptyTotals, mergeTotals, totalsFromStorage, type TabTotals } from '../view/totals.ts';
import { packRows, rowFactsOf, type RowFacts } from '../view/row-facts.ts';
import { countStartedBeforeHeaderRecording, startedBeforeHeaderRecording } from './header-recording.ts';
import {
  NO_VERSION,
  chunkKey,
  firstScreenKey,
  firstScreenOf,
  isStoredMeta,
  logKeysOf,
  metaKey,
  rowsKey,
  storedChunksOf,
  storedRowsOf,
  storedSummaryText,
  summaryKey,
  tabIdOfMetaKey,
  type StoredFirstScreen,
  type StoredMeta,
  type StoredSummary,
} from '../view/stored-log.ts';


/** The subset of storage.session the store uses (a fake in unit tests, src/platform/storage.ts live). */
export interface KeyValueArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export interface TabLogStoreOptions {
  /** Records per storage key: only the newest chunk is rewritten as a stream appends. */
  chunkSize: number;
  /** Per-tab cap; beyond it the oldest chunk is evicted. */
  maxRecordsPerTab: number;
  /** Tells whether a rejected write was a quota overrun (the write was then dropped whole). */
  isQuotaError: (error: unknown) => boolean;
}

export const DEFAULT_STORE_OPTIONS: Omit<TabLogStoreOptions, 'isQuotaError'> = {
  chunkSize: 50,
  maxRecordsPerTab: 5000,
};

/** What a tab's log holds: the records of the current page load, oldest first. */
export interface TabLog {
  tabId: number;
  pageUrl: string | null;
  records: RequestRecord[];
  /**
   * The list's row of each record (same index), made when the record was judged and stored with it,
   * so a restarted worker or a view reading storage shows the rows without judging the log again.
   */
  rows: RowFacts[];
  /** Absolute sequence number of records[0]: how many records of this page load were evicted. */
  firstSeq: number;
  /** Lowest sequence number not yet written to storage. */
  unsavedFromSeq: number;
  /** Storage keys (chunk numbers) currently holding this tab's records. */
  storedChunks: Set<number>;
  /** True when page URL or eviction changed and the meta key needs rewriting. */
  metaDirty: boolean;
  /** The user asked to keep this tab's log across top-level navigations. */
  preserveLog: boolean;
  totals: TabTotals;
  /**
   * Requests of this page load whose headers were not seen whole: Chromium, started before the header
   * listeners were on (header-recording.ts). Counted as they arrive (the one that switched them on at
   * once, switchedOnBy); after a restart, of the records held.
   */
  headersNotSeen: number;
  /**
   * The requests that switched the header listeners on and are not recorded yet: counted with
   * headersNotSeen, as one whose events all came before the listeners is never recorded.
   */
  switchedOnBy: Set<string>;
  /** Stream keys of this page load, as records arrive (its playlist folders are stored with the meta). */
  streamKeys: StreamKeys;
  /** The records (`firstSeq:endSeq`) of the first screen last stored (firstScreenKey): rewritten only when they change. */
  firstScreenStored: string | null;
}

const rangeOf = (range: { firstSeq: number; endSeq: number }): string => `${range.firstSeq}:${range.endSeq}`;

const MAX_QUOTA_RETRIES = 8;

/** Requests kept per tab as having switched the header listeners on before they are recorded. */
const MAX_SWITCHED_ON_BY = 64;

/**
 * Per-tab request logs, kept in memory and mirrored to storage.session in chunks so they survive a
 * service-worker restart. Writes are batched by the caller (flush) and capped. A write over quota is
 * rejected whole by the browser, so nothing already stored is lost: the store evicts the oldest
 * chunk of the largest log and tries again. After a restart, operations on a tab come after
 * ready(tabId) has resolved (src/background/index.ts waits for it): before, the tab's stored log is
 * not in memory, and removing or restarting it would leave its stored chunks behind.
 */
export class TabLogStore {
  readonly #area: KeyValueArea;
  readonly #options: TabLogStoreOptions;
  readonly #tabs = new Map<number, TabLog>();
  /** Per tab: its stored log being read, or read, since this worker started (ready). */
  readonly #restoring = new Map<number, Promise<void>>();
  /** Tabs closed whose read-back entry waits for their keys' removal (closed). */
  readonly #closedTabs = new Set<number>();
  /** restore()'s read of every stored log, once done or under way. */
  #everything: Promise<void> | undefined;
  readonly #keysToRemove = new Set<string>();
  #lastWriteError: string | null = null;

  constructor(area: KeyValueArea, options: Partial<TabLogStoreOptions> & Pick<TabLogStoreOptions, 'isQuotaError'>) {
    this.#area = area;
    this.#options = { ...DEFAULT_STORE_OPTIONS, ...options };
  }

  get lastWriteError(): string | null {
    return this.#lastWriteError;
  }

  tab(tabId: number): TabLog | undefined {
    return this.#tabs.get(tabId);
  }

  records(tabId: number): readonly RequestRecord[] {
    return this.#tabs.get(tabId)?.records ?? [];
  }

  totals(tabId: number): TabTotals {
    return this.#tabs.get(tabId)?.totals ?? emptyTotals();
  }

  /** TabLog.headersNotSeen of the tab (0 for a tab without a log). */
  headersNotSeen(tabId: number): number {
    return this.#tabs.get(tabId)?.headersNotSeen ?? 0;
  }

  /** A request of the tab switched the header listeners on: it started before them (counted once, recorded or not). */
  switchedOnBy(tabId: number, requestId: string): void {
    const log = this.#logFor(tabId);
    // Bounded: one per switch-on, and a tab's log starts again at each navigation.
    if (log.switchedOnBy.has(requestId) || log.switchedOnBy.size >= MAX_SWITCHED_ON_BY) return;
    log.switchedOnBy.add(requestId);
    log.headersNotSeen++;
  }

  /** How many records of the current page load were evicted to respect the cap. */
  evictedCount(tabId: number): number {
    return this.#tabs.get(tabId)?.firstSeq ?? 0;
  }

  /** Appends a finished record with the verdict it got (counted in the exact totals, per stream and per cause; its row made). */
  add(record: RequestRecord, verdict: CorsVerdict): void {
    const log = this.#logFor(record.tabId);
    log.rows.push(rowFactsOf(record, verdict, log.firstSeq + log.records.length));
    log.records.push(record);
    countRecord(log.totals, log.streamKeys, record, verdict);
    if (startedBeforeHeaderRecording(record) && !log.switchedOnBy.delete(record.id)) log.headersNotSeen++;
    log.metaDirty = true;
    if (log.records.length > this.#options.maxRecordsPerTab) this.#evictOldestChunk(log);
  }

  /**
   * The tab navigated to a new top-level page: a new log starts, unless the user preserves the log,
   * in which case only the page URL changes. Returns true when the log was cleared.
   */
  navigated(tabId: number, pageUrl: string | null): boolean {
    const current = this.#tabs.get(tabId);
    if (current?.preserveLog) {
      current.pageUrl = pageUrl;
      current.metaDirty = true;
      return false;
    }
    this.startPage(tabId, pageUrl);
    return true;
  }

  /** Starts a new, empty log for the tab (the old one is dropped; the preserve setting is kept). */
  startPage(tabId: number, pageUrl: string | null): void {
    const preserveLog = this.#tabs.get(tabId)?.preserveLog ?? false;
    this.remove(tabId);
    const log = this.#logFor(tabId);
    log.pageUrl = pageUrl;
    log.preserveLog = preserveLog;
    log.metaDirty = true;
  }

  setPreserveLog(tabId: number, preserve: boolean): void {
    const log = this.#logFor(tabId);
    log.preserveLog = preserve;
    log.metaDirty = true;
  }

  /** Forgets a tab (closed, or cleared by the user). */
  remove(tabId: number): void {
    const log = this.#tabs.get(tabId);
    if (!log) return;
    // Every chunk the log covers, not only those known stored: a write under way may be storing one
    // that no meta will name once the log is gone (a key that does not exist is removed harmlessly).
    const chunks = new Set(log.storedChunks);
    const { chunkSize } = this.#options;
    const endSeq = log.firstSeq + log.records.length;
    for (let chunk = Math.floor(log.firstSeq / chunkSize); chunk * chunkSize < endSeq; chunk++) chunks.add(chunk);
    for (const key of logKeysOf(tabId, chunks)) this.#keysToRemove.add(key);
    this.#tabs.delete(tabId);
  }

  /**
   * The tab is gone for good (closed, after remove()): once no key of it waits for removal, its
   * read-back entry (ready) goes too, so a long-lived worker does not keep one per tab ever seen.
   */
  closed(tabId: number): void {
    this.#closedTabs.add(tabId);
    this.#forgetClosedTabs();
  }

  #forgetClosedTabs(): void {
    for (const tabId of this.#closedTabs) {
      if (this.#tabs.has(tabId) || this.#keysToRemove.has(metaKey(tabId))) continue;
      this.#restoring.delete(tabId);
      this.#closedTabs.delete(tabId);
    }
  }

  /** Removes the keys queued for removal (before any write: a key written again after it is kept). */
  async #removeQueued(): Promise<void> {
    if (this.#keysToRemove.size === 0) return;
    const keys = [...this.#keysToRemove];
    this.#keysToRemove.clear();
    await this.#area.remove(keys);
    this.#forgetClosedTabs();
  }

  /**
   * Stores the worker's diagnosis of the tab's records (`stored`: their range, the view's version and
   * the rows it re-judged; `summaryJson`, the view's JSON of it) and the first screen of its list
   * (`firstScreen`, of the same version), so that a view opened later, even on a stopped worker, draws
   * the cards at once and asks only for what changed since. Written at once,
   * outside the batched flush: the log may not change again. Nothing is written when the log no longer
   * holds exactly those records; a view shows a stored summary only when the meta names the same
   * records (currentStoredSummary).
   */
  async saveSummary(tabId: number, stored: Omit<StoredSummary, 'summary'>, summaryJson: string, firstScreen: StoredFirstScreen): Promise<void> {
    const log = this.#tabs.get(tabId);
    if (!log || log.firstSeq !== stored.firstSeq || log.firstSeq + log.records.length !== stored.endSeq) return;
    // The flush leaves this first screen as it is while the records stay the same.
    log.firstScreenStored = rangeOf(stored);
    await this.#area.set({ [summaryKey(tabId)]: storedSummaryText(stored, summaryJson), [firstScreenKey(tabId)]: JSON.stringify(firstScreen) });
  }

  /** Writes everything not yet stored in one storage call; on a quota overrun evicts and retries. */
  async flush(): Promise<void> {
    await this.#removeQueued();
    for (let attempt = 0; attempt <= MAX_QUOTA_RETRIES; attempt++) {
      const pending = this.#pendingWrite();
      if (Object.keys(pending.items).length === 0) return;
      try {
        await this.#area.set(pending.items);
        this.#lastWriteError = null;
        for (const commit of pending.commits) commit();
        return;
      } catch (error) {
        this.#lastWriteError = error instanceof Error ? error.message : String(error);
        // Logs not read since a restart take quota too: all are read before the largest is evicted from.
        if (!this.#options.isQuotaError(error)) throw error;
        await this.restore();
        if (!this.#evictForQuota()) throw error;
        await this.#removeQueued();
      }
    }
  }

  /**
   * Resolves once the tab's stored log, if any, is in memory (or, for a tab closing() was told of first,
   * its keys are queued for removal): read from storage the first time it is
   * asked for after a service-worker restart (its meta, then its chunks), once. Only that tab's keys are
   * read, so a worker woken for one tab (or for nothing: Chromium starts it whenever one of the
   * extension's pages loads) never reads every tab's log. Records added meanwhile are kept after the
   * restored ones.
   */
  ready(tabId: number): Promise<void> {
    let restoring = this.#restoring.get(tabId);
    if (!restoring) {
      // Never rejects: a log that cannot be read is said once, and the tab goes on with what arrives.
      restoring = this.#restoreTab(tabId).catch((error: unknown) => console.error(`CORS Lens: could not read back the request log of tab ${tabId}`, error));
      this.#restoring.set(tabId, restoring);
    }
    return restoring;
  }

  /**
   * The tab closed: when its log has not been read back since a restart, ready() reads its meta alone,
   * for the keys that remove() then deletes, not its chunks (up to 5 000 records read only to be dropped).
   * Call it before the tab's remove() is queued behind ready().
   */
  closing(tabId: number): void {
    if (this.#restoring.has(tabId)) return;
    this.#restoring.set(
      tabId,
      this.#forgetStored(tabId).catch((error: unknown) => console.error(`CORS Lens: could not read the stored log of closed tab ${tabId}`, error)),
    );
  }

  async #forgetStored(tabId: number): Promise<void> {
    const meta = (await this.#area.get(metaKey(tabId)))[metaKey(tabId)];
    if (!isStoredMeta(meta)) return;
    for (const key of logKeysOf(tabId, storedChunksOf(meta))) this.#keysToRemove.add(key);
  }

  /**
   * Every tab's stored log in memory (one read of everything, once): what the quota's eviction needs,
   * as it takes from the largest log. Tabs already read, or being read, are left as they are.
   */
  restore(): Promise<void> {
    // Every log stored since is this store's own, in memory: one read of everything is enough (shared by
    // flushes that overlap); a failed read is tried again by the next caller.
    this.#everything ??= this.#readEverything().catch((error: unknown) => {
      this.#everything = undefined;
      throw error;
    });
    return this.#everything;
  }

  async #readEverything(): Promise<void> {
    const everything = await this.#area.get(null);
    for (const [key, meta] of Object.entries(everything)) {
      const tabId = tabIdOfMetaKey(key);
      if (tabId === null || !isStoredMeta(meta) || this.#restoring.has(tabId)) continue;
      this.#restoring.set(tabId, Promise.resolve());
      this.#takeStored(tabId, meta, everything);
    }
    // Tabs whose own read was under way are in memory too once it ends (a closing tab's keys are queued).
    await Promise.all(this.#restoring.values());
  }

  async #restoreTab(tabId: number): Promise<void> {
    const meta = (await this.#area.get(metaKey(tabId)))[metaKey(tabId)];
    if (!isStoredMeta(meta)) return;
    const chunks = storedChunksOf(meta);
    let items: Record<string, unknown> = {};
    try {
      if (chunks.length > 0) items = await this.#area.get(chunks.flatMap((chunk) => [chunkKey(tabId, chunk), rowsKey(tabId, chunk)]));
    } catch (error) {
      // The tab's next write names only its new chunks: the unreadable ones would stay behind, unnamed.
      for (const chunk of chunks) this.#removeChunk(tabId, chunk);
      throw error;
    }
    this.#takeStored(tabId, meta, items);
  }

  /** The tab's log from its stored meta and chunks (`items`), with the records added since the restart after them. */
  #takeStored(tabId: number, meta: StoredMeta, items: Record<string, unknown>): void {
    const restored: RequestRecord[] = [];
    const rows: RowFacts[] = [];
    const chunks = storedChunksOf(meta);
    for (const chunk of chunks) {
      const chunkRecords = recordsOfChunk(items[chunkKey(tabId, chunk)]);
      const chunkRows = storedRowsOf(items[rowsKey(tabId, chunk)]);
      const seq = meta.firstSeq + restored.length;
      restored.push(...chunkRecords);
      // Rows stored with the records are taken as they are; a chunk without them (an older version) is judged again.
      if (chunkRows !== null && chunkRows.length === chunkRecords.length) rows.push(...chunkRows);
      else chunkRecords.forEach((record, index) => rows.push(rowFactsOf(record, verdictForRecord(record), seq + index)));
    }
    const meanwhile = this.#tabs.get(tabId);
    const playlistFolders = Array.isArray(meta.playlistFolders) ? meta.playlistFolders.filter((folder) => typeof folder === 'string') : [];
    const log: TabLog = {
      tabId,
      pageUrl: meta.pageUrl,
      records: restored,
      rows,
      firstSeq: meta.firstSeq,
      unsavedFromSeq: meta.firstSeq + restored.length,
      storedChunks: new Set(chunks),
      metaDirty: false,
      preserveLog: meta.preserveLog === true,
      totals: totalsFromStorage(meta.totals, restored),
      headersNotSeen: countStartedBeforeHeaderRecording(restored),
      switchedOnBy: new Set(),
      streamKeys: new StreamKeys(playlistFolders, MAX_PLAYLIST_FOLDERS),
      // Whatever first screen is stored names its own records; a view checks them against the meta.
      firstScreenStored: null,
    };
    if (!Array.isArray(meta.playlistFolders)) for (const record of restored) log.streamKeys.placeOf(record);
    this.#tabs.set(tabId, log);
    if (meanwhile) {
      // Records that arrived before the restore finished go after the restored ones, counted once.
      // (They were keyed without the restored playlist folders: a few milliseconds' worth at most.)
      const endSeq = log.firstSeq + log.records.length;
      log.records.push(...meanwhile.records);
      meanwhile.rows.forEach((row, index) => log.rows.push({ ...row, seq: endSeq + index }));
      mergeTotals(log.totals, meanwhile.totals);
      log.headersNotSeen += meanwhile.headersNotSeen;
      for (const requestId of meanwhile.switchedOnBy) log.switchedOnBy.add(requestId);
      for (const folder of meanwhile.streamKeys.playlistFolders) log.streamKeys.notePlaylistFolder(folder);
      log.metaDirty = true;
      while (log.records.length > this.#options.maxRecordsPerTab) this.#evictOldestChunk(log);
    }
  }

  #logFor(tabId: number): TabLog {
    let log = this.#tabs.get(tabId);
    if (!log) {
      log = {
        tabId,
        pageUrl: null,
        records: [],
        rows: [],
        firstSeq: 0,
        unsavedFromSeq: 0,
        storedChunks: new Set(),
        metaDirty: true,
        preserveLog: false,
        totals: emptyTotals(),
        headersNotSeen: 0,
        switchedOnBy: new Set(),
        streamKeys: new StreamKeys([], MAX_PLAYLIST_FOLDERS),
        firstScreenStored: null,
      };
      this.#tabs.set(tabId, log);
    }
    return log;
  }

  /** Drops the oldest chunk (records sharing the first record's chunk number). */
  #evictOldestChunk(log: TabLog): number {
    const { chunkSize } = this.#options;
    const firstChunk = Math.floor(log.firstSeq / chunkSize);
    const dropCount = Math.min(log.records.length, (firstChunk + 1) * chunkSize - log.firstSeq);
    log.records.splice(0, dropCount);
    log.rows.splice(0, dropCount);
    log.firstSeq += dropCount;
    log.unsavedFromSeq = Math.max(log.unsavedFromSeq, log.firstSeq);
    if (log.storedChunks.delete(firstChunk)) this.#removeChunk(log.tabId, firstChunk);
    log.metaDirty = true;
    return dropCount;
  }

  #removeChunk(tabId: number, chunk: number): void {
    this.#keysToRemove.add(chunkKey(tabId, chunk));
    this.#keysToRemove.add(rowsKey(tabId, chunk));
  }

  /** On a quota overrun: evict from the largest log. False when there is nothing left to evict. */
  #evictForQuota(): boolean {
    let largest: TabLog | undefined;
    for (const log of this.#tabs.values()) if (!largest || log.records.length > largest.records.length) largest = log;
    if (!largest || largest.records.length === 0) return false;
    const target = Math.ceil(largest.records.length / 4);
    let evicted = 0;
    while (evicted < target && largest.records.length > 0) evicted += this.#evictOldestChunk(largest);
    return true;
  }

  #pendingWrite(): { items: Record<string, unknown>; commits: Array<() => void> } {
    const items: Record<string, unknown> = {};
    const commits: Array<() => void> = [];
    const { chunkSize } = this.#options;
    for (const log of this.#tabs.values()) {
      const endSeq = log.firstSeq + log.records.length;
      const fromSeq = Math.max(log.unsavedFromSeq, log.firstSeq);
      if (fromSeq >= endSeq && !log.metaDirty) continue;
      const chunksTouched: number[] = [];
      if (fromSeq < endSeq) {
        const firstDirtyChunk = Math.floor(fromSeq / chunkSize);
        const lastChunk = Math.floor((endSeq - 1) / chunkSize);
        for (let chunk = firstDirtyChunk; chunk <= lastChunk; chunk++) {
          const startSeq = Math.max(chunk * chunkSize, log.firstSeq);
          const stopSeq = Math.min((chunk + 1) * chunkSize, endSeq);
          items[chunkKey(log.tabId, chunk)] = JSON.stringify(log.records.slice(startSeq - log.firstSeq, stopSeq - log.firstSeq));
          items[rowsKey(log.tabId, chunk)] = JSON.stringify(packRows(log.rows.slice(startSeq - log.firstSeq, stopSeq - log.firstSeq)));
          chunksTouched.push(chunk);
        }
      }
      const chunks = new Set([...log.storedChunks, ...chunksTouched]);
      const meta: StoredMeta = {
        pageUrl: log.pageUrl,
        pageOrigin: pageOriginOf(log.records),
        preserveLog: log.preserveLog,
        totals: log.totals,
        playlistFolders: log.streamKeys.playlistFolders,
        firstSeq: log.firstSeq,
        endSeq,
        chunks: [...chunks],
      };
      items[metaKey(log.tabId)] = meta;
      // The first screen a view draws before reading any chunk: remade when the records changed.
      const range = rangeOf({ firstSeq: log.firstSeq, endSeq });
      const firstScreenChanged = log.firstScreenStored !== range;
      if (firstScreenChanged) items[firstScreenKey(log.tabId)] = JSON.stringify(firstScreenOf(log.rows, { firstSeq: log.firstSeq, endSeq }, NO_VERSION, []));
      commits.push(() => {
        // What storage holds of the tab is now this log: never read back into it (ready, restore).
        if (!this.#restoring.has(log.tabId)) this.#restoring.set(log.tabId, Promise.resolve());
        if (firstScreenChanged) log.firstScreenStored = range;
        for (const chunk of chunksTouched) log.storedChunks.add(chunk);
        log.unsavedFromSeq = Math.max(log.unsavedFromSeq, endSeq);
        log.metaDirty = false;
      });
    }
    return { items, commits };
  }
}

/**
 * A stored chunk's records. Chunks are stored as JSON text: the browser converts one string to and
 * from its storage format far faster than thousands of nested objects (a restarted worker restores
 * the log before it can answer a view). Chunks stored as arrays by earlier versions are read as they are.
 */
function recordsOfChunk(value: unknown): RequestRecord[] {
  if (Array.isArray(value)) return value as RequestRecord[];
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as RequestRecord[]) : [];
  } catch {
    return [];
  }
}
