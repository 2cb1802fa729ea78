import type { HeaderList } from '../model.ts';
import { Memo } from '../memo.ts';

/**
 * Request-side CORS rules: which methods and request headers force a preflight
 * (Fetch "CORS-safelisted request-header", Chromium cors.cc IsCorsSafelistedHeader and
 * cors_util.cc CorsUnsafeNotForbiddenRequestHeaderNames; docs/cors-reference.md#preflight-needed).
 */

/** Chromium upper-cases before comparing (IsCorsSafelistedMethod); Firefox compares case-insensitively too. */
export function isSafelistedMethod(method: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'POST') return true;
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' || upper === 'POST';
}

/** Headers scripts cannot set: the browser adds them, so they never force a preflight. */
const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'access-control-request-private-network', 'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt',
  'expect', 'host', 'keep-alive', 'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding',
  'upgrade', 'via',
  // Not forbidden by the spec, but Chromium ignores a script-set User-Agent and always adds its own; a
  // captured list always has it, so it must not count as an author header.
  'user-agent',
]);

/**
 * Headers a captured request carries that the browser, not the page, added: DevTools' "disable cache"
 * and reloads add Cache-Control/Pragma, revalidation adds the conditionals (Chromium skips these when
 * revalidating), HTTP/2-era Chromium adds Priority. Counting them would invent preflights.
 */
const BROWSER_ADDED_HEADERS: ReadonlySet<string> = new Set([
  'cache-control', 'pragma', 'priority', 'if-none-match', 'if-modified-since', 'x-client-data',
]);

function isForbiddenOrBrowserAdded(lowerName: string): boolean {
  return (
    FORBIDDEN_REQUEST_HEADERS.has(lowerName) ||
    BROWSER_ADDED_HEADERS.has(lowerName) ||
    lowerName.startsWith('sec-') ||
    lowerName.startsWith('proxy-')
  );
}

/** A request header name as written: lower-cased, and whether the browser (not the page) owns it. */
export interface NameClass {
  readonly lowerName: string;
  readonly ignored: boolean;
}

/** What a request header name is to the safelist (memoised: names repeat on every record). */
const NAME_CLASSES = new Memo<NameClass>((name) => {
  const lowerName = name.toLowerCase();
  return Object.freeze({ lowerName, ignored: isForbiddenOrBrowserAdded(lowerName) });
});

export function classOfRequestHeaderName(name: string): NameClass {
  return NAME_CLASSES.get(name);
}

/** CORS-unsafe request-header byte: controls other than HTAB, `"():<>?@[\]{}` and DEL (Fetch). */
function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
    switch (code) {
      case 0x22: case 0x28: case 0x29: case 0x3a: case 0x3c: case 0x3e: case 0x3f: case 0x40:
      case 0x5b: case 0x5c: case 0x5d: case 0x7b: case 0x7d:
        return true;
    }
  }
  return false;
}

/** Accept-Language / Content-Language: only 0-9 A-Z a-z, space and `*,-.;=`. */
function isLanguageValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const alnum = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    if (!alnum && code !== 0x20 && code !== 0x2a && code !== 0x2c && code !== 0x2d && code !== 0x2e && code !== 0x3b && code !== 0x3d) {
      return false;
    }
  }
  return true;
}

const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isHttpToken(value: string): boolean {
  return TOKEN_CHARS.test(value);
}

const SAFELISTED_CONTENT_TYPES: ReadonlySet<string> = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** `value` without trailing SP/HTAB, scanned by hand (`/[ \t]+$/` retries from every blank of a run). */
function withoutTrailingSpaceOrTab(value: string): string {
  let end = value.length;
  while (end > 0 && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  return value.slice(0, end);
}

/**
 * Content-Type: no unsafe byte and the essence (type/subtype before `;`) is one of three. Chromium's
 * ParseMimeTypeWithoutParameter wants two tokens split by exactly one `/`, so `text /plain` fails.
 */
function isSafelistedContentType(value: string): boolean {
  const lower = value.toLowerCase();
  if (hasUnsafeByte(lower)) return false;
  const semicolon = lower.indexOf(';');
  const essence = withoutTrailingSpaceOrTab(semicolon === -1 ? lower : lower.slice(0, semicolon));
  const slash = essence.indexOf('/');
  if (slash === -1) return false;
  const type = essence.slice(0, slash);
  const subtype = essence.slice(slash + 1);
  if (!isHttpToken(type) || !isHttpToken(subtype)) return false;
  return SAFELISTED_CONTENT_TYPES.has(essence);
}

/**
 * Range: exactly one `bytes=N-` or `bytes=N-M` (N ≤ M), no whitespace, no suffix range. The unit is
 * case-sensitive: Chromium 156 preflights `Bytes=0-` (measured; reading the source suggested otherwise,
 * docs/cors-reference.md#safelist), and Firefox's ParseSingleRangeRequest wants "bytes" as written.
 * Both parse the positions as 64-bit integers (Chromium int64, Firefox uint64): a position that does
 * not fit fails the parse and the header needs a preflight. Chromium's bound is taken: Chromium 156
 * also preflights a position of exactly 2^63 − 1 (measured by test/e2e/cors-differential), so its
 * largest safelisted position is 2^63 − 2; Firefox safelists up to 2^64 − 1 (the two differ only far
 * beyond any file). Positions compare exactly.
 */
const SINGLE_RANGE = /^bytes=(\d+)-(\d*)$/;
const MAX_POSITION = 9_223_372_036_854_775_806n;
function isSafelistedRange(value: string): boolean {
  const match = SINGLE_RANGE.exec(value);
  if (!match) return false;
  // Digits only, at most 128 characters (checked before): BigInt parses them exactly.
  const start = BigInt(match[1]!);
  if (start > MAX_POSITION) return false;
  const end = match[2];
  if (end === undefined || end === '') return true;
  const last = BigInt(end);
  return last <= MAX_POSITION && start <= last;
}

const DOUBLE_LIKE = /^\d+(\.\d+)?$/;
const INT_LIKE = /^\d+$/;

/** Is this one (name, value) pair CORS-safelisted in Chromium 156? `lowerName` must be lower-case. */
export function isSafelistedHeader(lowerName: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (lowerName) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value);
    case 'content-type':
      return isSafelistedContentType(value);
    case 'range':
      return isSafelistedRange(value);
    // Chromium extras: the intervention header and client hints with a checked value format.
    case 'intervention':
      return true;
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return DOUBLE_LIKE.test(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return INT_LIKE.test(value);
    case 'ect':
      return true;
    case 'save-data':
      return value.toLowerCase() === 'on';
    default:
      return false;
  }
}

/** Total bytes of safelisted header values above which every safelisted name needs approval too. */
const SAFELIST_VALUE_TOTAL_MAX = 1024;

/**
 * The CORS-unsafe request-header names of an author header list, gathered one header at a time
 * (so a caller reading the list for other headers too needs one pass): give it every header the
 * page set (not the `ignored` ones), then ask for the names.
 */
export class UnsafeHeaderNames {
  #unsafe: string[] | null = null;
  #safelistedBytes = 0;

  add(lowerName: string, value: string): void {
    if (isSafelistedHeader(lowerName, value)) this.#safelistedBytes += value.length;
    else (this.#unsafe ??= []).push(lowerName);
  }

  /**
   * Lower-cased, sorted, deduplicated. `headers` is the list given to `add`: read again only when
   * the safelisted values are too long in total (rare), which makes their names unsafe too.
   */
  names(headers: HeaderList): string[] {
    let unsafe = this.#unsafe;
    if (this.#safelistedBytes > SAFELIST_VALUE_TOTAL_MAX) {
      for (let index = 0; index < headers.length; index++) {
        const header = headers[index]!;
        const { lowerName, ignored } = classOfRequestHeaderName(header[0]);
        if (!ignored && isSafelistedHeader(lowerName, header[1])) (unsafe ??= []).push(lowerName);
      }
    }
    if (unsafe === null) return [];
    return unsafe.length === 1 ? unsafe : [...new Set(unsafe)].sort();
  }
}

/**
 * The CORS-unsafe request-header names (lower-cased, sorted, deduplicated) of an author header
 * list: what goes into `Access-Control-Request-Headers` and what ACAH must allow.
 */
export function corsUnsafeHeaderNames(headers: HeaderList): string[] {
  const unsafe = new UnsafeHeaderNames();
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index]!;
    const { lowerName, ignored } = classOfRequestHeaderName(header[0]);
    if (!ignored) unsafe.add(lowerName, header[1]);
  }
  return unsafe.names(headers);
}

/** Does this request need a preflight (Chromium NeedsCorsPreflight without forced preflights)? */
export function requestNeedsPreflight(method: string, unsafeHeaderNames: readonly string[]): boolean {
  return !isSafelistedMethod(method) || unsafeHeaderNames.length > 0;
}
