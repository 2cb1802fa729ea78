/**
 * What the page showed of how its undetermined requests ended, read on demand. Firefox completes a
 * CORS-blocked response like an allowed one (docs/capture.md#firefox-blocked), so a request whose
 * outcome depends on its unseen credentials mode stays undetermined from the headers. The page's
 * Resource Timing entry for the request says whether the page could read the response
 * (docs/capture.md#firefox-evidence). It is read only when a view asks for a tab that has such
 * requests, only for their URLs and frames, and each record is settled once: an ordinary page, or a
 * page with no view open, costs nothing. It is read in the page's own world (what the page could
 * read is the point), so a page can falsify it about its own requests: such rows say "inferred".
 */
import type { OutcomeEvidence, RequestRecord } from '../engine/model.ts';
import { resourceTimingEvidence, type ResourceTimingReading } from '../engine/index.ts';
import { entryCanTell } from '../engine/cors/inference.ts';
import type { ResourceEntryReading } from '../platform/scripting.ts';

/** Reads a tab's Resource Timing entries for some URLs in some frames (src/platform/scripting.ts). */
export type ReadResourceEntries = (tabId: number, frameIds: number[], urls: string[]) => Promise<ResourceEntryReading[]>;

/**
 * A record that ended this recently may still be missing its entry (the page adds it when the body
 * is read, after webRequest's onCompleted): it is asked about again at the view's next request.
 */
export const ENTRY_GRACE_MS = 2_000;

/** A tab's log as the evidence needs it: every record, however it ended (the store's TabLog). */
export interface EvidenceLog {
  readonly records: readonly RequestRecord[];
}

interface TabEvidence {
  /** The log the evidence belongs to (a new page load is a new log). */
  log: EvidenceLog;
  evidence: Map<string, OutcomeEvidence>;
  /** Records asked about whose entries were missing and will not come (ended before ENTRY_GRACE_MS). */
  settled: Set<string>;
  version: number;
}

export class PageEvidence {
  readonly #read: ReadResourceEntries;
  readonly #askAgain: ((tabId: number) => void) | undefined;
  readonly #tabs = new Map<number, TabEvidence>();
  readonly #reading = new Map<number, Promise<boolean>>();
  readonly #askTimers = new Map<number, ReturnType<typeof setTimeout>>();

  /**
   * `askAgain(tabId)` is called once, ENTRY_GRACE_MS after a read that left records waiting for their
   * entries, so the open view asks again (and the page is read again) even if no request follows.
   */
  constructor(read: ReadResourceEntries, askAgain?: (tabId: number) => void) {
    this.#read = read;
    this.#askAgain = askAgain;
  }

  /** The evidence found for the tab's current log, by record id. */
  of(tabId: number, log: object | undefined): ReadonlyMap<string, OutcomeEvidence> | undefined {
    const tab = this.#tabs.get(tabId);
    return tab && tab.log === log ? tab.evidence : undefined;
  }

  /** Changes whenever evidence is added for the tab's log (a view's cache key). */
  version(tabId: number, log: object | undefined): number {
    const tab = this.#tabs.get(tabId);
    return tab && tab.log === log ? tab.version : 0;
  }

  /**
   * Reads the page for `undetermined` records (of the tab's `log`) not yet settled, with those of the
   * same URLs whose single network error another load may now corroborate. Resolves true when evidence
   * was added or changed. One read per tab at a time; a second caller waits for it.
   */
  refresh(tabId: number, log: EvidenceLog, undetermined: readonly RequestRecord[], now: number): Promise<boolean> {
    const running = this.#reading.get(tabId);
    if (running) return running;
    let tab = this.#tabs.get(tabId);
    if (!tab || tab.log !== log) this.#tabs.set(tabId, (tab = { log, evidence: new Map(), settled: new Set(), version: 0 }));
    const current = tab;
    const wanted = undetermined.filter((record) => entryCanTell(record) && !current.evidence.has(record.id) && !current.settled.has(record.id));
    if (wanted.length === 0) return Promise.resolve(false);
    // A single network error is decided by another load of the same URL failing too: judged again with it.
    const urls = new Set(wanted.map((record) => record.url));
    const reconsidered = undetermined.filter((record) => urls.has(record.url) && current.evidence.get(record.id)?.ending === 'error-once');
    const reading = this.#readFor(tabId, current, [...wanted, ...reconsidered], now).finally(() => this.#reading.delete(tabId));
    this.#reading.set(tabId, reading);
    return reading;
  }

  async #readFor(tabId: number, tab: TabEvidence, wanted: readonly RequestRecord[], now: number): Promise<boolean> {
    const frameIds = [...new Set(wanted.map((record) => record.frameId))];
    const urls = [...new Set(wanted.map((record) => record.url))];
    const entries = await this.#read(tabId, frameIds, urls);
    const readings: ResourceTimingReading[] = [];
    // -1: the browser reports no responseStatus, so the entry proves nothing either way.
    for (const [url, start, responseStatus, receivedStatus] of entries) {
      if (responseStatus >= 0) readings.push(receivedStatus !== undefined && receivedStatus >= 0 ? { url, start, responseStatus, receivedStatus } : { url, start, responseStatus });
    }
    // Every load of those URLs, cancelled ones too, so each entry is matched to its own load.
    const wantedUrls = new Set(urls);
    const found = resourceTimingEvidence(
      tab.log.records.filter((record) => wantedUrls.has(record.url)),
      readings,
    );
    let waiting = false;
    let changed = false;
    for (const record of wanted) {
      const evidence = found.get(record.id);
      const before = tab.evidence.get(record.id);
      if (evidence) {
        if (before?.ending !== evidence.ending || before.detail !== evidence.detail) changed = true;
        tab.evidence.set(record.id, evidence);
      } else if (before) continue;
      else if (now - (record.timings.end ?? record.timings.start) > ENTRY_GRACE_MS) tab.settled.add(record.id);
      else waiting = true;
    }
    if (waiting) this.#scheduleAskAgain(tabId);
    if (changed) tab.version++;
    return changed;
  }

  #scheduleAskAgain(tabId: number): void {
    const askAgain = this.#askAgain;
    if (!askAgain || this.#askTimers.has(tabId)) return;
    this.#askTimers.set(
      tabId,
      setTimeout(() => {
        this.#askTimers.delete(tabId);
        askAgain(tabId);
      }, ENTRY_GRACE_MS),
    );
  }

  forget(tabId: number): void {
    this.#tabs.delete(tabId);
    clearTimeout(this.#askTimers.get(tabId));
    this.#askTimers.delete(tabId);
  }
}
