import type { Confidence, CorsMode, FixStepRole, CorsVerdict, DocumentPolicy, Evidence, FindingKind, MessageData, MessageRef, RequestRecord, Severity } from '../../model.ts';
import type { CdnFacts } from '../../cdn/index.ts';
import type { FileKind } from '../../media/classify.ts';
import type { LookedFor } from './looked-for.ts';

/**
 * Facts a rule may need; diagnose() skips a rule whose facts no record has. 'rejection': some record's
 * verdict is a rejection (outcome 'fail'), for rules that only ever report rejected records.
 */
export type FactName = 'verdict' | 'request-headers' | 'cdn' | 'cache-status' | 'pop' | 'timing' | 'rejection';

export type RuleCategory = 'cors' | 'cache' | 'cdn';

export interface RuleMeta {
  /** Kebab-case, equal to the file name. */
  id: string;
  /** Stable cause id (docs/causes.md). */
  cause: string;
  category: RuleCategory;
  /** The line of the "looked for" list (shown when nothing is found) that covers this rule (looked-for.ts). */
  lookedFor: LookedFor;
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
  /**
   * Its 'certain' rests on what is on the wire (a header, a request), not on the browser's verdict, so
   * rows whose verdict was inferred do not lower it (confidenceOfRows, docs/rules/index.md#confidence).
   */
  certainFromHeaders?: true;
}

/** What a request carries (src/engine/media/classify.ts fileKindOf). */
export type { FileKind };

/** One record with everything the rules read about it, computed once per analysis (src/engine/analysis.ts). */
export interface RecordFacts {
  readonly record: RequestRecord;
  readonly verdict: CorsVerdict;
  /** Index of the record in the log diagnose() was given (keeps cross-record lists in log order). */
  readonly position: number;
  readonly cdn: CdnFacts;
  /**
   * The request carried Origin and the verdict engine treats it as CORS (any outcome but
   * 'not-applicable', or a request cancelled before its check). Only a 'fail' verdict is ever flagged; 'unknown' ones (e.g. ACAO "*" with
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
  /**
   * The page origin this record's verdict was judged against (src/engine/page-origin.ts
   * recordPageOrigin): the one its capture names, else its Origin; null when neither says. Rules
   * fall back to the log's (RuleContext.pageOrigin).
   */
  readonly pageOrigin: string | null;
  requestMode: CorsMode;
  fileKind: FileKind;
  /** Lower-case file extension of the URL path, e.g. 'ts', 'm3u8'. */
  extension: string | null;
  host: string | null;
  /** URL path without the query. */
  path: string | null;
  /** The URL's origin as `new URL(url).origin` gives it (headers.ts originOf), null when the URL does not parse. */
  readonly urlOrigin: string | null;
  /** Every Access-Control-Allow-Origin line of the response. */
  allowOrigin: readonly string[];
  /** Lower-cased tokens of every Vary line of the response. */
  readonly varyTokens: readonly string[];
  /** What a CDN behaviour most likely matches on, host plus path pattern (lib/facts.ts behaviorKeyOf), null without a host. */
  readonly behaviorKey: string | null;
  /** A CORS request the browser rejected because the final response had no ACAO. */
  failedWithoutAllowOrigin: boolean;
  /** Seconds since epoch when the cached copy was made (request start minus Age), null when unknown. */
  filledAt: number | null;
  /**
   * The response came from the browser's own HTTP cache: the browser said so (fromCache), or it is the
   * very response an earlier request of the same URL got (same x-amz-cf-id, or same Date, Age and ETag
   * when the earlier one was not rejected for CORS: lib/facts.ts, isStoredCopyOf). Chromium reports
   * fromCache: false for a cached response it then blocks for CORS, so the second signal is the one
   * that catches that case.
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
  localised?: { data: MessageData; fixSteps: readonly MessageRef[]; fixStepRoles?: readonly FixStepRole[]; scope?: string };
  /** Overrides meta.severity / meta.kind for this finding (e.g. a risk that already broke something). */
  severity?: Severity;
  kind?: FindingKind;
}

export interface RuleContext {
  readonly facts: readonly RecordFacts[];
  /** The log's page origin, the report's `pageOrigin` (src/engine/page-origin.ts pageOriginOf). */
  readonly pageOrigin: string | null;
  /**
   * The stream a record belongs to, as the report's streams key it (src/engine/streams.ts: a
   * playlist's folder and what lies below it); null outside any stream.
   */
  streamOf(facts: RecordFacts): string | null;
  /**
   * `compute(facts)`, worked out once per analysis and shared by every rule that asks for the same
   * function (Lighthouse's computed artifacts): groupings several rules read. The result belongs to
   * the analysis: rules read it and never change it.
   */
  computed<T>(compute: (facts: readonly RecordFacts[]) => T): T;
  /** The documents' embedder policies the capture saw (AnalyzeOptions.documentPolicies); empty when none was seen. */
  readonly documentPolicies: readonly DocumentPolicy[];
  report(report: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
