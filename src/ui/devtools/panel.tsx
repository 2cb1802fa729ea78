import { render } from 'preact';
import { useState } from 'preact/hooks';
import { inspectedTabId } from '../../platform/devtools.ts';
import { countMessage, message } from '../../platform/runtime.ts';
import { TabLog } from '../popup/Popup.tsx';
import { TabView } from '../components/TabView.tsx';
import { exportLog } from '../components/exporting.ts';
import { readLogFile, type ImportedLog } from '../components/importing.ts';
import { prefetchStoredView } from '../components/storedView.ts';

/** The DevTools panel: the live log of the inspected tab, or a HAR/JSON file opened for the same diagnosis. */
function Panel({ tabId }: { tabId: number }) {
  const [imported, setImported] = useState<ImportedLog | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const result = await readLogFile(file);
    if (result.ok) {
      setImported(result.imported);
      setError(null);
    } else {
      setError(message('importFailed', [file.name, result.error]));
    }
  };

  return (
    <>
      <div class="import">
        <label>
          {message('openFile')}{' '}
          <input type="file" accept=".har,.json,application/json" data-testid="import-file" onChange={(event) => void open(event.target as HTMLInputElement)} />
        </label>
        {error && (
          <p class="note bad" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
      </div>
      {imported ? (
        <TabView
          log={imported.view}
          variant="panel"
          banner={
            <>
              <div class="banner" data-testid="imported-banner">
                <span>{message('importedFile', [imported.fileName, String(imported.log.records.length), String(imported.skipped)])}</span>
                <button type="button" data-testid="back-to-live" onClick={() => setImported(null)}>
                  {message('backToLive')}
                </button>
              </div>
              {imported.warnings.length > 0 && (
                <details class="import-notes" data-testid="import-warnings">
                  <summary>{countMessage('importWarnings', imported.warnings.length)}</summary>
                  <ul>
                    {imported.warnings.map((warning, index) => (
                      <li key={index}>{warning}</li>
                    ))}
                  </ul>
                </details>
              )}
            </>
          }
          actions={{
            onRefresh: () => undefined,
            onClear: () => setImported(null),
            onPreserveLog: () => undefined,
            onExport: (format, redact) => exportLog(imported.log, format, redact),
            onRetest: async () => message('importedNoRetest'),
            loadRecords: async (recordIds) => imported.log.records.filter((record) => recordIds.includes(record.id)),
          }}
        />
      ) : (
        <TabLog tabId={tabId} variant="panel" />
      )}
    </>
  );
}

// Inside DevTools: the inspected tab. Opened as a page (tests, a detached window): ?tabId=.
const fromQuery = new URLSearchParams(location.search).get('tabId');
const tabId = inspectedTabId() ?? (fromQuery !== null && /^\d+$/.test(fromQuery) ? Number(fromQuery) : null);
// The tab's stored view is read while the first renders run, as in the popup (src/ui/components/storedView.ts).
if (tabId !== null) prefetchStoredView(tabId);
const root = document.getElementById('app');
if (root) render(tabId === null ? <p class="note">{message('noTab')}</p> : <Panel tabId={tabId} />, root);
