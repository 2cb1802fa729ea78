import type { AnalyzeOptions, CorsMode, CorsVerdict, RecordVerdict, RequestRecord } from '../../model.ts';
import type { CdnFacts } from '../../cdn/index.ts';
import { headerValue, originOf } from '../../headers.ts';
import { isPlaylist } from '../../media/classify.ts';
import { requestModeOf } from '../../cors/index.ts';
import { sharedCdnFactsOf } from '../../cdn/facts.ts';
import { isHeaderNamed } from '../../cors/header-names.ts';
import type { RecordHeaderReading } from '../../record-headers.ts';
import { readRecordHeaders } from '../../record-headers.ts';
import type { FileKind, RecordFacts } from './types.ts';
import { isMemoKey } from '../../bounds.ts';

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

interface UrlParts {
  host: string | null;
  path: string | null;
  extension: string | null;
}

const NO_URL_PARTS: UrlParts = { host: null, path: null, extension: null };

function parsedUrlParts(url: string): UrlParts {
  try {
    const parsed = new URL(url);
    const name = parsed.pathname.slice(parsed.pathname.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    return { host: parsed.host, path: parsed.pathname, extension: dot === -1 ? null : name.slice(dot + 1).toLowerCase() };
  } catch {
    return NO_URL_PARTS;
  }
}

/** A last path segment the URL parser keeps as it is: unreserved and sub-delims only, no '%', not a dot segment. */
function isPlainSegment(name: string): boolean {
  if (name === '.' || name === '..') return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const alnum = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    if (alnum) continue;
    switch (code) {
      case 0x2d: case 0x2e: case 0x5f: case 0x7e: // - . _ ~
      case 0x21: case 0x24: case 0x26: case 0x27: case 0x28: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x3b: case 0x3d: // ! $ & ' ( ) * + , ; =
      case 0x3a: case 0x40: // : @
        continue;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Host, path and extension of URLs, parsing each directory once: an LL-HLS log has 100 000 URLs in a
 * few dozen directories. An http(s) URL whose last path segment the parser would keep unchanged has
 * the path of its directory plus that segment; anything else goes through `new URL` whole.
 */
/** Parsed directories, shared across diagnoses (bounded: past the limit a directory is parsed each time). */
const DIRECTORIES = new Map<string, { host: string; path: string } | null>();
const DIRECTORIES_LIMIT = 4096;

export class UrlPartsReader {

  of(url: string): UrlParts {
    const authorityStart = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
    if (authorityStart === -1) return parsedUrlParts(url);
    const query = url.indexOf('?');
    const fragment = url.indexOf('#');
    const end = query === -1 ? (fragment === -1 ? url.length : fragment) : fragment === -1 ? query : Math.min(query, fragment);
    const slash = end === 0 ? -1 : url.lastIndexOf('/', end - 1);
    if (slash < authorityStart) return parsedUrlParts(url);
    const name = url.slice(slash + 1, end);
    if (!isPlainSegment(name)) return parsedUrlParts(url);
    const key = url.slice(0, slash + 1);
    let directory = DIRECTORIES.get(key);
    if (directory === undefined) {
      try {
        const parsed = new URL(key);
        directory = { host: parsed.host, path: parsed.pathname };
      } catch {
        directory = null;
      }
      if (DIRECTORIES.size < DIRECTORIES_LIMIT && isMemoKey(key)) DIRECTORIES.set(key, directory);
    }
    if (directory === null || !directory.path.endsWith('/')) return parsedUrlParts(url);
    const dot = name.lastIndexOf('.');
    return { host: directory.host, path: directory.path + name, extension: dot === -1 ? null : name.slice(dot + 1).toLowerCase() };
  }
}

function filledAtOf(record: RequestRecord, age: number | null, servedFromCache: boolean | null): number | null {
  if (record.timings.start > 0) return record.timings.start / 1000 - (servedFromCache === true ? (age ?? 0) : 0);
  // Without a request time, a cached response's Date header still says when the origin made it.
  const date = headerValue(record.responseHeaders, 'date');
  const parsed = date === null ? Number.NaN : Date.parse(date);
  return Number.isNaN(parsed) ? null : parsed / 1000;
}

function isOptionsMethod(method: string): boolean {
  return method === 'OPTIONS' || (method !== 'GET' && method.toUpperCase() === 'OPTIONS');
}

/**
 * Everything the rules read about one record, computed once per diagnose() call and shared by every
 * rule (a class, not a literal: the lazy mode getter lives on the prototype).
 */
class Facts implements RecordFacts {
  readonly record: RequestRecord;
  readonly verdict: CorsVerdict;
  readonly position: number;
  readonly cdn: CdnFacts;
  readonly varyTokens: readonly string[];
  readonly isCorsRequest: boolean;
  readonly isPreflight: boolean;
  readonly isOptions: boolean;
  readonly requestOrigin: string | null;
  readonly fileKind: FileKind;
  readonly host: string | null;
  readonly path: string | null;
  readonly extension: string | null;
  readonly allowOrigin: readonly string[];
  readonly corsHeadersOk: boolean;
  readonly failedWithoutAllowOrigin: boolean;
  filledAt: number | null;
  fromBrowserCache: boolean;
  browserCopyOf: RecordFacts | null = null;
  #behaviorKey: string | null | undefined;
  #responseIdentity: string | null | undefined;

  constructor(record: RequestRecord, verdict: CorsVerdict, position: number, urls: UrlPartsReader, reading: RecordHeaderReading) {
    this.record = record;
    this.verdict = verdict;
    this.position = position;
    // Read once (shared with the verdict), used by every fact below; not kept (only what the rules read stays alive).
    const headers = reading.received;
    const cdn = sharedCdnFactsOf(headers, record.method);
    this.varyTokens = headers.varyTokens;
    // A copy from the browser's own cache carries the CDN headers of whenever it was first fetched:
    // they say nothing about the CDN's cache at the time of this request.
    if (record.fromCache) cdn.servedFromCache = null;
    this.cdn = cdn;
    const requestOrigin = reading.sent.origin;
    const requestMethod = reading.sent.accessControlRequestMethod;
    const isOptions = isOptionsMethod(record.method);
    const isPreflight = isOptions && requestOrigin !== null && requestMethod !== null;
    const allowOrigin = headers.allowOrigin;
    // The verdict already says whether CORS applies (no-cors, navigate, same-origin → 'not-applicable').
    const isCorsRequest = requestOrigin !== null && verdict.outcome !== 'not-applicable';
    this.isCorsRequest = isCorsRequest;
    this.isPreflight = isPreflight;
    this.isOptions = isOptions;
    this.requestOrigin = requestOrigin;
    this.fileKind = fileKindOf(record);
    const parts = urls.of(record.url);
    this.host = parts.host;
    this.path = parts.path;
    this.extension = parts.extension;
    this.allowOrigin = allowOrigin;
    this.corsHeadersOk = isCorsRequest && verdict.outcome !== 'fail' && allowOrigin.length > 0;
    this.failedWithoutAllowOrigin =
      isCorsRequest &&
      !isPreflight &&
      !isOptions &&
      verdict.outcome === 'fail' &&
      verdict.stage !== 'preflight' &&
      allowOrigin.length === 0 &&
      record.responseHeaders !== null;
    this.filledAt = filledAtOf(record, cdn.age, cdn.servedFromCache);
    this.fromBrowserCache = record.fromCache;
  }

  /** Marks this record's response as the browser's stored copy of `source`'s response. */
  markBrowserCopyOf(source: RecordFacts): void {
    this.fromBrowserCache = true;
    this.browserCopyOf = source;
    // As for fromCache: the CDN headers describe the earlier fetch, not this request.
    this.cdn.servedFromCache = null;
    this.filledAt = null;
  }

  /** Read lazily: only messages about non-CORS requests name the mode. */
  get requestMode(): CorsMode {
    return requestModeOf(this.record);
  }

  /** What identifies the stored HTTP response this record got (responseIdentityOf), worked out once. */
  get responseIdentity(): string | null {
    let identity = this.#responseIdentity;
    if (identity === undefined) this.#responseIdentity = identity = responseIdentityOf(this.record);
    return identity;
  }

  get behaviorKey(): string | null {
    if (this.#behaviorKey === undefined) this.#behaviorKey = this.host === null ? null : behaviorKeyOf(this.host, this.extension);
    return this.#behaviorKey;
  }
}

/**
 * Behaviour keys by host, then extension: one string per pair, shared by the records of a log (the
 * rules group 100 000 records by it; a fresh string per record would be built and hashed each time).
 * Bounded: past the limit keys are built each time (same values).
 */
const BEHAVIOR_KEYS = new Map<string, Map<string, string>>();
const BEHAVIOR_KEYS_LIMIT = 1024;
/** Stands for "no extension" in BEHAVIOR_KEYS: an extension never contains '/'. */
const NO_EXTENSION = '/';

function behaviorKeyOf(host: string, extension: string | null): string {
  let byExtension = BEHAVIOR_KEYS.get(host);
  if (byExtension === undefined) {
    byExtension = new Map();
    if (BEHAVIOR_KEYS.size < BEHAVIOR_KEYS_LIMIT && isMemoKey(host)) BEHAVIOR_KEYS.set(host, byExtension);
  }
  let key = byExtension.get(extension ?? NO_EXTENSION);
  if (key === undefined) {
    key = `${host} ${extension === null ? '/*' : `/*.${extension}`}`;
    if (byExtension.size < BEHAVIOR_KEYS_LIMIT && (extension === null || isMemoKey(extension))) byExtension.set(extension ?? NO_EXTENSION, key);
  }
  return key;
}

/**
 * Pairs records with their verdicts (by position when `verdicts` is in record order, as analyze gives
 * it; else by id); a record without one gets 'unknown' and is never flagged.
 */
export function factsOfAll(records: readonly RequestRecord[], verdicts: readonly RecordVerdict[]): RecordFacts[] {
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
  const collector = new FactsCollector();
  for (let index = 0; index < records.length; index++) collector.add(records[index]!, verdictOf(records[index]!, index));
  return collector.facts;
}

/**
 * Facts of a log built one record at a time, in log order — so analyze can build a record's facts
 * right after its verdict, while its headers are still in the CPU cache (100 000 records are
 * hundreds of MB; a second pass over them reads them all from memory again).
 */
export class FactsCollector {
  readonly facts: RecordFacts[] = [];
  readonly #urls = new UrlPartsReader();
  // URL → the records that got a response for it from the network, one per distinct response
  // (most URLs of a media log are fetched once, so identities are worked out only for repeats).
  readonly #fetchedByUrl = new Map<string, Facts | Facts[]>();

  /** `reading`: the record's headers as its verdict read them (read here when not given). */
  add(record: RequestRecord, verdict: CorsVerdict, reading: RecordHeaderReading = readRecordHeaders(record)): RecordFacts {
    const current = new Facts(record, verdict, this.facts.length, this.#urls, reading);
    this.facts.push(current);
    if (record.responseHeaders === null || record.status === null) return current;
    const earlier = this.#fetchedByUrl.get(record.url);
    if (earlier === undefined) {
      this.#fetchedByUrl.set(record.url, current);
      return current;
    }
    const list = Array.isArray(earlier) ? earlier : [earlier];
    if (list !== earlier) this.#fetchedByUrl.set(record.url, list);
    const identity = current.responseIdentity;
    const source = identity === null ? undefined : list.find((candidate) => candidate.responseIdentity === identity);
    if (source === undefined) list.push(current);
    else if (source.record.timings.start <= record.timings.start) current.markBrowserCopyOf(source);
    return current;
  }
}

/**
 * What identifies one stored HTTP response: CloudFront's per-response id, else Date + Age + ETag
 * (a new fetch through a CDN gets a later Date or a larger Age). Null when the response has none.
 */
function responseIdentityOf(record: RequestRecord): string | null {
  const headers = record.responseHeaders;
  if (!headers || record.status === null) return null;
  let cloudFrontId: string | null = null;
  let date: string | null = null;
  let age = '';
  let etag = '';
  let pop = '';
  for (const [name, value] of headers) {
    if (cloudFrontId === null && isHeaderNamed(name, 'x-amz-cf-id')) cloudFrontId = value;
    else if (date === null && isHeaderNamed(name, 'date')) date = value;
    else if (age === '' && isHeaderNamed(name, 'age')) age = value;
    else if (etag === '' && isHeaderNamed(name, 'etag')) etag = value;
    else if (pop === '' && isHeaderNamed(name, 'x-amz-cf-pop')) pop = value;
  }
  if (cloudFrontId !== null) return `cf-id ${cloudFrontId}`;
  return date === null ? null : `date ${date} age ${age} etag ${etag} pop ${pop}`;
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
