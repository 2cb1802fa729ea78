import type { AnalyzeOptions, CorsVerdict, RecordVerdict, Report, ReportCounts, RequestRecord } from './model.ts';
import { SCHEMA_VERSION } from './model.ts';
import { findPreflightRecord } from './cors/index.ts';
import { verdictOfRecord } from './cors/exchange.ts';
import { verdictWithEvidence } from './cors/inference.ts';
import { isMedia } from './media/classify.ts';
import { answerOf, diagnoseAnalysis } from './diagnose.ts';
import { Analysis } from './analysis.ts';
import { summariseStreams } from './streams.ts';
import type { RecordHeaderReading } from './record-headers.ts';
import { readRecordHeaders } from './record-headers.ts';

export { verdictForRecord } from './verdict.ts';
export { pageOriginOf } from './page-origin.ts';

/**
 * A log's OPTIONS records by URL, so finding a record's preflight stays O(1) per record. Keyed by the
 * URL string itself (its hash is computed once per string); findPreflightRecord checks the tab.
 */
class PreflightIndex {
  readonly #byUrl = new Map<string, RequestRecord[]>();
  constructor(records: readonly RequestRecord[]) {
    for (const record of records) {
      if (record.method !== 'OPTIONS') continue;
      const list = this.#byUrl.get(record.url);
      if (list) list.push(record);
      else this.#byUrl.set(record.url, [record]);
    }
  }
  /** The OPTIONS records that may have preceded `record` (those for the URL it started at). */
  candidatesFor(record: RequestRecord): readonly RequestRecord[] | undefined {
    return this.#byUrl.size === 0 ? undefined : this.#byUrl.get(record.redirects[0]?.url ?? record.url);
  }

  /**
   * Each record's preflight (null when none), index for index, and the preflights whose real request
   * got a response: the browser accepted those (an OPTIONS is judged on its own, cors/exchange.ts).
   */
  pair(records: readonly RequestRecord[]): { preflights: Array<RequestRecord | null>; followed: Set<RequestRecord> } {
    const followed = new Set<RequestRecord>();
    const preflights = records.map((record) => {
      const candidates = this.candidatesFor(record);
      const preflight = candidates ? findPreflightRecord(record, candidates) : null;
      if (preflight !== null && record.status !== null) followed.add(preflight);
      return preflight;
    });
    return { preflights, followed };
  }
}

function verdictsOfPairs(records: readonly RequestRecord[], options: AnalyzeOptions | undefined, judge: (record: RequestRecord, verdict: CorsVerdict, reading: RecordHeaderReading) => void): void {
  const { preflights, followed } = new PreflightIndex(records).pair(records);
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const reading = readRecordHeaders(record);
    const verdict = verdictOfRecord(record, preflights[index], options?.pageOrigin, reading, followed.has(record));
    // Page evidence (by record id) decides what the headers leave undetermined.
    const evidence = options?.evidence?.get(record.id);
    judge(record, evidence === undefined ? verdict : verdictWithEvidence(record, verdict, evidence, preflights[index] ?? null, options?.pageOrigin), reading);
  }
}

/** The verdicts analyze() gives, index for index, without the rest of its analysis (a quick first view). */
export function verdictsOf(records: readonly RequestRecord[], options?: AnalyzeOptions): CorsVerdict[] {
  const verdicts: CorsVerdict[] = [];
  verdictsOfPairs(records, options, (_record, verdict) => verdicts.push(verdict));
  return verdicts;
}

/** One report for a set of records: the input of the popup, the panel, the badge and every export. */
export function analyze(records: readonly RequestRecord[], options?: AnalyzeOptions): Report {
  const counts: ReportCounts = { total: records.length, media: 0, failing: 0, unknown: 0, notApplicable: 0, passing: 0 };
  const verdicts: RecordVerdict[] = [];
  // The state of this call: the rules' facts, built right after each verdict while the record's
  // headers are in cache, the log's page origin and what the rules share.
  const analysis = new Analysis(options);
  // Loads that ended in an error, CORS or not: the answer says a cause made them fail (a COEP block).
  const failedLoads = new Set<string>();
  verdictsOfPairs(records, options, (record, verdict, reading) => {
    verdicts.push({ recordId: record.id, verdict });
    if (record.error) failedLoads.add(record.id);
    analysis.add(record, verdict, reading);
    if (isMedia(record.media)) counts.media++;
    if (verdict.outcome === 'fail') counts.failing++;
    else if (verdict.outcome === 'unknown') counts.unknown++;
    else if (verdict.outcome === 'not-applicable') counts.notApplicable++;
    else counts.passing++;
  });
  // Each rule runs on its own: one that throws is named in ruleErrors, the rest of the report stands.
  const { findings, ruleErrors } = diagnoseAnalysis(analysis);
  return {
    schemaVersion: SCHEMA_VERSION,
    pageOrigin: analysis.pageOrigin,
    counts,
    verdicts,
    findings,
    streams: summariseStreams(records, verdicts, analysis.logFolders),
    ruleErrors,
    ...answerOf(findings, verdicts, failedLoads),
  };
}
