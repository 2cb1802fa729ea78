import type { HeaderList } from '../model.ts';
import { isHeaderNamed } from '../headers.ts';

/**
 * The CORS check of one response (Fetch "CORS check"), in each browser's order:
 * Chromium network::cors::CheckAccess and Firefox nsCORSListenerProxy::CheckRequestApproved
 * (docs/cors-reference.md#access-check, #firefox-order).
 */

export type Engine = 'chromium' | 'firefox';

/** Which rule an access check broke. Named after Chromium's CorsError (non-preflight form). */
export type AccessProblem =
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials';

export interface AccessFailure {
  problem: AccessProblem;
  /** Firefox's console key for the same response. */
  firefoxKey: string;
  /** What Chromium puts in CorsErrorStatus.failedParameter. */
  failedParameter: string;
}

/** The check could not be decided: it depends on the page origin, which is unknown. */
export const DEPENDS_ON_ORIGIN = 'depends-on-origin';
export type AccessResult = AccessFailure | null | typeof DEPENDS_ON_ORIGIN;

/** The request's serialized origin; null when the page origin is not known. */
export type RequestOrigin = string | null;

/** An HTTP stack strips leading and trailing SP/HTAB from a field value. */
function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start++;
  while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

export interface HeaderField {
  /** Value lines, trimmed, in wire order. */
  lines: string[];
  /** The lines joined the way Chromium's GetNormalizedHeader joins them (", "); null when absent. */
  combined: string | null;
}

const ABSENT: HeaderField = { lines: [], combined: null };

function fieldOf(lines: string[] | null): HeaderField {
  if (lines === null) return ABSENT;
  return { lines, combined: lines.length === 1 ? (lines[0] as string) : lines.join(', ') };
}

/** One header's lines and combined value. `lowerName` must be lower-case. */
export function readField(headers: HeaderList, lowerName: string): HeaderField {
  let lines: string[] | null = null;
  for (const [name, value] of headers) if (isHeaderNamed(name, lowerName)) (lines ??= []).push(trimHttpWhitespace(value));
  return fieldOf(lines);
}

/** Does GURL accept this value? The WHATWG parser agrees with GURL on what ACAO values look like. */
function parsesAsUrl(value: string): boolean {
  return URL.canParse(value);
}

/** Could this value be some origin's serialization? (Only then can the unknown page origin matter.) */
function looksLikeSerializedOrigin(value: string): boolean {
  if (value === 'null') return true;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

function failure(problem: AccessProblem, firefoxKey: string, failedParameter: string): AccessFailure {
  return { problem, firefoxKey, failedParameter };
}

/** Chromium's sub-classification of an ACAO value that is not the request origin. */
function classifyMismatch(value: string): AccessFailure {
  if (value.includes(' ') || value.includes(',')) {
    return failure('MultipleAllowOriginValues', 'CORSAllowOriginNotMatchingOrigin', value);
  }
  if (value === 'null') return failure('AllowOriginMismatch', 'CORSAllowOriginNotMatchingOrigin', value);
  if (!parsesAsUrl(value)) return failure('InvalidAllowOriginValue', 'CORSAllowOriginNotMatchingOrigin', value);
  return failure('AllowOriginMismatch', 'CORSAllowOriginNotMatchingOrigin', value);
}

/** Chromium CheckAccess: wildcard, missing, mismatch (multiple / null / invalid / other), credentials. */
function checkAccessChromium(allowOrigin: HeaderField, allowCredentials: HeaderField, include: boolean, origin: RequestOrigin): AccessResult {
  const value = allowOrigin.combined;
  if (value === '*') {
    return include ? failure('WildcardOriginNotAllowed', 'CORSNotSupportingCredentials', '') : null;
  }
  if (value === null) return failure('MissingAllowOriginHeader', 'CORSMissingAllowOrigin2', '');
  if (origin === null) {
    if (looksLikeSerializedOrigin(value)) return DEPENDS_ON_ORIGIN;
    return classifyMismatch(value);
  }
  if (value !== origin) {
    const mismatch = classifyMismatch(value);
    // Firefox counts header lines: two lines is its own key (docs/cors-reference.md#firefox-order, step 5).
    if (allowOrigin.lines.length > 1) mismatch.firefoxKey = 'CORSMultipleAllowOriginNotAllowed';
    return mismatch;
  }
  if (include && allowCredentials.combined !== 'true') {
    return failure('InvalidAllowCredentials', 'CORSMissingAllowCredentials', allowCredentials.combined ?? '');
  }
  return null;
}

/** Firefox CheckRequestApproved: line count, missing, wildcard+credentials, mismatch, credentials. */
function checkAccessFirefox(allowOrigin: HeaderField, allowCredentials: HeaderField, include: boolean, origin: RequestOrigin): AccessResult {
  if (allowOrigin.lines.length > 1) {
    return failure('MultipleAllowOriginValues', 'CORSMultipleAllowOriginNotAllowed', allowOrigin.combined ?? '');
  }
  const value = allowOrigin.combined;
  if (value === null) return failure('MissingAllowOriginHeader', 'CORSMissingAllowOrigin2', '');
  if (include && value === '*') return failure('WildcardOriginNotAllowed', 'CORSNotSupportingCredentials', '');
  if (include || value !== '*') {
    if (origin === null) {
      if (looksLikeSerializedOrigin(value)) return DEPENDS_ON_ORIGIN;
      return classifyMismatch(value);
    }
    if (value !== origin) return classifyMismatch(value);
  }
  if (include && allowCredentials.combined !== 'true') {
    return failure('InvalidAllowCredentials', 'CORSMissingAllowCredentials', allowCredentials.combined ?? '');
  }
  return null;
}

/** The two fields the CORS check reads of a response. */
export interface AccessFields {
  allowOrigin: HeaderField;
  allowCredentials: HeaderField;
}

/** ACAO and ACAC of one response, read once (a response is checked per browser and per credentials mode). */
export function accessFieldsOf(headers: HeaderList): AccessFields {
  let allowOrigin: string[] | null = null;
  let allowCredentials: string[] | null = null;
  for (const [name, value] of headers) {
    if (isHeaderNamed(name, 'access-control-allow-origin')) (allowOrigin ??= []).push(trimHttpWhitespace(value));
    else if (isHeaderNamed(name, 'access-control-allow-credentials')) (allowCredentials ??= []).push(trimHttpWhitespace(value));
  }
  return { allowOrigin: fieldOf(allowOrigin), allowCredentials: fieldOf(allowCredentials) };
}

/**
 * accessFieldsOf from the ACAO and ACAC lines as on the wire (in order), for a caller that gathered
 * them while reading the headers for something else.
 */
export function accessFieldsOfLines(allowOrigin: readonly string[], allowCredentials: readonly string[]): AccessFields {
  return { allowOrigin: fieldOfWireLines(allowOrigin), allowCredentials: fieldOfWireLines(allowCredentials) };
}

function fieldOfWireLines(lines: readonly string[]): HeaderField {
  if (lines.length === 0) return ABSENT;
  if (lines.length === 1) {
    const line = trimHttpWhitespace(lines[0]!);
    return { lines: [line], combined: line };
  }
  return fieldOf(lines.map(trimHttpWhitespace));
}

/** The CORS check of one response's fields, as the given browser runs it. */
export function checkAccess(engine: Engine, fields: AccessFields, include: boolean, origin: RequestOrigin): AccessResult {
  const allowOrigin = fields.allowOrigin;
  const allowCredentials = include ? fields.allowCredentials : ABSENT;
  return engine === 'chromium'
    ? checkAccessChromium(allowOrigin, allowCredentials, include, origin)
    : checkAccessFirefox(allowOrigin, allowCredentials, include, origin);
}
