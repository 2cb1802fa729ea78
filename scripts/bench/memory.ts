/**
 * Heap held by the background's Recorder + TabLogStore after 100 000 LL-HLS-like requests, fed as
 * webRequest event sequences the way src/background/index.ts does (media records kept, each with
 * its verdict outcome; a flush every 400 ms of the session's own clock). Run in a child process
 * with --expose-gc (scripts/bench.ts does): heapUsed after gc, before and after. Prints one JSON object.
 */
import { Recorder } from '../../src/background/recorder.ts';
import { TabLogStore } from '../../src/background/store.ts';
import { MAX_KEPT_VIEWS, TabViews } from '../../src/background/view.ts';
import { isCandidate } from '../../src/background/candidates.ts';
import { verdictForRecord } from '../../src/engine/analyze.ts';
import type { CorsOutcome } from '../../src/engine/model.ts';
import { SizeOnlySessionArea } from './session-area.ts';
import { TAB_ID, workloadEvents } from './workload.ts';

export interface MemoryResult {
  heldMB: number;
  requests: number;
  recordsKept: number;
  recordsInStore: number;
  evicted: number;
  inFlight: number;
  storageBytes: number;
  storageWrites: number;
  storageRejected: number;
  totals: unknown;
  countsExact: boolean;
  /**
   * The same 100 000 requests spread over three tabs, each with an open view whose analysis the
   * worker keeps (TabViews, at most MAX_KEPT_VIEWS): heap held by Recorder + TabLogStore + TabViews.
   */
  withViews: { heldMB: number; tabs: number; keptViews: number; recordsInStore: number; analysedInLastView: number };
}

const REQUESTS = 100_000;

/** src/platform/storage.ts isQuotaError (that module loads the browser polyfill, which needs an extension). */
function isQuotaError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /quota/i.test(text);
}
const FLUSH_EVERY_MS = 400;

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const VIEW_TABS = 3;

/** The requests over three tabs (by request), each tab's view asked for and analysed as an open view does. */
async function heldWithViews(): Promise<MemoryResult['withViews']> {
  const before = collect();
  const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
  const store = new TabLogStore(new SizeOnlySessionArea(), { isQuotaError });
  const views = new TabViews(store, 'bench');
  const tabs = Array.from({ length: VIEW_TABS }, (_, index) => TAB_ID + index);
  let lastFlush = 0;
  for (const { event, details } of workloadEvents(REQUESTS)) {
    const tabId = tabs[Number(details.requestId.replace(/\D/g, '')) % VIEW_TABS]!;
    const finished = recorder.handle(event, { ...details, tabId });
    if (finished && isCandidate(finished.media)) store.add(finished, verdictForRecord(finished));
    if (details.timeStamp - lastFlush >= FLUSH_EVERY_MS) {
      lastFlush = details.timeStamp;
      await store.flush();
    }
  }
  await store.flush();
  // Each open view: its first answer (rows), then the analysis it asks for after its first paint.
  for (const tabId of tabs) views.answer(tabId, views.answer(tabId));
  const after = collect();
  const recordsInStore = tabs.reduce((sum, tabId) => sum + store.records(tabId).length, 0);
  // Read after the measurement, so the store and the views stay alive through it.
  const analysedInLastView = views.report(tabs.at(-1)!).verdicts.length;
  return { heldMB: (after - before) / (1024 * 1024), tabs: VIEW_TABS, keptViews: Math.min(VIEW_TABS, MAX_KEPT_VIEWS), recordsInStore, analysedInLastView };
}

async function main(): Promise<void> {
  const before = collect();
  const area = new SizeOnlySessionArea();
  const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
  const store = new TabLogStore(area, { isQuotaError });
  const expected: Record<CorsOutcome, number> = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 };
  let kept = 0;
  let lastFlush = 0;
  for (const { event, details } of workloadEvents(REQUESTS)) {
    const finished = recorder.handle(event, details);
    if (finished && isCandidate(finished.media)) {
      const verdict = verdictForRecord(finished);
      store.add(finished, verdict);
      expected[verdict.outcome]++;
      kept++;
    }
    if (details.timeStamp - lastFlush >= FLUSH_EVERY_MS) {
      lastFlush = details.timeStamp;
      await store.flush();
    }
  }
  await store.flush();
  const after = collect();
  const withViews = await heldWithViews();
  const totals = store.totals(TAB_ID);
  const countsExact =
    totals.requests === kept && (Object.keys(expected) as CorsOutcome[]).every((outcome) => totals.byOutcome[outcome] === expected[outcome]);
  const result: MemoryResult = {
    heldMB: (after - before) / (1024 * 1024),
    requests: REQUESTS,
    recordsKept: kept,
    recordsInStore: store.records(TAB_ID).length,
    evicted: store.evictedCount(TAB_ID),
    inFlight: recorder.inFlightCount,
    storageBytes: area.bytes,
    storageWrites: area.writes,
    storageRejected: area.rejected,
    totals,
    countsExact,
    withViews,
  };
  console.log(JSON.stringify(result));
}

await main();
