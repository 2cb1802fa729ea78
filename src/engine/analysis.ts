/**
 * One analysis of one log: what analyze() (or diagnose()) works out from the log and more than one
 * part reads — the rules' facts, the log's page origin, groupings the rules share — created per call
 * and dropped with it, as Lighthouse keeps its computed artifacts per run. Nothing here outlives the
 * call or reaches another one; the only state the engine keeps across calls is the memo of pure
 * functions of strings (src/engine/memo.ts).
 */
import type { AnalyzeOptions, CorsVerdict, RecordVerdict, RequestRecord } from './model.ts';
import type { RecordHeaderReading } from './record-headers.ts';
import { FactsCollector, NO_VERDICT } from './rules/lib/facts.ts';
import type { RecordFacts } from './rules/lib/types.ts';
import { logPageOrigin } from './page-origin.ts';
import { foldersOfLog, type LogFolders } from './streams.ts';

type Computation<T> = (facts: readonly RecordFacts[]) => T;

/** The folder of each record and the log's stream keys: the report's streams and RuleContext.streamOf. */
const LOG_FOLDERS: Computation<LogFolders> = (facts) => foldersOfLog(facts.map((item) => item.record));

export class Analysis {
  readonly options: AnalyzeOptions | undefined;
  readonly #collector = new FactsCollector();
  readonly #computed = new Map<Computation<unknown>, unknown>();

  constructor(options?: AnalyzeOptions) {
    this.options = options;
  }

  /** Adds the next record of the log with its verdict (`reading`: its headers as the verdict read them). */
  add(record: RequestRecord, verdict: CorsVerdict, reading?: RecordHeaderReading): void {
    this.#collector.add(record, verdict, reading);
  }

  /** One RecordFacts per record, in log order. */
  get facts(): readonly RecordFacts[] {
    return this.#collector.facts;
  }

  /** The log's page origin (src/engine/page-origin.ts): the report's, and the one the rules name. */
  get pageOrigin(): string | null {
    return logPageOrigin(this.#collector.pageOrigins, this.options);
  }

  /** `compute(facts)`, worked out on the first ask and kept for this analysis (RuleContext.computed). */
  computed<T>(compute: Computation<T>): T {
    if (this.#computed.has(compute)) return this.#computed.get(compute) as T;
    const value = compute(this.facts);
    this.#computed.set(compute, value);
    return value;
  }

  /** The stream a record belongs to, as the report's streams key it. */
  streamOf(item: RecordFacts): string | null {
    const { folders, keys } = this.logFolders;
    const where = folders[item.position];
    return where === null || where === undefined ? null : keys.keyOf(where);
  }

  /** The folders of the log's records (summariseStreams), worked out once for this analysis. */
  get logFolders(): LogFolders {
    return this.computed(LOG_FOLDERS);
  }

  #streamOfFunction: ((item: RecordFacts) => string | null) | null = null;

  /** streamOf as a function of its own (RuleContext.streamOf), made once per analysis on first ask. */
  get streamOfFunction(): (item: RecordFacts) => string | null {
    return (this.#streamOfFunction ??= (item) => this.streamOf(item));
  }
}

/**
 * An analysis of records whose verdicts were given apart (diagnose): paired by position when
 * `verdicts` is in record order, as analyze gives it, else by id; a record without one gets
 * 'unknown' and is never flagged.
 */
export function analysisOfVerdicts(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[], options?: AnalyzeOptions): Analysis {
  let byId: Map<string, CorsVerdict> | null = null;
  const verdictOf = (record: RequestRecord, index: number): CorsVerdict => {
    const aligned = verdicts[index];
    if (aligned !== undefined && aligned.recordId === record.id) return aligned.verdict;
    if (byId === null) {
      byId = new Map();
      for (const { recordId, verdict } of verdicts) byId.set(recordId, verdict);
    }
    return byId.get(record.id) ?? NO_VERDICT;
  };
  const analysis = new Analysis(options);
  for (let index = 0; index < records.length; index++) analysis.add(records[index]!, verdictOf(records[index]!, index));
  return analysis;
}
