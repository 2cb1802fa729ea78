/**
 * Data contracts shared by the recorder, the engine, exports and every view (docs/architecture.md#contracts).
 * Changing a field here is a schema change: bump SCHEMA_VERSION. Adding an optional field is not
 * (readers ignore fields they do not know, and older exports simply lack it).
 */

export const SCHEMA_VERSION = 1;

/** Headers as on the wire, duplicates and order kept. Names are lower-cased by the recorder. */
export type HeaderList = Array<[name: string, value: string]>;

export type BrowserName = 'chromium' | 'firefox' | 'unknown';

/** What a media request carries, from its URL and Content-Type (src/engine/media). */
export type MediaKind =
  | 'master-playlist'
  | 'media-playlist'
  | 'playlist' // an HLS playlist whose master/media role is not known from the URL alone (index.m3u8 is either)
  | 'segment'
  | 'init-segment'
  | 'dash-manifest'
  | 'progressive' // a whole MP4/WebM file
  | 'audio'
  | 'subtitles'
  | 'key'
  | 'preflight' // an OPTIONS request the browser sent before a media request or another CORS request
  | 'cors-request' // not media: another cross-origin request the page made in CORS mode (DRM licence, key URL, playback API, beacon…)
  | 'other';

export type StreamFormat = 'hls' | 'dash' | 'progressive' | 'unknown';

export interface MediaClass {
  kind: MediaKind;
  format: StreamFormat;
  /** Container or file type when known: 'ts', 'fmp4', 'm3u8', 'mpd', 'aac', 'vtt'… */
  container?: string;
}

export interface RedirectHop {
  /** The URL that answered with the redirect. */
  url: string;
  status: number;
  /** Where the browser went next. */
  redirectUrl: string;
  headers: HeaderList;
}

export interface RequestTimings {
  /** Epoch milliseconds, as webRequest's timeStamp. */
  start: number;
  sendHeaders?: number;
  headersReceived?: number;
  responseStarted?: number;
  end?: number;
}

/** One request, correlated from all its webRequest events by requestId (or imported from a HAR). */
export interface RequestRecord {
  /** Unique within a log. For captured requests: the browser's requestId (hls.js retries get a new one). */
  id: string;
  browser: BrowserName;
  tabId: number;
  frameId: number;
  method: string;
  url: string;
  /** webRequest ResourceType ('xmlhttprequest', 'media', 'other'…) or the HAR's resource type. */
  resourceType: string;
  /** Serialized origin of the initiating document; 'null' when opaque; null when unknown. */
  pageOrigin: string | null;
  /** Full document URL when the browser reported one (Firefox documentUrl). */
  documentUrl: string | null;
  /** Request headers as sent; null when never observed. */
  requestHeaders: HeaderList | null;
  /**
   * false when the browser may have hidden headers such as Origin and Sec-Fetch-* (Chromium without
   * extraHeaders). The engine answers 'unknown' instead of guessing from an incomplete list.
   */
  requestHeadersComplete: boolean;
  /** HTTP status of the final response, null when none arrived. */
  status: number | null;
  statusLine: string | null;
  responseHeaders: HeaderList | null;
  fromCache: boolean;
  ip: string | null;
  redirects: RedirectHop[];
  /** Browser's network error string (Chromium 'net::ERR_FAILED', Firefox 'NS_ERROR_…'), null when none. */
  error: string | null;
  timings: RequestTimings;
  /** 'complete' after onCompleted, 'error' after onErrorOccurred, 'pending' while in flight. */
  state: 'pending' | 'complete' | 'error';
  media: MediaClass;
  /** Set on requests the user started from CORS Lens (re-test), so they are labelled, never confused. */
  retest?: boolean;
  /** For a re-test: the id of the record it re-tests. */
  retestOf?: string;
}

export type CorsMode = 'cors' | 'no-cors' | 'navigate' | 'same-origin' | 'unknown';
export type CredentialsMode = 'omit' | 'same-origin' | 'include' | 'unknown';

/** One request/response exchange as the Fetch standard's CORS check sees it (docs/cors-reference.md#access-check). */
export interface CorsExchange {
  pageOrigin: string | null;
  request: {
    url: string;
    method: string;
    mode: CorsMode;
    credentials: CredentialsMode;
    headers: HeaderList;
  };
  preflight?: { status: number; headers: HeaderList } | null;
  redirects?: Array<{ status: number; headers: HeaderList }>;
  response: { status: number; headers: HeaderList } | null;
  /**
   * 'cancelled': the page (or the browser) ended the request before any CORS check rejected it:
   * Chromium's net::ERR_ABORTED (with extraHeaders the CORS check runs after the extension saw the
   * headers, so a request cancelled in between got no CORS check: Chromium reports no CORS error), or
   * Firefox's NS_BINDING_ABORTED before any response and with no preflight seen (its CORS check needs
   * the response headers, which webRequest sees first) (docs/capture.md#cancelled).
   * 'local-network-blocked': Chromium's Local Network Access stopped the request before it was sent
   * (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS): no response, yet a CORS error to Chromium
   * (src/engine/cors/blocked-before-sending.ts).
   * 'blocked-by-response-policy': the response arrived and the browser then withheld it from the page
   * for a resource policy (net::ERR_BLOCKED_BY_RESPONSE, Firefox NS_ERROR_DOM_CORP_FAILED /
   * NS_ERROR_DOM_COEP_FAILED): no CORS error, but the page got nothing.
   */
  ending?: 'cancelled' | 'local-network-blocked' | 'blocked-by-response-policy';
  /**
   * The request came from the tab's top-level document (webRequest frameId 0). A frame is a secure
   * context only when every frame above it is too; unset counts as a frame.
   */
  fromTopFrame?: boolean;
}

export type CorsOutcome = 'pass' | 'fail' | 'not-applicable' | 'unknown';

export interface CorsVerdict {
  outcome: CorsOutcome;
  /** CDP Network.CorsError name, e.g. 'MissingAllowOriginHeader'. */
  chromiumError?: string;
  /** Firefox console key, e.g. 'CORSMissingAllowOrigin'. */
  firefoxError?: string;
  /** The offending value, as Chromium reports it. */
  failedParameter?: string;
  /**
   * chromiumError is inferred from what the extension saw, not settled by it (Local Network Access:
   * the page's secure context); the explanation says why and what the other name would be.
   */
  chromiumErrorInferred?: true;
  needsPreflight: boolean;
  stage?: 'preflight' | 'redirect' | 'response';
  /** One plain sentence. */
  explanation: string;
  /**
   * The explanation as a message id (and values) for other languages, where the sentence has one
   * (failures are worded from chromiumError, stage and failedParameter instead).
   */
  explanationText?: MessageRef;
  /** Set when Chromium and Firefox decide this exchange differently. */
  browserDifference?: string;
  /**
   * Set when the headers alone left the outcome undetermined and what the page saw of the request
   * decided it (src/engine/cors/inference.ts): the evidence a view shows next to the outcome.
   */
  inferred?: OutcomeEvidence;
  /**
   * The page ended the load before any CORS check ran (its ending, or, with `inferred`, its Resource
   * Timing entry shows it): outcome 'not-applicable', nothing was rejected and nothing is undetermined;
   * views say "Cancelled".
   */
  cancelled?: true;
}

/**
 * What the page itself showed of how one request ended, beyond its headers: its Resource Timing entry
 * (read on demand when a view opens, docs/capture.md#firefox-evidence) has a response status only when
 * the page could read the response.
 */
export interface OutcomeEvidence {
  source: 'resource-timing';
  /**
   * 'allowed': the page read the response. 'blocked': the page could not read a response that reached
   * it (Firefox shows the extension the received status: a CORS rejection), or got a network error for
   * two loads of the URL (a rejection, retried), or Firefox cancelled the load with its CORS error
   * NS_ERROR_DOM_BAD_URI. 'not-received': the page ended the load before the response reached it (no
   * CORS check ran). 'error-once': a single network error and nothing more, which a page cancelling the
   * load also leaves, so it decides nothing.
   */
  ending: 'allowed' | 'blocked' | 'not-received' | 'error-once';
  /** The observation itself, e.g. "Resource Timing responseStatus 200" (plain text, never translated). */
  detail: string;
}

export type Severity = 'error' | 'warning' | 'info';
export type FindingKind = 'cause' | 'risk' | 'advice';
export type Confidence = 'certain' | 'likely' | 'possible';

export interface Evidence {
  recordId: string;
  /** Header name (lower-case) or a derived fact name such as 'cache-status'. */
  name: string;
  value: string | null;
}

/**
 * A value inside a localisable text: plain text (names, URLs, header values, code: never translated),
 * a number, a nested message, or a list ("a, b and 3 more").
 */
export type MessageValue = string | number | MessageRef | MessageList;

export type MessageData = { readonly [name: string]: MessageValue };

/** A text by message id (a _locales key once `.` and `-` become `_`) and the values of its placeholders. */
export interface MessageRef {
  id: string;
  data?: MessageData;
}

/** The first items of a list and how many more were left out. */
export interface MessageList {
  items: MessageValue[];
  more: number;
}

export interface Finding {
  ruleId: string;
  cause: string;
  severity: Severity;
  kind: FindingKind;
  confidence: Confidence;
  /** In English; `messageId` and `data` say the same for other languages. */
  message: string;
  recordIds: string[];
  evidence: Evidence[];
  /** Numbered steps in English; `fixSteps` holds the same steps for other languages. */
  fix: string;
  /** `<ruleId>.<messageId>` of the rule's message template (absent in exports made before it existed). */
  messageId?: string;
  data?: MessageData;
  fixSteps?: MessageRef[];
  /**
   * What the finding is about when its rule reports one per CDN behaviour (`host /*.ext`) or per host:
   * what tells it from another finding of its cause (src/engine/scope.ts scopesOf). Kept on a card
   * drawn as its headline alone, which has no `data`. Absent when the rule names neither.
   */
  scope?: string;
  /** What each of `fixSteps` does, index for index (absent in exports made before it existed): what the merged plan is built from. */
  fixStepRoles?: FixStepRole[];
}

/**
 * The order a fix plan follows: stop the bleeding (drop what is cached wrong), prevent recurrence
 * (policy, cache key, CORS configuration), verify (the check command).
 */
export type FixStepKind = 'stop-the-bleeding' | 'prevent' | 'verify';

/** The layer a fix step changes: the browser's cache, the CDN's cache, the CDN's configuration, the origin, the page's player. */
export type FixLayer = 'browser-cache' | 'cdn-cache' | 'cdn-config' | 'origin' | 'page';

/** What one fix step does, so that steps of several findings can be merged (src/engine/plan.ts). */
export interface FixStepRole {
  kind: FixStepKind;
  layer: FixLayer;
  /**
   * What the step does, e.g. 'purge', 'edge-cors', 'origin-in-cache-key', 's3-cors', 'verify', or its
   * message id: two steps with the same action on the same targets are one step of the plan.
   */
  action: string;
  /** The paths, path patterns, buckets or URLs the step addresses (invalidation paths for 'purge'). */
  targets: string[];
  /** The CDN vendor id whose wording the step uses (a merged purge is worded for it again), null when none. */
  vendor?: string | null;
  /** scheme://host of the requests a purge addresses (vendors that purge by URL need it). */
  origin?: string | null;
  /**
   * The Origin header the purged copies were requested with, when all had the same: a vendor that keeps
   * one copy per Origin (Cloudflare) purges that copy only when the purge names it. Null when none.
   */
  requestOrigin?: string | null;
  /** The step only points at other steps ("see the other fix"): the plan leaves it out when those are in it. */
  pointer?: boolean;
}

/** One step of the merged fix plan: its text and role, and the findings it addresses. */
export interface PlanStep {
  role: FixStepRole;
  /** In English; `text` says the same for other languages. */
  english: string;
  text: MessageRef;
  /** Indexes into Report.findings of the findings this step is part of the fix of. */
  findings: number[];
}

/** Every finding's fix, merged into one ordered list without duplicates (src/engine/plan.ts). */
export interface FixPlan {
  steps: PlanStep[];
  /** The plan as numbered English lines, grouped by kind. */
  text: string;
}

/** How a finding other than the primary one relates to it. */
export type CauseRelation = 'contributing' | 'alternative';

/** The report's answer in one place: what is wrong, how sure, and why this cause was put first (src/engine/conclusion.ts). */
export interface Conclusion {
  /** 'rejected': some request was rejected; 'warning': none was, but a finding warns; 'clean': nothing to report. */
  status: 'rejected' | 'warning' | 'clean';
  /** Index into Report.findings of the primary cause; null when no finding is one. */
  primary: number | null;
  confidence: Confidence | null;
  /** How many rejected requests the primary cause explains, of all rejected. */
  explained: number;
  rejected: number;
  /** The other findings (indexes into Report.findings) and how each relates to the primary cause. */
  others: Array<{ finding: number; relation: CauseRelation }>;
  /** The conclusion in one sentence. */
  sentence: LocalisedText;
  /** Why the primary cause was put first. */
  reasoning: LocalisedText;
  /** What would decide between the primary cause and its alternatives (empty when none compete). */
  decide: LocalisedText[];
}

/** A text in English and as a message id with values for other languages. */
export interface LocalisedText {
  english: string;
  text: MessageRef;
}

export interface RecordVerdict {
  recordId: string;
  verdict: CorsVerdict;
}

export interface ReportCounts {
  total: number;
  media: number;
  failing: number;
  unknown: number;
  notApplicable: number;
  passing: number;
}

/** One stream (a playlist's folder and what lies below it) and how its requests fared. */
export interface StreamSummary {
  key: string;
  host: string;
  path: string;
  total: number;
  failing: number;
  unknown: number;
  byKind: Partial<Record<MediaKind, number>>;
}

/**
 * A rule that threw instead of finishing. Its findings are left out of the report (a rule stopped
 * half-way may have reported only part of what it saw); every other rule's findings and every verdict
 * are still there.
 */
export interface RuleError {
  ruleId: string;
  /** What was thrown, as text ('TypeError: …'): for a bug report, not for the user to act on. */
  message: string;
}

export interface Report {
  schemaVersion: number;
  /**
   * The log's page origin (src/engine/page-origin.ts pageOriginOf): options.pageOrigin, else the page
   * origin most records have (the one their capture names, else their Origin), the first named on a
   * tie; null when none is known. The rules name the same one.
   */
  pageOrigin: string | null;
  counts: ReportCounts;
  /** One verdict per record, in the order the records were given. */
  verdicts: RecordVerdict[];
  findings: Finding[];
  /** Per-stream summaries, the streams with failures first. */
  streams: StreamSummary[];
  /** Rules that threw, in the order they ran; analyze() always sets it (absent in exports made before it existed). */
  ruleErrors?: RuleError[];
  /** The answer first: the primary cause and how the others relate to it (absent in exports made before it existed). */
  conclusion?: Conclusion;
  /** Every finding's fix merged into one ordered plan (absent in exports made before it existed). */
  plan?: FixPlan;
}

export interface AnalyzeOptions {
  /**
   * Page origin to assume for records that carry none (e.g. a HAR without initiators); also the
   * log's page origin, the report's and the rules' (src/engine/page-origin.ts).
   */
  pageOrigin?: string | null;
  /**
   * What the page showed of how requests ended, by record id (src/engine/cors/inference.ts): decides
   * records whose headers alone leave the outcome undetermined.
   */
  evidence?: ReadonlyMap<string, OutcomeEvidence>;
  /**
   * The Cross-Origin-Embedder-Policy each document of the tab was served with, as the capture saw its
   * response (src/background/document-policies.ts); absent for an import, which has no documents.
   */
  documentPolicies?: readonly DocumentPolicy[];
}

/** A document's Cross-Origin-Embedder-Policy response header (main frame or a frame in it). */
export interface DocumentPolicy {
  frameId: number;
  /** The document's origin: a record of this frame with another page origin came from an earlier document. */
  origin: string;
  /** The header's value as sent (`require-corp`, `credentialless`, with parameters), null when absent. */
  embedderPolicy: string | null;
}
