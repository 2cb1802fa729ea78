import type { CorsMode, CorsVerdict, RequestRecord } from '../../model.ts';
import type { CdnFacts } from '../../cdn/index.ts';
import { headerValue, isHeaderNamed } from '../../headers.ts';
import { fileKindOf } from '../../media/classify.ts';
import { requestModeOf } from '../../cors/index.ts';
import { responseIdOf, sharedCdnFactsOf } from '../../cdn/facts.ts';
import type { RecordHeaderReading } from '../../record-headers.ts';
import { readRecordHeaders } from '../../record-headers.ts';
import { Memo } from '../../memo.ts';
import { PageOriginTally, recordPageOrigin } from '../../page-origin.ts';
import type { FileKind, RecordFacts } from './types.ts';

/** Stands in for a missing verdict; identity-compared by the runner. */
export const NO_VERDICT: CorsVerdict = { outcome: 'unknown', needsPreflight: false, explanation: 'No verdict was given for this record.' };

interface UrlParts {
  host: string | null;
  path: string | null;
  extension: string | null;
  origin: string | null;
}

const NO_URL_PARTS: UrlParts = { host: null, path: null, extension: null, origin: null };

function parsedUrlParts(url: string): UrlParts {
  try {
    const parsed = new URL(url);
    const name = parsed.pathname.slice(parsed.pathname.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    return { host: parsed.host, path: parsed.pathname, extension: dot === -1 ? null : name.slice(dot + 1).toLowerCase(), origin: parsed.origin };
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

/** A URL directory's host, path and origin as the URL parser gives them (frozen); null when it does not parse. */
function parsedDirectory(directory: string): { readonly host: string; readonly path: string; readonly origin: string } | null {
  try {
    const parsed = new URL(directory);
    return Object.freeze({ host: parsed.host, path: parsed.pathname, origin: parsed.origin });
  } catch {
    return null;
  }
}

/** URL directories parsed (an LL-HLS log has 100 000 URLs in a few dozen directories). */
const DIRECTORIES = new Memo(parsedDirectory);

/**
 * Host, path and extension of a URL, parsing each directory once. An http(s) URL whose last path
 * segment the parser would keep unchanged has the path of its directory plus that segment; anything
 * else goes through `new URL` whole.
 */
function urlPartsOf(url: string): UrlParts {
  const authorityStart = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (authorityStart === -1) return parsedUrlParts(url);
  const query = url.indexOf('?');
  const fragment = url.indexOf('#');
  const end = query === -1 ? (fragment === -1 ? url.length : fragment) : fragment === -1 ? query : Math.min(query, fragment);
  const slash = end === 0 ? -1 : url.lastIndexOf('/', end - 1);
  if (slash < authorityStart) return parsedUrlParts(url);
  const name = url.slice(slash + 1, end);
  if (!isPlainSegment(name)) return parsedUrlParts(url);
  const directory = DIRECTORIES.get(url.slice(0, slash + 1));
  if (directory === null || !directory.path.endsWith('/')) return parsedUrlParts(url);
  const dot = name.lastIndexOf('.');
  // The origin is the authority's, which the directory shares with the URL.
  return { host: directory.host, path: directory.path + name, extension: dot === -1 ? null : name.slice(dot + 1).toLowerCase(), origin: directory.origin };
}

/** The path pattern a CDN behaviour for files of this extension has (`/*.ts`); `/*` without one. */
export function pathPatternOfExtension(extension: string | null): string {
  return extension === null ? '/*' : `/*.${extension}`;
}

/** Stands for "no extension" in BEHAVIOR_KEYS: an extension never contains '/'. */
const NO_EXTENSION = '/';

/**
 * Behavior keys by host, then extension: one string per pair, shared by the records of a log (the
 * rules group 100 000 records by it; a fresh string per record would be built and hashed each time).
 */
const BEHAVIOR_KEYS = new Memo((host) => new Memo((extension) => `${host} ${pathPatternOfExtension(extension === NO_EXTENSION ? null : extension)}`));

/** What a CDN behaviour most likely matches on: host plus file extension (`/*.ts`, `/*.m3u8`). */
function behaviorKeyOf(host: string, extension: string | null): string {
  return BEHAVIOR_KEYS.get(host).get(extension ?? NO_EXTENSION);
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
 * Everything the rules read about one record, computed once per analysis and shared by every
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
  readonly pageOrigin: string | null;
  readonly fileKind: FileKind;
  readonly host: string | null;
  readonly path: string | null;
  readonly extension: string | null;
  readonly urlOrigin: string | null;
  readonly allowOrigin: readonly string[];
  readonly corsHeadersOk: boolean;
  readonly failedWithoutAllowOrigin: boolean;
  filledAt: number | null;
  fromBrowserCache: boolean;
  browserCopyOf: RecordFacts | null = null;
  #behaviorKey: string | null | undefined;
  #responseIdentity: string | null | undefined;

  constructor(record: RequestRecord, verdict: CorsVerdict, position: number, reading: RecordHeaderReading) {
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
    // The verdict already says whether CORS applies (no-cors, navigate, same-origin → 'not-applicable');
    // a CORS request the page cancelled before the check is still one.
    const isCorsRequest = requestOrigin !== null && (verdict.outcome !== 'not-applicable' || verdict.cancelled === true);
    this.isCorsRequest = isCorsRequest;
    this.isPreflight = isPreflight;
    this.isOptions = isOptions;
    this.requestOrigin = requestOrigin;
    this.pageOrigin = recordPageOrigin(record, requestOrigin);
    this.fileKind = fileKindOf(record.media);
    const parts = urlPartsOf(record.url);
    this.host = parts.host;
    this.path = parts.path;
    this.extension = parts.extension;
    this.urlOrigin = parts.origin;
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
 * Facts of a log built one record at a time, in log order — so analyze can build a record's facts
 * right after its verdict, while its headers are still in the CPU cache (100 000 records are
 * hundreds of MB; a second pass over them reads them all from memory again).
 */
export class FactsCollector {
  readonly facts: RecordFacts[] = [];
  /** The page origins of the records so far (the log's page origin is the one most named). */
  readonly pageOrigins = new PageOriginTally();
  // URL → the records that got a response for it from the network, one per distinct response
  // (most URLs of a media log are fetched once, so identities are worked out only for repeats).
  readonly #fetchedByUrl = new Map<string, Facts | Facts[]>();

  /** `reading`: the record's headers as its verdict read them (read here when not given). */
  add(record: RequestRecord, verdict: CorsVerdict, reading: RecordHeaderReading = readRecordHeaders(record)): RecordFacts {
    const current = new Facts(record, verdict, this.facts.length, reading);
    this.facts.push(current);
    this.pageOrigins.add(current.pageOrigin);
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
    else if (source.record.timings.start <= record.timings.start && isStoredCopyOf(current, source)) current.markBrowserCopyOf(source);
    return current;
  }
}

/**
 * Whether a response that looks the very same as an earlier one of its URL is the browser's stored
 * copy of it. A per-response id (x-amz-cf-id, cf-ray…) or the browser's own fromCache says so. Equal
 * headers alone (Date, Age, ETag) also fit a second fetch of one CDN copy within the same second, so
 * they are not taken for a copy of a response the browser rejected for CORS: Chromium goes back to
 * the network after such a rejection, and Firefox, which reuses it, reports fromCache
 * (docs/capture.md#events). A copy of a response the browser did not reject (a no-cors fetch, another
 * origin's allowed one) is still recognised by its headers: Chromium reports fromCache: false when
 * it then rejects that copy.
 */
function isStoredCopyOf(current: Facts, source: Facts): boolean {
  if (current.record.fromCache || current.responseIdentity?.startsWith(HEADERS_IDENTITY) !== true) return true;
  return !(source.isCorsRequest && source.verdict.outcome === 'fail');
}

/** The start of an identity made of headers every response has (no per-response id). */
const HEADERS_IDENTITY = 'headers ';

/**
 * What identifies one stored HTTP response: a cache layer's per-response id (responseIdOf:
 * x-amz-cf-id, X-Varnish, cf-ray…, so two hits on one cached object stay two answers), else Date +
 * Age + ETag (a new fetch through a CDN gets a later Date or a larger Age). Null when the response has none.
 */
function responseIdentityOf(record: RequestRecord): string | null {
  const headers = record.responseHeaders;
  if (!headers || record.status === null) return null;
  const cacheId = responseIdOf(headers);
  if (cacheId !== null) return cacheId;
  let date: string | null = null;
  let age = '';
  let etag = '';
  let pop = '';
  for (const [name, value] of headers) {
    if (date === null && isHeaderNamed(name, 'date')) date = value;
    else if (age === '' && isHeaderNamed(name, 'age')) age = value;
    else if (etag === '' && isHeaderNamed(name, 'etag')) etag = value;
    else if (pop === '' && isHeaderNamed(name, 'x-amz-cf-pop')) pop = value;
  }
  return date === null ? null : `${HEADERS_IDENTITY}date ${date} age ${age} etag ${etag} pop ${pop}`;
}

/** True when the URL is on the page's own origin (CORS does not apply). */
export function isSameOrigin(facts: RecordFacts, pageOrigin: string | null): boolean {
  const origin = facts.pageOrigin ?? pageOrigin;
  return origin !== null && facts.urlOrigin === origin;
}
