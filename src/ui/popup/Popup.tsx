import { useCallback, useEffect, useState } from 'preact/hooks';
import type { TabLogResponse, ViewToBackgroundMessage } from '../../background/messages.ts';
import { isTabLogChanged } from '../../background/messages.ts';
import { message, onBackgroundMessage, sendToBackground, targetTabId } from '../../platform/runtime.ts';
import { downloadText } from '../../platform/download.ts';
import { exportFileName, toJsonExport } from '../../export/index.ts';
import { TabView } from '../components/TabView.tsx';

type LoadState = { status: 'loading' } | { status: 'no-tab' } | { status: 'ready'; log: TabLogResponse };

/** Loads a tab's log from the background and keeps it fresh while the stream adds requests. */
export function Popup({ search }: { search: string }) {
  const [tabId, setTabId] = useState<number | null | undefined>(undefined);
  const [state, setState] = useState<LoadState>({ status: 'loading' });

  const refresh = useCallback(async (id: number) => {
    const log = await sendToBackground<TabLogResponse>({ type: 'get-tab-log', tabId: id } satisfies ViewToBackgroundMessage);
    setState({ status: 'ready', log });
  }, []);

  useEffect(() => {
    void targetTabId(search).then((id) => {
      setTabId(id);
      if (id === null) setState({ status: 'no-tab' });
      else void refresh(id);
    });
  }, [search, refresh]);

  useEffect(() => {
    if (tabId === null || tabId === undefined) return undefined;
    return onBackgroundMessage((incoming) => {
      if (isTabLogChanged(incoming) && incoming.tabId === tabId) void refresh(tabId);
    });
  }, [tabId, refresh]);

  if (state.status === 'loading') return <p class="note">{message('loading')}</p>;
  if (state.status === 'no-tab' || tabId == null) return <p class="note">{message('noTab')}</p>;
  const { log } = state;
  const send = (request: ViewToBackgroundMessage) => void sendToBackground(request).then(() => refresh(tabId));
  return (
    <TabView
      log={log}
      actions={{
        onClear: () => send({ type: 'clear-tab-log', tabId }),
        onPreserveLog: (preserve) => send({ type: 'set-preserve-log', tabId, preserve }),
        onExportJson: () => {
          const exportedAt = new Date().toISOString();
          const file = toJsonExport({ records: log.records, report: log.report, pageUrl: log.pageUrl, exportedAt });
          downloadText(exportFileName(log.pageUrl, exportedAt, 'json'), JSON.stringify(file, null, 2), 'application/json');
        },
      }}
    />
  );
}
