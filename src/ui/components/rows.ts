import type { CorsOutcome, CorsVerdict, MediaKind, Report, RequestRecord } from '../../engine/model.ts';
import { fileNameOf } from '../../engine/media/classify.ts';
import { combinedHeaderValue, headerValue } from '../../engine/headers.ts';

/** One line of the request list, ready to render. Derived from the Report's verdicts, never re-judged. */
export interface RequestRow {
  id: string;
  fileName: string;
  url: string;
  kind: MediaKind;
  status: number | null;
  allowOrigin: string | null;
  /** Cache evidence as the response reported it: x-cache / cf-cache-status, and age. */
  cacheStatus: string | null;
  age: string | null;
  fromBrowserCache: boolean;
  error: string | null;
  verdict: CorsVerdict;
}

const OUTCOME_ORDER: Record<CorsOutcome, number> = { fail: 0, unknown: 1, pass: 2, 'not-applicable': 3 };
const MISSING_VERDICT: CorsVerdict = { outcome: 'unknown', needsPreflight: false, explanation: '' };

/** Rows for a tab, failing first (then undetermined), otherwise in request order. */
export function requestRows(records: readonly RequestRecord[], report: Report): RequestRow[] {
  const verdictById = new Map(report.verdicts.map((entry) => [entry.recordId, entry.verdict]));
  const rows = records.map((record, index) => ({ row: rowFor(record, verdictById.get(record.id) ?? MISSING_VERDICT), index }));
  rows.sort((a, b) => OUTCOME_ORDER[a.row.verdict.outcome] - OUTCOME_ORDER[b.row.verdict.outcome] || a.index - b.index);
  return rows.map((entry) => entry.row);
}

function rowFor(record: RequestRecord, verdict: CorsVerdict): RequestRow {
  const headers = record.responseHeaders;
  return {
    id: record.id,
    fileName: fileNameOf(record.url),
    url: record.url,
    kind: record.media.kind,
    status: record.status,
    allowOrigin: combinedHeaderValue(headers, 'access-control-allow-origin'),
    cacheStatus: headerValue(headers, 'x-cache') ?? headerValue(headers, 'cf-cache-status'),
    age: headerValue(headers, 'age'),
    fromBrowserCache: record.fromCache,
    error: record.error,
    verdict,
  };
}
