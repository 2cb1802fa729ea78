import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { TabLogResponse } from '../../background/messages.ts';
import { isTabLogChanged } from '../../background/messages.ts';
import { message, onBackgroundMessage, sendToBackground, targetTabId } from '../../platform/runtime.ts';
import { downloadText } from '../../platform/download.ts';
import { exportFileName, toJsonExport } from '../../export/index.ts';
import { requestRows } from '../components/rows.ts';
import { RequestTable } from '../components/RequestTable.tsx';

type LoadState = { status: 'loading' } | { status: 'no-tab' } | { status: 'ready'; log: TabLogResponse };

export function Popup({ search }: { search: string }) {
  const [tabId, setTabId] = useState<number | null | undefined>(undefined);
  const [state, setState] = useState<LoadState>({ status: 'loading' });

  const refresh = useCallback(async (id: number) => {
    const log = await sendToBackground<TabLogResponse>({ type: 'get-tab-log', tabId: id });
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
  if (state.status === 'no-tab') return <p class="note">{message('noTab')}</p>;
  return <TabLogView log={state.log} onClear={() => tabId != null && void sendToBackground({ type: 'clear-tab-log', tabId }).then(() => refresh(tabId))} />;
}

function TabLogView({ log, onClear }: { log: TabLogResponse; onClear: () => void }) {
  const rows = useMemo(() => requestRows(log.records, log.report), [log]);
  const { counts, pageOrigin } = log.report;
  const exportJson = () => {
    const exportedAt = new Date().toISOString();
    const file = toJsonExport({ records: log.records, report: log.report, pageUrl: log.pageUrl, exportedAt });
    downloadText(exportFileName(log.pageUrl, exportedAt, 'json'), JSON.stringify(file, null, 2), 'application/json');
  };
  return (
    <main>
      <header class="summary">
        <div class="origin">
          <span class="label">{message('pageOrigin')}</span> <code data-testid="page-origin">{pageOrigin ?? message('unknownOrigin')}</code>
        </div>
        <div class="counts" data-testid="counts">
          <span data-testid="count-media">{message('countMedia', String(counts.media))}</span>
          <span data-testid="count-failing" class={counts.failing > 0 ? 'bad' : ''}>
            {message('countFailing', String(counts.failing))}
          </span>
          {counts.unknown > 0 && <span data-testid="count-unknown">{message('countUnknown', String(counts.unknown))}</span>}
        </div>
        <div class="actions">
          <button type="button" onClick={exportJson} data-testid="export-json" disabled={log.records.length === 0}>
            {message('exportJson')}
          </button>
          <button type="button" onClick={onClear} data-testid="clear">
            {message('clearLog')}
          </button>
        </div>
      </header>
      {log.evicted > 0 && <p class="note">{message('countEvicted', String(log.evicted))}</p>}
      {log.storageError && <p class="note bad">{message('storageError', log.storageError)}</p>}
      {rows.length === 0 ? <p class="note" data-testid="empty">{message('noRequests')}</p> : <RequestTable rows={rows} />}
    </main>
  );
}
