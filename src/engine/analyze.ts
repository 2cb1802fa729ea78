import type { AnalyzeOptions, CorsVerdict, RecordVerdict, Report, ReportCounts, RequestRecord } from './model.ts';
import { SCHEMA_VERSION } from './model.ts';
import { evaluateCors, exchangeFromRecord } from './cors/index.ts';
import { isMedia } from './media/classify.ts';

/** The browser's verdict on one record, as every view shows it. */
export function verdictForRecord(record: RequestRecord, options?: AnalyzeOptions): CorsVerdict {
  const exchange = exchangeFromRecord(record);
  if (exchange.pageOrigin === null && options?.pageOrigin) exchange.pageOrigin = options.pageOrigin;
  return evaluateCors(exchange);
}

function mostCommonOrigin(records: readonly RequestRecord[]): string | null {
  const tally = new Map<string, number>();
  let best: string | null = null;
  let bestCount = 0;
  for (const record of records) {
    if (!record.pageOrigin) continue;
    const count = (tally.get(record.pageOrigin) ?? 0) + 1;
    tally.set(record.pageOrigin, count);
    if (count > bestCount) {
      best = record.pageOrigin;
      bestCount = count;
    }
  }
  return best;
}

/** One report for a set of records: the input of the popup, the panel, the badge and every export. */
export function analyze(records: readonly RequestRecord[], options?: AnalyzeOptions): Report {
  const counts: ReportCounts = { total: records.length, media: 0, failing: 0, unknown: 0, notApplicable: 0, passing: 0 };
  const verdicts: RecordVerdict[] = [];
  for (const record of records) {
    const verdict = verdictForRecord(record, options);
    verdicts.push({ recordId: record.id, verdict });
    if (isMedia(record.media)) counts.media++;
    if (verdict.outcome === 'fail') counts.failing++;
    else if (verdict.outcome === 'unknown') counts.unknown++;
    else if (verdict.outcome === 'not-applicable') counts.notApplicable++;
    else counts.passing++;
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    pageOrigin: options?.pageOrigin ?? mostCommonOrigin(records),
    counts,
    verdicts,
    findings: [],
  };
}
