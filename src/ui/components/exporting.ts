import { exportFileName, toCsv, toHar, toJsonExport } from '../../export/index.ts';
import { downloadText } from '../../platform/download.ts';
import { extensionVersion } from '../../platform/runtime.ts';
import type { TabLogResponse } from '../../view/protocol.ts';
import { exportedCountsOf } from './exactCounts.ts';

export type ExportFormat = 'json' | 'har' | 'csv';

/** What an export needs of a log (live or imported); the JSON export includes its exact counts. */
export type ExportSource = Pick<TabLogResponse, 'records' | 'report' | 'pageUrl' | 'totals' | 'evicted'>;

/** Serialises the log in the chosen format and saves it. Secrets are redacted unless `redact` is false. */
export function exportLog(source: ExportSource, format: ExportFormat, redact: boolean): void {
  const exportedAt = new Date().toISOString();
  const name = exportFileName(source.pageUrl, exportedAt, format);
  if (format === 'json') {
    const file = toJsonExport({ records: source.records, report: source.report, pageUrl: source.pageUrl, exportedAt, redact, counts: exportedCountsOf(source) });
    downloadText(name, JSON.stringify(file, null, 2), 'application/json');
  } else if (format === 'har') {
    const har = toHar(source.records, source.report, { redact, creatorVersion: extensionVersion() });
    downloadText(name, JSON.stringify(har, null, 2), 'application/json');
  } else {
    downloadText(name, toCsv(source.records, source.report, { redact }), 'text/csv');
  }
}
