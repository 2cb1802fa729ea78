import type { Confidence, CorsMode, CorsVerdict, Evidence, FindingKind, MessageData, MessageRef, RequestRecord, Severity } from '../../model.ts';
import type { CdnFacts } from '../../cdn/index.ts';

/** Facts a rule may need; diagnose() skips a rule whose facts no record has. */
export type FactName = 'verdict' | 'request-headers' | 'cdn' | 'cache-status' | 'pop' | 'timing';

export type RuleCategory = 'cors' | 'cache' | 'cdn';

export interface RuleMeta {
  /** Kebab-case, equal to the file name. */
  id: string;
  /** Stable cause id of DESIGN §4 (causes table). */
  cause: string;
  category: RuleCategory;
  kind: FindingKind;
  severity: Severity;
  title: string;
  /** Why it matters, ending in a "Learn more" link. */
  description: string;
  /** messageId → template with {{placeholders}}. */
  messages: Readonly<Record<string, string>>;
  /** Fragments and fix steps of this rule's messages: name → English template, addressed as `rule.<id>.<name>`. */
  texts?: Readonly<Record<string, string>>;
  requires: readonly FactName[];
}

/** The part of a file name that says what a request carries. */
export type FileKind = 'playlist' | 'segment' | 'other';

/** One record with everything the rules read about it, computed once per diagnose() call. */
export interface RecordFacts {
  readonly record: RequestRecord;
  readonly verdict: CorsVerdict;
  /** Index of the record in the log diagnose() was given (keeps cross-record lists in log order). */
  readonly position: number;
  readonly cdn: CdnFacts;
  /**
   * The request carried Origin and the verdict engine treats it as CORS (any outcome but
   * 'not-applicable'). Only a 'fail' verdict is ever flagged; 'unknown' ones (e.g. ACAO "*" with
   * credentials not visible) still count as evidence of what the server sends.
   */
  isCorsRequest: boolean;
  /** A CORS request whose response carried ACAO and that the browser did not reject. */
  corsHeadersOk: boolean;
  /** An OPTIONS request with Origin and Access-Control-Request-Method. */
  isPreflight: boolean;
  /** The method is OPTIONS (any letter case). */
  isOptions: boolean;
  requestOrigin: string | null;
  requestMode: CorsMode;
  fileKind: FileKind;
  /** Lower-case file extension of the URL path, e.g. 'ts', 'm3u8'. */
  extension: string | null;
  host: string | null;
  /** URL path without the query. */
  path: string | null;
  /** Every Access-Control-Allow-Origin line of the response. */
  allowOrigin: readonly string[];
  /** Lower-cased tokens of every Vary line of the response. */
  readonly varyTokens: readonly string[];
  /**
   * What a CDN behaviour most likely matches on: host plus file extension (`/*.ts`, `/*.m3u8`), the way
   * distributions split playlists from segments; null without a host.
   */
  readonly behaviorKey: string | null;
  /** A CORS request the browser rejected because the final response had no ACAO. */
  failedWithoutAllowOrigin: boolean;
  /** Seconds since epoch when the cached copy was made (request start minus Age), null when unknown. */
  filledAt: number | null;
  /**
   * The response came from the browser's own HTTP cache: the browser said so (fromCache), or it is the
   * very response an earlier request of the same URL got (same x-amz-cf-id, or same Date, Age and ETag).
   * Chromium reports fromCache: false for a cached response it then blocks for CORS, so the second
   * signal is the one that catches that case.
   */
  fromBrowserCache: boolean;
  /** The earlier record whose stored response this one reused, when identified as above. */
  browserCopyOf: RecordFacts | null;
}

export interface RuleReport {
  messageId: string;
  data: Readonly<Record<string, string | number>>;
  recordIds: readonly string[];
  evidence: readonly Evidence[];
  confidence: Confidence;
  fix: string;
  /** The same message and fix as ids and values, for other languages (lib/localised.ts builds it). */
  localised?: { data: MessageData; fixSteps: readonly MessageRef[] };
  /** Overrides meta.severity / meta.kind for this finding (e.g. a risk that already broke something). */
  severity?: Severity;
  kind?: FindingKind;
}

export interface RuleContext {
  readonly facts: readonly RecordFacts[];
  /** The page origin most records came from (or the one given in options). */
  readonly pageOrigin: string | null;
  /** Records grouped by the stream they belong to (master playlist directory → variants → segments). */
  streamOf(facts: RecordFacts): string;
  report(report: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
