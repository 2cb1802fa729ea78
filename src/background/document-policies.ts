import type { DocumentPolicy } from '../engine/model.ts';
import { headerValues, normaliseHeaders } from '../engine/headers.ts';
import type { WebRequestDetails } from './recorder.ts';
import type { KeyValueArea } from './store.ts';

/**
 * The Cross-Origin-Embedder-Policy each document of each tab was served with, read from the document's
 * own response (webRequest onHeadersReceived for main_frame and sub_frame, DOCUMENT_LISTENER in
 * candidates.ts): what lets coep-blocks-media say "certain" rather than infer the policy from the
 * media's error (docs/capture.md#document-policies). Kept in storage.session next to the tab logs, so
 * a restarted worker still has them; bounded (tabs, frames per tab, value length) so a page with many
 * frames cannot fill the quota the logs share.
 */

/** storage.session key: every tab's policies in one value (a few small entries per tab). */
export const DOCUMENT_POLICIES_KEY = 'documentPolicies';
/** Tabs kept, the most recently navigated last; an older tab's documents are dropped first. */
export const MAX_POLICY_TABS = 100;
/** Frames kept per tab: the top-level document and the latest frames. */
export const MAX_POLICY_FRAMES = 16;
/** A COEP value is a token and a few parameters; anything longer is cut (the token comes first). */
export const MAX_POLICY_LENGTH = 256;

type Frames = Map<number, DocumentPolicy>;

export class DocumentPolicies {
  /** Per tab, per frame: the last document the frame received. Map order is recency, oldest first. */
  readonly #byTab = new Map<number, Frames>();
  readonly #area: KeyValueArea | undefined;
  /** Tabs changed before the restore finished: their state is newer than what storage holds. */
  readonly #changedBeforeRestore = new Set<number>();
  /** Of those, tabs that navigated or closed: nothing stored of them still holds. */
  readonly #resetBeforeRestore = new Set<number>();
  #restored = false;
  /** Writes run one after another, so an older state never lands after a newer one. */
  #writes: Promise<void> = Promise.resolve();
  /** A write is queued and has not read the state yet: a change meanwhile is carried by it. */
  #savePending = false;

  /** Without an area (tests, imports) the policies live in memory only. */
  constructor(area?: KeyValueArea) {
    this.#area = area;
    if (area === undefined) this.#restored = true;
  }

  /** A document response arrived in `frameId` of `tabId` (a main frame's clears the frames of the page before). */
  seen(tabId: number, frameId: number, url: string, responseHeaders: WebRequestDetails['responseHeaders'], mainFrame: boolean): void {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return;
    }
    let frames = this.#byTab.get(tabId);
    if (!frames || mainFrame) frames = new Map();
    if (mainFrame && !this.#restored) this.#resetBeforeRestore.add(tabId);
    // Most recent last: re-inserting moves the tab to the end.
    this.#byTab.delete(tabId);
    this.#byTab.set(tabId, frames);
    // Several header lines combine as one list, as the browser reads them.
    const values = headerValues(normaliseHeaders(responseHeaders), 'cross-origin-embedder-policy');
    frames.delete(frameId);
    frames.set(frameId, { frameId, origin, embedderPolicy: values.length === 0 ? null : values.join(', ').slice(0, MAX_POLICY_LENGTH) });
    boundFrames(frames);
    while (this.#byTab.size > MAX_POLICY_TABS) this.#byTab.delete(this.#byTab.keys().next().value!);
    this.#changed(tabId);
  }

  of(tabId: number): readonly DocumentPolicy[] {
    const frames = this.#byTab.get(tabId);
    return frames ? [...frames.values()] : [];
  }

  forgetTab(tabId: number): void {
    if (!this.#restored) this.#resetBeforeRestore.add(tabId);
    if (this.#byTab.delete(tabId) || !this.#restored) this.#changed(tabId);
  }

  /**
   * Reads what an earlier worker kept. Tabs this worker already saw a document of keep this worker's
   * state (it is newer); a malformed stored value is ignored.
   */
  async restore(): Promise<void> {
    if (this.#area === undefined || this.#restored) return;
    try {
      const stored = (await this.#area.get(DOCUMENT_POLICIES_KEY))[DOCUMENT_POLICIES_KEY];
      const restored = new Map<number, Frames>();
      for (const [tabId, frames] of storedTabs(stored)) if (!this.#resetBeforeRestore.has(tabId)) restored.set(tabId, frames);
      // Restored tabs are older than any seen since the start: they go first, and a frame seen since wins.
      for (const [tabId, frames] of this.#byTab) {
        const merged = restored.get(tabId) ?? new Map<number, DocumentPolicy>();
        restored.delete(tabId);
        for (const [frameId, policy] of frames) {
          merged.delete(frameId);
          merged.set(frameId, policy);
        }
        boundFrames(merged);
        restored.set(tabId, merged);
      }
      this.#byTab.clear();
      for (const [tabId, frames] of restored) this.#byTab.set(tabId, frames);
      while (this.#byTab.size > MAX_POLICY_TABS) this.#byTab.delete(this.#byTab.keys().next().value!);
    } finally {
      this.#restored = true;
      if (this.#changedBeforeRestore.size > 0) this.#save();
      this.#changedBeforeRestore.clear();
      this.#resetBeforeRestore.clear();
    }
  }

  /** Resolves once every write asked for so far has been made (or failed). */
  settled(): Promise<void> {
    return this.#writes;
  }

  #changed(tabId: number): void {
    if (this.#area === undefined) return;
    // Before the restore, writing would drop the tabs the restore has not read yet.
    if (!this.#restored) this.#changedBeforeRestore.add(tabId);
    else this.#save();
  }

  #save(): void {
    const area = this.#area;
    // A page with many frames sees many documents at once: one write, made from the state at its turn, carries them all.
    if (area === undefined || this.#savePending) return;
    this.#savePending = true;
    this.#writes = this.#writes
      .then(() => {
        this.#savePending = false;
        const value: Record<string, DocumentPolicy[]> = {};
        for (const [tabId, frames] of this.#byTab) value[String(tabId)] = [...frames.values()];
        return area.set({ [DOCUMENT_POLICIES_KEY]: value });
      })
      // A failed write (over quota) loses only the certainty after a restart: the rule says "likely" then.
      .catch((error: unknown) => console.warn('CORS Lens: could not keep the documents\' policies', error));
  }
}

/** Keeps the top-level document and the latest frames. */
function boundFrames(frames: Frames): void {
  for (const frameId of frames.keys()) {
    if (frames.size <= MAX_POLICY_FRAMES) return;
    if (frameId !== 0) frames.delete(frameId);
  }
}

/** The tabs of a stored value, each entry checked (storage is the extension's own, but an older build may have written it). */
function storedTabs(stored: unknown): Array<[number, Frames]> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return [];
  const tabs: Array<[number, Frames]> = [];
  for (const [key, entries] of Object.entries(stored as Record<string, unknown>)) {
    const tabId = Number(key);
    if (!Number.isInteger(tabId) || tabId < 0 || !Array.isArray(entries)) continue;
    const frames: Frames = new Map();
    for (const entry of entries as unknown[]) {
      const policy = storedPolicy(entry);
      if (policy !== null) frames.set(policy.frameId, policy);
    }
    boundFrames(frames);
    if (frames.size > 0) tabs.push([tabId, frames]);
  }
  return tabs;
}

function storedPolicy(entry: unknown): DocumentPolicy | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { frameId, origin, embedderPolicy } = entry as Record<string, unknown>;
  if (typeof frameId !== 'number' || !Number.isInteger(frameId) || frameId < 0 || typeof origin !== 'string') return null;
  if (embedderPolicy !== null && typeof embedderPolicy !== 'string') return null;
  return { frameId, origin, embedderPolicy: embedderPolicy === null ? null : embedderPolicy.slice(0, MAX_POLICY_LENGTH) };
}
