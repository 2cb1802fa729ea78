/**
 * Background entry (Chrome MV3 service worker / Firefox event page). Every listener is registered
 * synchronously at top level: the worker is stopped when idle and restarted by the next event, which
 * only reaches listeners that exist before the first await (docs/capture.md#service-worker).
 */
import { browser } from '../platform/browser.ts';
import { browserFamily, supportsExtraHeaders } from '../platform/capabilities.ts';
import { isQuotaError, sessionArea } from '../platform/storage.ts';
import { verdictForRecord } from '../engine/index.ts';
import { fetchInFrame, readResourceEntries } from '../platform/scripting.ts';
import { message, ownExtension } from '../platform/runtime.ts';
import type { RequestRecord } from '../engine/model.ts';
import { Recorder, type WebRequestDetails, type WebRequestEventName } from './recorder.ts';
import { DEFAULT_STORE_OPTIONS, TabLogStore } from './store.ts';
import { showToolbarState } from './badge.ts';
import type { TabTotals } from '../view/totals.ts';
import './first-run.ts';
import {
  parseViewMessage,
  tabIdOfPortName,
  type RecordsResponse,
  type RetestResponse,
  type TabLogChangedMessage,
  type TabLogResponse,
  type TabViewResponse,
  type ViewMessageOf,
  type ViewToBackgroundMessage,
} from '../view/protocol.ts';
import { isFromOwnPage, type SenderFacts } from './sender.ts';
import { PendingRetests, RecordDocuments, REFUSAL_MESSAGES, runRetest } from './retests.ts';
import { DOCUMENT_LISTENER, LISTENED_EVENTS, isCandidate, listenerOptions } from './candidates.ts';
import { DocumentPolicies } from './document-policies.ts';
import { HeaderRecording, StartedWhileOff, startsHeaderRecording } from './header-recording.ts';
import { onRecordEveryPageChanged, readRecordEveryPage } from '../platform/settings.ts';
import { TabViews } from './view.ts';
import { tabLogOf } from './tab-log.ts';
import { PageEvidence } from './page-evidence.ts';
import type { Runtime } from '../platform/browser.ts';

const FLUSH_DELAY_MS = 400;

const extraHeaders = supportsExtraHeaders();
const browserInUse = browserFamily();
/** Chromium: which requests started while the header listeners were off (header-recording.ts). */
const startedWhileOff = new StartedWhileOff();
// In Chromium a request counts as fully seen only when it started while the header listeners were on
// and its headers came through the network stack (header-recording.ts).
const recorder = new Recorder({
  browser: browserInUse,
  requestHeadersComplete: extraHeaders || browserInUse === 'firefox',
  checkNetworkStack: extraHeaders,
  ...(extraHeaders ? { startedBeforeListeners: (requestId: string) => startedWhileOff.startedWhileOff(requestId) } : {}),
});
const store = new TabLogStore(sessionArea(), { isQuotaError });
/** The Cross-Origin-Embedder-Policy of each tab's documents, for the diagnosis. */
const documentPolicies = new DocumentPolicies(sessionArea());
/** Each tab's analysis, kept until its log changes; views get only what changed since their version. */
const views = new TabViews(store, crypto.randomUUID(), new PageEvidence((tabId, frameIds, urls) => readResourceEntries(tabId, frameIds, urls, browserInUse === 'firefox'), (tabId) => tellViews(tabId)), (tabId) => documentPolicies.of(tabId));
const changedTabs = new Set<number>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;
/** Open views (popup, DevTools panel) per tab, told when that tab's log changes. */
const viewPorts = new Map<number, Set<Runtime.Port>>();

// The documents' policies are one small key, read at once. A tab's log is read from storage when an
// operation on that tab first needs it (TabLogStore.ready): Chromium starts the worker whenever one of
// the extension's pages loads, and reading every stored log then (11 MB for 10 000 records) held the
// cold popup's own reads back by about 45 ms (docs/budgets.md#worker-restore).
const policiesReady: Promise<void> = documentPolicies.restore().catch((error: unknown) => console.error('CORS Lens: could not restore the documents\' policies', error));

/** Resolves once the tab's stored log and the documents' policies are in memory: store operations on a tab wait for it, so a restart never overwrites newer state with older. */
function tabReady(tabId: number): Promise<void> {
  return Promise.all([store.ready(tabId), policiesReady]).then(() => undefined);
}

function whenReady(tabId: number, operation: () => void): void {
  void tabReady(tabId).then(operation);
}

function scheduleFlush(tabId: number): void {
  changedTabs.add(tabId);
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    void flushAndNotify();
  }, FLUSH_DELAY_MS);
}

/** The tab's toolbar button, from the totals its views show (the store tells which undetermined requests raise a doubt). */
function showTabState(tabId: number, totals: TabTotals): Promise<void> {
  return showToolbarState(tabId, totals, store.tab(tabId), store.totals(tabId).byOutcome.unknown);
}

async function flushAndNotify(): Promise<void> {
  const tabs = [...changedTabs];
  changedTabs.clear();
  try {
    await store.flush();
  } catch (error) {
    console.error('CORS Lens: could not save the request log', error);
  }
  for (const tabId of tabs) {
    // With a view open the badge follows the views' update (tellViews), so it is set once a flush.
    if (hasOpenViews(tabId)) tellViews(tabId);
    else await showTabState(tabId, views.shownTotals(tabId));
  }
}

function hasOpenViews(tabId: number): boolean {
  return (viewPorts.get(tabId)?.size ?? 0) > 0;
}

/** Pushes to views go out one at a time, in order: each is a change since the one before (TabViews.pushUpdate). */
let viewPushes: Promise<void> = Promise.resolve();

/**
 * Tells the tab's open views that its log changed, with what changed since the last complete answer a
 * view got: a view holding that version applies it at once; one that does not asks (get-tab-view).
 * The tab's toolbar button is set here too, from the totals the views will show.
 */
function tellViews(tabId: number): void {
  if (!hasOpenViews(tabId)) return;
  viewPushes = viewPushes.then(async () => {
    const pushed = await views.pushUpdate(tabId, Date.now()).catch(() => null);
    // Page evidence read for the update may have decided rows: the badge counts them as the views do.
    await showTabState(tabId, pushed ? pushed.update.totals : views.shownTotals(tabId));
    const message: TabLogChangedMessage = { type: 'tab-log-changed', tabId, ...(pushed ?? {}) };
    for (const port of viewPorts.get(tabId) ?? []) {
      try {
        port.postMessage(message);
      } catch {
        // A view closed while the update was worked out (its onDisconnect is on its way): the others still get it.
      }
    }
  });
  // Whatever failed, the next push still goes out (a rejected chain would skip every later one).
  viewPushes = viewPushes.catch((error: unknown) => console.error('CORS Lens: could not update the open views', error));
}

/** Re-tests the user started and the webRequest listeners have not yet seen finish. */
const retests = new PendingRetests();
/** The document each recorded request came from, so its re-test runs there or not at all. */
const documents = new RecordDocuments(DEFAULT_STORE_OPTIONS.maxRecordsPerTab);

/** How far back a request's preflight is looked for among the tab's latest records (it ends just before). */
const RECENT_PREFLIGHT_WINDOW = 64;

/**
 * The OPTIONS records among the tab's latest that may be `record`'s preflight: the verdict counted at
 * arrival must be the one the whole-log analysis gives (a request stopped at its preflight fails).
 */
function recentPreflightsFor(record: RequestRecord): RequestRecord[] {
  if (record.method === 'OPTIONS') return [];
  const records = store.records(record.tabId);
  const url = record.redirects[0]?.url ?? record.url;
  const found: RequestRecord[] = [];
  for (let index = records.length - 1; index >= 0 && index >= records.length - RECENT_PREFLIGHT_WINDOW; index--) {
    const candidate = records[index]!;
    if (candidate.method === 'OPTIONS' && candidate.url === url) found.push(candidate);
  }
  return found;
}

function keep(record: RequestRecord): void {
  whenReady(record.tabId, () => {
    store.add(record, verdictForRecord(record, undefined, recentPreflightsFor(record)));
    scheduleFlush(record.tabId);
  });
}

/** Also read here: the sending document (Chromium ≥106, Firefox) and, in Firefox, whether it is a private window's. */
type ListenerDetails = WebRequestDetails & { documentId?: string; incognito?: boolean };

function onEvent(event: WebRequestEventName, details: ListenerDetails): void {
  if (details.tabId < 0) return; // not a tab's request (e.g. the browser's own)
  // Private windows are never recorded (the manifest keeps the extension out of them; Firefox says so per request).
  if (details.incognito === true) return;
  if (event === 'beforeRequest' && details.type === 'main_frame') {
    headerRecording?.update(Date.now());
    const { tabId, url } = details;
    whenReady(tabId, () => {
      store.navigated(tabId, url);
      scheduleFlush(tabId);
    });
    return;
  }
  if (event === 'beforeRequest' && headerRecording) {
    const now = Date.now();
    const listeningAtStart = headerRecording.listening;
    // Every request, not only navigations, ends a window that has passed.
    if (startsHeaderRecording(details)) headerRecording.mediaRequested(now);
    else headerRecording.update(now);
    // The request that switched them on started before them.
    startedWhileOff.seen(details.requestId, listeningAtStart);
    // Without the header listeners no request would finish: one not started for media is not followed.
    if (!headerRecording.listening) return;
    if (!listeningAtStart) {
      // Counted at once: if all its events came before the listeners, it is never recorded at all.
      const { tabId, requestId } = details;
      whenReady(tabId, () => {
        store.switchedOnBy(tabId, requestId);
        scheduleFlush(tabId);
      });
    }
  }
  if (event === 'beforeRequest' && retests.size > 0) {
    retests.observe({ requestId: details.requestId, tabId: details.tabId, frameId: details.frameId, url: details.url, documentId: details.documentId }, Date.now());
  }
  const finished = recorder.handle(event, details);
  if (!finished) return;
  // A re-test is known by what the listeners saw of it, never by anything the page could set.
  const original = retests.size > 0 ? retests.resolve(finished) : undefined;
  if (original !== undefined) {
    finished.retest = true;
    finished.retestOf = original;
  }
  if (!isCandidate(finished.media)) return;
  documents.note(finished.tabId, finished.id, details.documentId);
  keep(finished);
}

type Listener = (details: WebRequestDetails) => void;
const on =
  (event: WebRequestEventName): Listener =>
  (details) => {
    try {
      onEvent(event, details);
    } catch (error) {
      // One odd event must not stop the recording of the others.
      console.error(`CORS Lens: could not record ${event}`, error);
    }
  };

// Only requests that can be candidates reach the listeners, with headers only where read (candidates.ts).
// The polyfill's event typings differ per event; all of them deliver the fields of WebRequestDetails.
type WebRequestEvent = { addListener(listener: Listener, filter: unknown, spec?: unknown): void; removeListener(listener: Listener): void };
type AddedListener = { event: WebRequestEvent; listener: Listener; filter: unknown; spec: string[] | undefined };
const headerListeners: AddedListener[] = [];

/** Firefox takes no spec where none is asked for (listenerOptions gives undefined then). */
function addWebRequestListener({ event, listener, filter, spec }: AddedListener): void {
  if (spec === undefined) event.addListener(listener, filter);
  else event.addListener(listener, filter, spec);
}
for (const listened of LISTENED_EVENTS) {
  const { filter, spec } = listenerOptions(listened, extraHeaders, browserInUse === 'firefox');
  const added = { event: browser.webRequest[listened.name] as WebRequestEvent, listener: on(listened.event), filter, spec };
  addWebRequestListener(added);
  if (listened.name !== 'onBeforeRequest') headerListeners.push(added);
}

/**
 * Chromium: the listeners after onBeforeRequest (those that ask for extraHeaders, and those whose
 * requests only they would finish) are on only while wanted (header-recording.ts). Firefox has no
 * extraHeaders and no such cost: its listeners stay.
 */
const headerRecording: HeaderRecording | null = extraHeaders
  ? new HeaderRecording({
      addListeners: () => headerListeners.forEach(addWebRequestListener),
      removeListeners: () => {
        for (const { event, listener } of headerListeners) event.removeListener(listener);
        // Nothing in flight would be finished: met again later, a request is a new, incomplete record.
        startedWhileOff.wentOff();
        recorder.forgetAll();
      },
      area: sessionArea(),
      readEveryPage: readRecordEveryPage,
    })
  : null;
if (headerRecording) {
  void headerRecording.restore(() => Date.now());
  onRecordEveryPageChanged((everyPage) => headerRecording.setEveryPage(everyPage, Date.now()));
}

// A document's response: its embedder policy (navigations only; see DOCUMENT_LISTENER).
(browser.webRequest[DOCUMENT_LISTENER.name] as { addListener(listener: Listener, filter: unknown, spec: unknown): void }).addListener(
  (details) => {
    if (details.tabId < 0 || (details as ListenerDetails).incognito === true) return;
    documentPolicies.seen(details.tabId, details.frameId, details.url, details.responseHeaders, details.type === 'main_frame');
  },
  DOCUMENT_LISTENER.filter,
  [...DOCUMENT_LISTENER.spec],
);

browser.tabs.onRemoved.addListener((tabId) => {
  recorder.forgetTab(tabId);
  documentPolicies.forgetTab(tabId);
  retests.forgetTab(tabId);
  documents.forgetTab(tabId);
  store.closing(tabId);
  whenReady(tabId, () => {
    store.remove(tabId);
    store.closed(tabId);
    views.forget(tabId);
    scheduleFlush(tabId);
  });
});

/**
 * Fetches the record's URL again from inside the frame that requested it, in the extension's isolated
 * world, only while that frame still shows the same document (or, where the browser has no document
 * ids, a document of the same origin). See retests.ts for what makes the result trustworthy.
 */
async function retest(tabId: number, recordId: string): Promise<RetestResponse> {
  const original = store.records(tabId).find((record) => record.id === recordId);
  const run = await runRetest(original, documents.of(tabId, recordId), retests, { now: () => Date.now(), nonce: () => crypto.randomUUID(), fetchInFrame });
  if (run.sent) return { ok: true, keptUrl: run.plan.keptUrl };
  const key = REFUSAL_MESSAGES[run.refusal];
  return { ok: false, error: run.detail === null ? message(key) : message(key, run.detail) };
}

const own = ownExtension();
/** Only the extension's own pages (popup, DevTools panel) may read logs or start a re-test. */
const fromOwnPage = (sender: SenderFacts | undefined): boolean => isFromOwnPage(sender, own.id, own.baseUrl);

browser.runtime.onConnect.addListener((port) => {
  if (!fromOwnPage(port.sender)) {
    port.disconnect();
    return;
  }
  const tabId = tabIdOfPortName(port.name);
  if (tabId === null) return;
  // A view that connects before its first frame (no diagnosis stored) asks for the tab's log next: its
  // reading back starts now, beside that frame.
  void tabReady(tabId);
  let ports = viewPorts.get(tabId);
  if (!ports) viewPorts.set(tabId, (ports = new Set()));
  ports.add(port);
  headerRecording?.viewOpened(Date.now());
  port.onDisconnect.addListener(() => {
    ports.delete(port);
    headerRecording?.viewClosed(Date.now());
  });
});

type OkResponse = { ok: true };
/** What the background answers a message a view sent it that it cannot take. */
export type RefusedMessage = { ok: false; error: string };

/** One handler per message type; the map is typed by the protocol's message types, so none is missed. */
const handlers: { [Type in ViewToBackgroundMessage['type']]: (message: ViewMessageOf<Type>) => unknown } = {
  retest: (message): Promise<RetestResponse> => retest(message.tabId, message.recordId),
  'set-preserve-log': (message): OkResponse => {
    store.setPreserveLog(message.tabId, message.preserve);
    scheduleFlush(message.tabId);
    return { ok: true };
  },
  'clear-tab-log': (message): OkResponse => {
    const pageUrl = store.tab(message.tabId)?.pageUrl ?? null;
    store.startPage(message.tabId, pageUrl);
    scheduleFlush(message.tabId);
    return { ok: true };
  },
  'get-tab-view': async (message): Promise<TabViewResponse> => {
    const answer = await views.answerWithEvidence(message.tabId, message.since, Date.now(), message.analysed === true);
    views.noteSent(message.tabId, answer);
    // Page evidence read for this view may have decided rows: the badge counts them as the view does.
    await showTabState(message.tabId, answer.totals);
    return answer;
  },
  'get-records': (message): RecordsResponse => {
    const wanted = new Set(message.recordIds);
    return { records: store.records(message.tabId).filter((record) => wanted.has(record.id)) };
  },
  'get-tab-log': (message): TabLogResponse => tabLogOf(message.tabId, store, views),
};

function handle<Type extends ViewToBackgroundMessage['type']>(message: ViewMessageOf<Type>): unknown {
  return (handlers[message.type] as (message: ViewMessageOf<Type>) => unknown)(message);
}

browser.runtime.onMessage.addListener((message: unknown, sender: SenderFacts) => {
  // Anything but the extension's own pages is ignored without an answer (no oracle for other senders).
  if (!fromOwnPage(sender)) return undefined;
  const parsed = parseViewMessage(message);
  if (!('message' in parsed)) {
    const refused: RefusedMessage = {
      ok: false,
      error: parsed.problem === 'not-a-message' ? 'not a CORS Lens message' : `${parsed.problem === 'unknown-type' ? 'unknown message type' : 'invalid message'}: ${parsed.type}`,
    };
    console.warn('CORS Lens: refused a message', refused.error);
    return Promise.resolve(refused);
  }
  const valid = parsed.message;
  return tabReady(valid.tabId).then(() => handle(valid));
});
