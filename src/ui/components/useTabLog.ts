import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RetestResponse, TabLogResponse, ViewToBackgroundMessage } from '../../background/messages.ts';
import { isTabLogChanged, tabLogPortName } from '../../background/messages.ts';
import { keepConnected, sendToBackground } from '../../platform/runtime.ts';
import { exportLog } from './exporting.ts';
import type { TabViewActions } from './TabView.tsx';

/**
 * A tab's log, kept fresh: loaded from the background, reloaded whenever the background says the tab
 * changed (over a port that reconnects after a service-worker restart). Shared by popup and panel.
 */
export function useTabLog(tabId: number): { log: TabLogResponse | null; actions: TabViewActions } {
  const [log, setLog] = useState<TabLogResponse | null>(null);
  // One load at a time: changes announced meanwhile are folded into one more load after it, so a
  // stream that adds requests faster than a large log loads never queues loads behind each other.
  const loading = useRef(false);
  const changedWhileLoading = useRef(false);
  const refresh = useCallback(async () => {
    if (loading.current) {
      changedWhileLoading.current = true;
      return;
    }
    loading.current = true;
    try {
      do {
        changedWhileLoading.current = false;
        setLog(await sendToBackground<TabLogResponse>({ type: 'get-tab-log', tabId } satisfies ViewToBackgroundMessage));
      } while (changedWhileLoading.current);
    } finally {
      loading.current = false;
    }
  }, [tabId]);

  useEffect(() => {
    void refresh();
    return keepConnected(
      tabLogPortName(tabId),
      (incoming) => {
        if (isTabLogChanged(incoming) && incoming.tabId === tabId) void refresh();
      },
      () => void refresh(),
    );
  }, [tabId, refresh]);

  const send = (request: ViewToBackgroundMessage) => void sendToBackground(request).then(refresh);
  const actions: TabViewActions = {
    onRefresh: () => void refresh(),
    onClear: () => send({ type: 'clear-tab-log', tabId }),
    onPreserveLog: (preserve) => send({ type: 'set-preserve-log', tabId, preserve }),
    onRetest: async (recordId) => {
      const result = await sendToBackground<RetestResponse>({ type: 'retest', tabId, recordId } satisfies ViewToBackgroundMessage);
      return result.ok ? null : result.error;
    },
    onExport: (format, redact) => {
      if (log) exportLog(log, format, redact);
    },
  };
  return { log, actions };
}
