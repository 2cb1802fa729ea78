import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RecordsResponse, RetestResponse, TabLogResponse, TabViewResponse, ViewToBackgroundMessage } from '../../view/protocol.ts';
import { isTabLogChanged, pushedUpdateFor, tabLogPortName } from '../../view/protocol.ts';
import { keepConnected, message, sendToBackground } from '../../platform/runtime.ts';
import { reloadTab } from '../../platform/tabs.ts';
import { exportLog } from './exporting.ts';
import { failureText } from './Failures.tsx';
import type { TabViewActions } from './TabView.tsx';
import { sameVersion, type TabViewData } from '../../view/model.ts';
import { applyViewUpdate, type LiveView } from '../../view/updates.ts';
import { readStoredView, type StoredView } from './storedView.ts';
import { NO_VERSION, withArrangementKept } from '../../view/stored-log.ts';

/** Runs `then` after the next frame is painted (or soon, if the page paints no frame). */
function afterFirstPaint(then: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    then();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 200);
}

/** What did not work, in the UI's language: the last load of the log (until one works), the user's last action. */
export interface TabLogFailures {
  load: string | null;
  action: string | null;
}

/**
 * A tab's log as the view shows it, kept fresh: loaded from the background, then updated whenever the
 * background says the tab changed (over a port that reconnects after a service-worker restart) with
 * only what changed since. Full records are fetched when the detail or an export needs them.
 */
export function useTabLog(tabId: number): { log: TabViewData | null; actions: TabViewActions; failures: TabLogFailures } {
  const [view, setView] = useState<LiveView | null>(null);
  // What failed, in the UI's language: the last load (cleared by the next that works) and the last
  // action the user took (cleared when they take another).
  const [loadFailure, setLoadFailure] = useState<string | null>(null);
  const [actionFailure, setActionFailure] = useState<string | null>(null);
  const current = useRef<LiveView | null>(null);
  // One load at a time: changes announced meanwhile are folded into one more load after it, so a
  // stream that adds requests faster than a large log loads never queues loads behind each other.
  const loading = useRef(false);
  const changedWhileLoading = useRef(false);
  const firstAnswer = useRef(true);
  // Whether the view's version is that of a complete (analysed) answer: only then does an update the
  // background pushes (a change since that version) fit what the view holds.
  const heldComplete = useRef(false);
  /** Takes an answer of the background (asked for or pushed): what the view shows from now on. */
  const take = useCallback((answer: TabViewResponse) => {
    const next = withArrangementKept(current.current, answer, applyViewUpdate(current.current, answer), firstAnswer.current);
    firstAnswer.current = false;
    current.current = next;
    heldComplete.current = answer.analysed && sameVersion(next.version, answer);
    setView(next);
  }, []);
  // `analysed`: the first load of a view that already shows the stored rows asks for the diagnosis at once.
  const refresh = useCallback(async (analysed = false) => {
    if (loading.current) {
      changedWhileLoading.current = true;
      return;
    }
    loading.current = true;
    let diagnosisToCome = false;
    try {
      do {
        changedWhileLoading.current = false;
        const since = current.current?.version;
        // `analysed` with `since` too: a restarted worker does not know the stored version and answers
        // with everything, which must carry the diagnosis, or the cards drawn from storage would vanish
        // until a second answer.
        const request: ViewToBackgroundMessage = { type: 'get-tab-view', tabId, ...(since ? { since } : {}), ...(analysed ? { analysed } : {}) };
        const answer = await sendToBackground<TabViewResponse>(request);
        take(answer);
        diagnosisToCome = !answer.analysed;
      } while (changedWhileLoading.current);
      setLoadFailure(null);
    } catch (error) {
      setLoadFailure(message('viewLoadFailed', failureText(error)));
      return;
    } finally {
      loading.current = false;
    }
    // The first answer of a worker with no analysis at hand: ask for the diagnosis once the rows are on
    // screen, so the background's analysis does not compete with the first render.
    if (diagnosisToCome) afterFirstPaint(() => void refresh());
  }, [tabId, take]);

  // A layout effect, not a plain one: Preact runs those only after the next frame, and the first screen's
  // frame waited for that one frame more.
  useLayoutEffect(() => {
    current.current = null;
    firstAnswer.current = true;
    heldComplete.current = false;
    let shown = true;
    // First load: the list's first screen (and the diagnosis, when stored for these records) straight
    // from storage, drawn before anything else; then the whole list, read after that frame is painted;
    // then one request to the background, once that frame is painted. A
    // stopped worker restores the whole log before it answers, and a running one would send every row:
    // either would delay the first frame (src/view/stored-log.ts). With the stored diagnosis the view
    // holds the worker's view at its version and asks only for what changed since (a running worker:
    // nothing), and the worker is asked nothing (port and request) before that frame is painted: a
    // restarted worker's reading back of the tab's log would compete with it. Without it, the port
    // connects at once, so a restarted worker starts reading the log back while the rows are drawn, and
    // the one request after the frame asks for the analysed answer, which replaces everything.
    let disconnect: (() => void) | undefined;
    const connect = () => {
      if (!shown || disconnect) return;
      disconnect = keepConnected(
        tabLogPortName(tabId),
        (incoming) => {
          if (!isTabLogChanged(incoming) || incoming.tabId !== tabId) return;
          // The change since the version this view holds comes with the notice: taken at once, unless a
          // load is under way (it brings the view up to date, and one more follows it).
          const update = loading.current || !heldComplete.current ? null : pushedUpdateFor(incoming, current.current?.version);
          if (update) take(update);
          else void refresh();
        },
        () => void refresh(),
      );
    };
    const show = async (stored: StoredView | null): Promise<void> => {
      if (stored === null) {
        connect();
        return void refresh();
      }
      // The first screen, from one small read: the list's top, the counts and (stored with it) the cards.
      const first = stored.firstScreen;
      if (first) {
        if (first.version === NO_VERSION) connect();
        setView(first);
        await new Promise<void>((painted) => afterFirstPaint(painted));
        if (!shown) return;
      }
      const full = await stored.rest().catch(() => null);
      if (!shown) return;
      const diagnosed = full !== null && full.version !== NO_VERSION;
      if (!diagnosed) connect();
      if (full === null || current.current !== null) return void refresh();
      if (diagnosed) current.current = full;
      // Without a first screen drawn, the rows alone first: joining 10 000 rows with the findings and
      // drawing the cards would make that frame half as long again. The cards follow in the next frame.
      setView(diagnosed && !first ? { ...full, data: { ...full.data, summary: null } } : full);
      afterFirstPaint(() => {
        if (diagnosed && current.current === full) setView(full);
        connect();
        void refresh(true);
      });
    };
    readStoredView(tabId)
      .catch(() => null) // storage not readable here: the background's answer comes anyway
      .then((stored) => (shown ? show(stored) : undefined));
    return () => {
      shown = false;
      disconnect?.();
    };
  }, [tabId, refresh]);

  /** Runs an action the user took; if it fails, `failed(reason)` says so until the next action. */
  const act = (run: () => Promise<unknown>, failed: (reason: string) => string): void => {
    setActionFailure(null);
    // Through a promise, so that a messaging call that throws at once (the extension was reloaded) is caught too.
    Promise.resolve()
      .then(run)
      .catch((error: unknown) => setActionFailure(failed(failureText(error))));
  };
  const send = (request: ViewToBackgroundMessage, failedKey: string) => act(() => sendToBackground(request).then(() => refresh()), (reason) => message(failedKey, reason));
  const actions: TabViewActions = {
    onRefresh: () => void refresh(),
    onReloadPage: () => reloadTab(tabId),
    onClear: () => send({ type: 'clear-tab-log', tabId }, 'clearFailed'),
    onPreserveLog: (preserve) => send({ type: 'set-preserve-log', tabId, preserve }, 'preserveLogFailed'),
    onRetest: async (recordId) => {
      try {
        const result = await sendToBackground<RetestResponse>({ type: 'retest', tabId, recordId } satisfies ViewToBackgroundMessage);
        return result.ok ? null : result.error;
      } catch (error) {
        return message('retestFailed', failureText(error));
      }
    },
    // The whole log only when the user exports it (exports are made from the full records and report).
    onExport: (format, redact) =>
      act(
        () => sendToBackground<TabLogResponse>({ type: 'get-tab-log', tabId } satisfies ViewToBackgroundMessage).then((log) => exportLog(log, format, redact)),
        (reason) => message('exportFailed', [format.toUpperCase(), reason]),
      ),
    loadRecords: async (recordIds) => (await sendToBackground<RecordsResponse>({ type: 'get-records', tabId, recordIds } satisfies ViewToBackgroundMessage)).records,
  };
  return { log: view?.data ?? null, actions, failures: { load: loadFailure, action: actionFailure } };
}
