/**
 * CSV export: one row per record for spreadsheets and tickets. RFC 4180 (CRLF rows, fields with
 * `"`, `,`, CR or LF quoted, quotes doubled) and safe to open in a spreadsheet: a cell that starts
 * like a formula is prefixed with `'` (OWASP "CSV injection"), since URLs and headers come from servers.
 */
import type { Report, RequestRecord } from '../engine/model.ts';
import { combinedHeaderValue, headerValue } from '../engine/headers.ts';
import { fileNameOf } from '../engine/media/classify.ts';
import { cdnFactsOf } from '../engine/cdn/index.ts';
import { isCancelledVerdict } from '../engine/verdict.ts';
import { causesByRecord } from './har.ts';
import { redactRecord, redactReport } from './redact.ts';
import { wellFormed } from './untrusted.ts';

export interface CsvExportOptions {
  /** Secrets are redacted unless the user explicitly opts out (docs/exports.md#redaction). */
  redact?: boolean;
}

export const CSV_COLUMNS = [
  'time',
  'method',
  'url',
  'file',
  'kind',
  'status',
  'origin sent',
  'access-control-allow-origin',
  'cache status',
  'age',
  'pop',
  'verdict',
  'chromium error',
  'firefox error',
  'causes',
] as const;

/** Characters a spreadsheet reads as the start of a formula (or that smuggle one in after a tab/CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-safe, well-formed UTF-16, quoted when RFC 4180 requires it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(value) : wellFormed(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function timeOf(epochMs: number): string {
  return Number.isFinite(epochMs) && Math.abs(epochMs) <= 8.64e15 ? new Date(epochMs).toISOString() : '';
}

/** The records as CSV text (header row first, CRLF line ends), with each record's verdict and causes. */
export function toCsv(records: readonly RequestRecord[], report: Report, options: CsvExportOptions = {}): string {
  const redact = options.redact ?? true;
  const sharedReport = redact ? redactReport(report) : report;
  const verdictById = new Map(sharedReport.verdicts.map((entry) => [entry.recordId, entry.verdict]));
  const causes = causesByRecord(sharedReport.findings);
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const original of records) {
    const record = redact ? redactRecord(original) : original;
    const verdict = verdictById.get(original.id);
    const cdn = cdnFactsOf(record.responseHeaders, record.method);
    const recordCauses = [...new Set((causes.get(original.id) ?? []).map((cause) => cause.cause))];
    const cells = [
      timeOf(record.timings.start),
      record.method,
      record.url,
      fileNameOf(record.url),
      record.media.kind,
      record.status,
      headerValue(record.requestHeaders, 'origin'),
      // Repeated ACAO lines matter (MultipleAllowOriginValues): show them all, as the browser combines them.
      combinedHeaderValue(record.responseHeaders, 'access-control-allow-origin'),
      cdn.cacheStatus,
      cdn.age,
      cdn.pop,
      // A request the page cancelled before any check is a CORS request: not 'not-applicable' to a reader of the sheet.
      verdict && isCancelledVerdict(verdict) ? 'cancelled' : verdict?.outcome,
      verdict?.chromiumError,
      verdict?.firefoxError,
      recordCauses.join('; '),
    ];
    rows.push(cells.map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
