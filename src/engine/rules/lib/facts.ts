import type { AnalyzeOptions, CorsVerdict, RecordVerdict, RequestRecord } from '../../model.ts';
import { headerValue, headerValues, originOf } from '../../headers.ts';
import { isPlaylist } from '../../media/classify.ts';
import { exchangeFromRecord } from '../../cors/index.ts';
import { cdnFactsOf } from '../../cdn/index.ts';
import type { FileKind, RecordFacts } from './types.ts';

/** Stands in for a missing verdict; identity-compared by the runner. */
export const NO_VERDICT: CorsVerdict = { outcome: 'unknown', needsPreflight: false, explanation: 'No verdict was given for this record.' };

function fileKindOf(record: RequestRecord): FileKind {
  if (isPlaylist(record.media)) return 'playlist';
  switch (record.media.kind) {
    case 'segment':
    case 'init-segment':
    case 'audio':
    case 'subtitles':
    case 'key':
    case 'progressive':
      return 'segment';
    default:
      return 'other';
  }
}

function urlParts(url: string): { host: string | null; path: string | null; extension: string | null } {
  try {
    const parsed = new URL(url);
    const name = parsed.pathname.slice(parsed.pathname.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    return { host: parsed.host, path: parsed.pathname, extension: dot === -1 ? null : name.slice(dot + 1).toLowerCase() };
  } catch {
    return { host: null, path: null, extension: null };
  }
}

function filledAtOf(record: RequestRecord, age: number | null, servedFromCache: boolean | null): number | null {
  if (record.timings.start > 0) return record.timings.start / 1000 - (servedFromCache === true ? (age ?? 0) : 0);
  // Without a request time, a cached response's Date header still says when the origin made it.
  const date = headerValue(record.responseHeaders, 'date');
  const parsed = date === null ? Number.NaN : Date.parse(date);
  return Number.isNaN(parsed) ? null : parsed / 1000;
}

/** Everything the rules read about one record. */
export function factsOf(record: RequestRecord, verdict: CorsVerdict): RecordFacts {
  const cdn = cdnFactsOf(record.responseHeaders, record.method);
  // A copy from the browser's own cache carries the CDN headers of whenever it was first fetched:
  // they say nothing about the CDN's cache at the time of this request.
  if (record.fromCache) cdn.servedFromCache = null;
  const requestOrigin = headerValue(record.requestHeaders, 'origin');
  const isPreflight =
    record.method.toUpperCase() === 'OPTIONS' && requestOrigin !== null && headerValue(record.requestHeaders, 'access-control-request-method') !== null;
  const allowOrigin = headerValues(record.responseHeaders, 'access-control-allow-origin');
  // The verdict already says whether CORS applies (no-cors, navigate, same-origin → 'not-applicable').
  const isCorsRequest = requestOrigin !== null && verdict.outcome !== 'not-applicable';
  return {
    record,
    verdict,
    cdn,
    isCorsRequest,
    isPreflight,
    requestOrigin,
    get requestMode() {
      // Read lazily: only messages about non-CORS requests name the mode, and it costs a full exchange.
      return exchangeFromRecord(record).request.mode;
    },
    fileKind: fileKindOf(record),
    ...urlParts(record.url),
    allowOrigin,
    corsHeadersOk: isCorsRequest && verdict.outcome !== 'fail' && allowOrigin.length > 0,
    failedWithoutAllowOrigin:
      isCorsRequest &&
      !isPreflight &&
      record.method.toUpperCase() !== 'OPTIONS' &&
      verdict.outcome === 'fail' &&
      verdict.stage !== 'preflight' &&
      allowOrigin.length === 0 &&
      record.responseHeaders !== null,
    filledAt: filledAtOf(record, cdn.age, cdn.servedFromCache),
  };
}

/** Pairs records with their verdicts by id; a record without one gets 'unknown' and is never flagged. */
export function factsOfAll(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[]): RecordFacts[] {
  const byId = new Map<string, CorsVerdict>();
  for (const { recordId, verdict } of verdicts) byId.set(recordId, verdict);
  return records.map((record) => factsOf(record, byId.get(record.id) ?? NO_VERDICT));
}

/** The page origin most records came from, unless the caller gave one. */
export function pageOriginOf(facts: readonly RecordFacts[], options?: AnalyzeOptions): string | null {
  if (options?.pageOrigin) return options.pageOrigin;
  const tally = new Map<string, number>();
  for (const { record, requestOrigin } of facts) {
    const origin = record.pageOrigin ?? requestOrigin;
    if (origin) tally.set(origin, (tally.get(origin) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [origin, count] of tally) if (best === null || count > (tally.get(best) ?? 0)) best = origin;
  return best;
}

/** True when the URL is on the page's own origin (CORS does not apply). */
export function isSameOrigin(facts: RecordFacts, pageOrigin: string | null): boolean {
  const origin = facts.record.pageOrigin ?? pageOrigin;
  return origin !== null && originOf(facts.record.url) === origin;
}
