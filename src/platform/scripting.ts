import { browser } from './browser.ts';
import { withReceivedStatus, type ResourceEntry, type ResourceEntryReading } from '../engine/cors/inference.ts';

export type FetchCredentials = 'omit' | 'same-origin' | 'include';

/** Where a re-test runs: a frame of a tab, pinned to one document when its id is known. */
export interface FrameTarget {
  tabId: number;
  frameId: number;
  documentId: string | null;
}

/** What became of a fetch asked of a frame. Only whether it was sent: its answer is read from webRequest. */
export type FrameFetchOutcome =
  | { sent: true }
  | { sent: false; reason: 'other-origin'; origin: string }
  | { sent: false; reason: 'document-gone' }
  | { sent: false; reason: 'failed'; error: string };

/** What the injected function reports back. */
export type InFrameResult = { started: true } | { started: false; origin: string };

/**
 * Runs inside the frame, in the extension's isolated world (the page's overrides of `fetch` and its
 * globals are not visible there, and the page never sees the arguments). executeScript serialises it,
 * so it uses nothing but its arguments and the document's own globals. The origin check and the start
 * of the fetch happen in one task: the document that passed the check is the one that sends it.
 */
export function fetchIfOriginIs(expectedOrigin: string, url: string, credentials: FetchCredentials): Promise<InFrameResult> {
  // self.origin is the document's real origin ('null' in a sandboxed frame, where location.origin is not).
  const origin = self.origin;
  if (origin !== expectedOrigin) return Promise.resolve({ started: false, origin });
  // no-store: past the browser cache, and the fresh copy does not replace the player's cached one.
  const started: InFrameResult = { started: true };
  return fetch(url, { mode: 'cors', credentials, cache: 'no-store' }).then(
    () => started,
    () => started, // a CORS rejection is an answer too: the listeners recorded it
  );
}

function mentions(error: unknown, id: string): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return text.includes(id);
}

/**
 * Fetches a URL from inside a frame of a tab, so the browser sends the frame's own Origin exactly as
 * the player did, but only while the frame still shows a document of `expectedOrigin`; pinned to the
 * document that made the original request where the browser reports document ids (Chromium, Firefox).
 * Used only for a re-test the user asked for.
 */
export async function fetchInFrame(frame: FrameTarget, expectedOrigin: string, url: string, credentials: FetchCredentials): Promise<FrameFetchOutcome> {
  const byFrame = { tabId: frame.tabId, frameIds: [frame.frameId] };
  const run = (target: { tabId: number; frameIds?: number[]; documentIds?: string[] }) =>
    browser.scripting.executeScript({ target, world: 'ISOLATED', args: [expectedOrigin, url, credentials], func: fetchIfOriginIs });
  let injection: { result?: unknown; error?: unknown } | undefined;
  try {
    if (frame.documentId === null) [injection] = await run(byFrame);
    else {
      try {
        [injection] = await run({ tabId: frame.tabId, documentIds: [frame.documentId] });
      } catch (error) {
        // A browser that reports document ids but cannot target them (a schema error naming the
        // property, not the id): the frame and the in-frame origin check still bind the re-test.
        if (mentions(error, frame.documentId) || !mentions(error, 'documentIds')) throw error;
        [injection] = await run(byFrame);
      }
    }
  } catch (error) {
    // Chromium: "No document with id …" / "No frame with id …"; Firefox: "Invalid documentId: …".
    if (frame.documentId !== null && mentions(error, frame.documentId)) return { sent: false, reason: 'document-gone' };
    if (/no frame with id/i.test(String(error))) return { sent: false, reason: 'document-gone' };
    return { sent: false, reason: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
  const result = injection?.result as InFrameResult | undefined;
  if (result === undefined) return { sent: false, reason: 'failed', error: String(injection?.error ?? 'no result') };
  return result.started ? { sent: true } : { sent: false, reason: 'other-origin', origin: result.origin };
}

export type { ResourceEntry, ResourceEntryReading };

/**
 * Runs inside the frame, serialised by executeScript: it uses only its argument and the document's
 * globals. Reads the document's Resource Timing entries for the URLs asked about, nothing else. Run
 * in the page's own (main) world, and in Firefox in the extension's isolated world too: in the main
 * world it shows what the page was allowed to read (Firefox gives the page 0 for a load CORS
 * blocked); in the isolated world Firefox shows the status the browser received (200 for that load,
 * 0 when the page ended the load before its response reached it), docs/capture.md#firefox-evidence.
 * The page could falsify what the main world returns about its own requests; readResourceEntries
 * keeps only well-formed entries.
 */
export function resourceEntriesFor(urls: string[]): ResourceEntry[] {
  const wanted = new Set(urls);
  const origin = performance.timeOrigin;
  const found: ResourceEntry[] = [];
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (!wanted.has(entry.name)) continue;
    found.push([entry.name, origin + entry.startTime, typeof entry.responseStatus === 'number' ? entry.responseStatus : -1]);
  }
  return found;
}

/** The entries of an injection's result that have the shape asked for (the page may have changed what ran). */
function wellFormedEntries(result: unknown, urls: readonly string[]): ResourceEntry[] {
  if (!Array.isArray(result)) return [];
  const wanted = new Set(urls);
  return result.filter(
    (entry: unknown): entry is ResourceEntry =>
      Array.isArray(entry) && entry.length === 3 && typeof entry[0] === 'string' && wanted.has(entry[0]) && Number.isFinite(entry[1]) && Number.isInteger(entry[2]) && (entry[2] as number) >= -1 && (entry[2] as number) <= 999,
  );
}

/**
 * The Resource Timing entries for `urls` in the given frames of a tab, as the page reads them and, with
 * `receivedStatus` (Firefox), as the extension's isolated world reads them: only Firefox shows that
 * world the status the browser received; Chromium's reads the page's value, so it is not read there
 * (its entries get -1, not read). Used only when a view is open for the tab and some of its requests
 * are undetermined (docs/capture.md#firefox-evidence). A frame that is gone or refuses scripts gives
 * nothing.
 */
export async function readResourceEntries(tabId: number, frameIds: number[], urls: string[], receivedStatus: boolean): Promise<ResourceEntryReading[]> {
  const readIn = async (frameId: number, world: 'MAIN' | 'ISOLATED'): Promise<ResourceEntry[]> => {
    try {
      const injections = await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, world, args: [urls], func: resourceEntriesFor });
      return injections.flatMap((injection) => wellFormedEntries(injection.result, urls));
    } catch {
      return [];
    }
  };
  // One call per frame and world: a frame that is gone fails its own calls only.
  const perFrame = frameIds.map(async (frameId) => {
    const [page, isolated] = await Promise.all([readIn(frameId, 'MAIN'), receivedStatus ? readIn(frameId, 'ISOLATED') : []]);
    return withReceivedStatus(page, isolated);
  });
  return (await Promise.all(perFrame)).flat();
}
