/**
 * Re-tests the user asks for, made so a hostile page can neither fake nor misdirect them:
 * - planRetest decides what may be fetched: only from the document (or at least the origin) that made
 *   the request, and a signed URL is never changed (a cache-busting parameter breaks its signature);
 * - PendingRetests binds each re-test to its tab, frame, document, origin and exact URL, lets it be
 *   claimed by one observed request only, and forgets it after RETEST_CLAIM_WINDOW_MS.
 * The page never decides anything: a record becomes "the re-test" only by what the webRequest
 * listeners saw, and the comparison is made from that record.
 */
import type { RequestRecord } from '../engine/model.ts';
import { retestUrlOf } from '../engine/retest.ts';
import { urlCarriesSecret } from '../export/secrets.ts';
import type { FetchCredentials, FrameFetchOutcome, FrameTarget } from '../platform/scripting.ts';

/** A re-test's request must start this soon after it was asked for (it starts within milliseconds). */
export const RETEST_CLAIM_WINDOW_MS = 30_000;
/** A claimed re-test still unresolved after this long never finished (its tab or worker went away). */
const RETEST_FORGET_AFTER_MS = 10 * 60_000;
/** Requests that may still be the re-test, per pending re-test (the same signed URL fetched by the player at the same moment). */
const MAX_CANDIDATES = 8;

export interface RetestPlan {
  originalId: string;
  tabId: number;
  frameId: number;
  /** The document that made the request, when the browser reported it: the re-test runs there or not at all. */
  documentId: string | null;
  /** The origin the frame's document must still have when the fetch starts. */
  pageOrigin: string;
  /** What the re-test fetches: the original URL plus a unique parameter, or a signed URL unchanged. */
  url: string;
  /** True for a signed URL: fetched unchanged, bypassing only the browser cache. */
  keptUrl: boolean;
  credentials: FetchCredentials;
}

/** Why a re-test is not even tried. */
export type PlanRefusal = 'not-in-log' | 'is-retest' | 'no-page-origin' | 'bad-url';

/** A page origin a fetch can be made from and checked against: http(s), not opaque, in its serialised form. */
function usablePageOrigin(pageOrigin: string | null): string | null {
  if (pageOrigin === null) return null;
  try {
    const parsed = new URL(pageOrigin);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.origin === pageOrigin ? pageOrigin : null;
  } catch {
    return null; // 'null' (an opaque origin) lands here too
  }
}

/**
 * What a re-test of this record would fetch, from where; or why it is refused. `documentId` is the
 * document that sent the original request, when the listeners saw it (see RecordDocuments).
 */
export function planRetest(original: RequestRecord | undefined, documentId: string | null, nonce: string): RetestPlan | { refused: PlanRefusal } {
  if (original === undefined) return { refused: 'not-in-log' };
  if (original.retest === true) return { refused: 'is-retest' };
  const pageOrigin = usablePageOrigin(original.pageOrigin);
  if (pageOrigin === null) return { refused: 'no-page-origin' };
  let protocol: string;
  try {
    protocol = new URL(original.url).protocol;
  } catch {
    return { refused: 'bad-url' };
  }
  if (protocol !== 'https:' && protocol !== 'http:') return { refused: 'bad-url' };
  // A signed URL stays as it is: an added parameter breaks its signature (S3 SigV4, CloudFront, GCS…).
  const keptUrl = urlCarriesSecret(original.url);
  const url = keptUrl ? original.url : retestUrlOf(original.url, nonce);
  return {
    originalId: original.id,
    tabId: original.tabId,
    frameId: original.frameId,
    documentId,
    pageOrigin,
    url,
    keptUrl,
    // Same credentials as the player: cookies on the wire mean it sent them.
    credentials: original.requestHeaders?.some(([name]) => name === 'cookie') ? 'include' : 'same-origin',
  };
}

/**
 * Which document sent each recorded request (webRequest `documentId`: Chromium ≥106, Firefox), per tab,
 * so a re-test can be pinned to it. Kept in the worker's memory only, beside the log rather than in the
 * records (a document id means nothing outside this browser session, so it is never exported): after a
 * worker restart earlier requests have none and the re-test falls back to the frame's origin check.
 */
export class RecordDocuments {
  readonly #byTab = new Map<number, Map<string, string>>();

  constructor(private readonly maxPerTab: number) {}

  note(tabId: number, recordId: string, documentId: string | undefined): void {
    if (documentId === undefined || documentId === '') return;
    let documents = this.#byTab.get(tabId);
    if (!documents) this.#byTab.set(tabId, (documents = new Map()));
    documents.set(recordId, documentId);
    // Insertion order is age: past the cap the oldest go, as the log evicts its oldest records.
    if (documents.size > this.maxPerTab) documents.delete(documents.keys().next().value!);
  }

  of(tabId: number, recordId: string): string | null {
    return this.#byTab.get(tabId)?.get(recordId) ?? null;
  }

  forgetTab(tabId: number): void {
    this.#byTab.delete(tabId);
  }
}

/** The first event of a request, as the webRequest listeners saw it. */
export interface ObservedRequest {
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  /** The document that sent it (Chromium ≥106, Firefox), when reported. */
  documentId?: string | undefined;
}

interface Pending {
  plan: RetestPlan;
  claimBefore: number;
  /** Requests that matched while the re-test was pending; the first that finishes as a network fetch is it. */
  candidates: Set<string>;
}

/**
 * The re-tests asked for and not yet seen. Each is bound to its tab, frame, document, origin and exact
 * URL, can be claimed by requests that start within the claim window, and marks one record at most.
 */
export class PendingRetests {
  readonly #pending: Pending[] = [];

  /** Registers a re-test about to be sent (before the fetch starts, so its first event finds it). */
  begin(plan: RetestPlan, now: number): void {
    this.#sweep(now);
    this.#pending.push({ plan, claimBefore: now + RETEST_CLAIM_WINDOW_MS, candidates: new Set() });
  }

  /** Withdraws a re-test that was refused or never sent. */
  cancel(plan: RetestPlan): void {
    const at = this.#pending.findIndex((entry) => entry.plan === plan);
    if (at !== -1) this.#pending.splice(at, 1);
  }

  /** Notes a request that may be a pending re-test: same tab, frame, document and exact URL, in time. */
  observe(request: ObservedRequest, now: number): void {
    this.#sweep(now);
    for (const entry of this.#pending) {
      const { plan } = entry;
      if (now > entry.claimBefore || entry.candidates.size >= MAX_CANDIDATES) continue;
      if (request.tabId !== plan.tabId || request.frameId !== plan.frameId || request.url !== plan.url) continue;
      if (plan.documentId !== null && request.documentId !== undefined && request.documentId !== plan.documentId) continue;
      entry.candidates.add(request.requestId);
      return;
    }
  }

  /**
   * The original's id when this finished record is the re-test, else undefined. The re-test is sent
   * from the page's origin past the browser cache, so a candidate from another origin or answered from
   * the browser cache is another request of the same URL; the first other candidate to finish is the
   * re-test, and the re-test is then used up.
   */
  resolve(record: Pick<RequestRecord, 'id' | 'fromCache' | 'pageOrigin'>): string | undefined {
    const at = this.#pending.findIndex((entry) => entry.candidates.has(record.id));
    if (at === -1) return undefined;
    const entry = this.#pending[at]!;
    entry.candidates.delete(record.id);
    if (record.fromCache || record.pageOrigin !== entry.plan.pageOrigin) return undefined;
    this.#pending.splice(at, 1);
    return entry.plan.originalId;
  }

  /** Forgets a closed tab's re-tests. */
  forgetTab(tabId: number): void {
    for (let at = this.#pending.length - 1; at >= 0; at--) if (this.#pending[at]!.plan.tabId === tabId) this.#pending.splice(at, 1);
  }

  get size(): number {
    return this.#pending.length;
  }

  /** Drops re-tests whose window passed with no request still in flight that could be them. */
  #sweep(now: number): void {
    for (let at = this.#pending.length - 1; at >= 0; at--) {
      const entry = this.#pending[at]!;
      const unclaimed = now > entry.claimBefore && entry.candidates.size === 0;
      if (unclaimed || now > entry.claimBefore + RETEST_FORGET_AFTER_MS) this.#pending.splice(at, 1);
    }
  }
}

/** Why a re-test was not sent. */
export type RetestRefusal = PlanRefusal | 'other-origin' | 'document-gone' | 'failed';

/** The _locales key that tells the user why (`other-origin` names the origin, `failed` the browser's error). */
export const REFUSAL_MESSAGES: Readonly<Record<RetestRefusal, string>> = {
  'not-in-log': 'retestNotInLog',
  'is-retest': 'retestIsRetest',
  'no-page-origin': 'retestNoPageOrigin',
  'bad-url': 'retestBadUrl',
  'other-origin': 'retestOtherOrigin',
  'document-gone': 'retestPageGone',
  failed: 'retestNotRun',
};

export type RetestRun = { sent: true; plan: RetestPlan } | { sent: false; refusal: RetestRefusal; detail: string | null };

/** What a re-test needs of the browser (the live worker passes the real ones, tests fakes). */
export interface RetestDeps {
  now(): number;
  nonce(): string;
  fetchInFrame(frame: FrameTarget, expectedOrigin: string, url: string, credentials: FetchCredentials): Promise<FrameFetchOutcome>;
}

/**
 * Plans a re-test, registers it, and asks the frame to send it. It reports only whether it was sent;
 * the result is the record the webRequest listeners make of it (see PendingRetests.resolve).
 */
export async function runRetest(
  original: RequestRecord | undefined,
  documentId: string | null,
  pending: PendingRetests,
  deps: RetestDeps,
): Promise<RetestRun> {
  const plan = planRetest(original, documentId, deps.nonce());
  if ('refused' in plan) return { sent: false, refusal: plan.refused, detail: null };
  pending.begin(plan, deps.now());
  let outcome: FrameFetchOutcome;
  try {
    outcome = await deps.fetchInFrame({ tabId: plan.tabId, frameId: plan.frameId, documentId: plan.documentId }, plan.pageOrigin, plan.url, plan.credentials);
  } catch (error) {
    outcome = { sent: false, reason: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
  if (outcome.sent) return { sent: true, plan };
  // Surely not sent: withdraw it now. After another failure it may have left; its window closes it.
  if (outcome.reason !== 'failed') pending.cancel(plan);
  return { sent: false, refusal: outcome.reason, detail: outcome.reason === 'other-origin' ? outcome.origin : outcome.reason === 'failed' ? outcome.error : null };
}
