import type { HeaderList } from '../model.ts';
import type { Engine, RequestOrigin } from './access.ts';
import { DEPENDS_ON_ORIGIN, accessFieldsOf, checkAccess, readField } from './access.ts';
import { isHttpToken } from './safelist.ts';

/**
 * The preflight response check, in each browser's order (docs/cors-reference.md#preflight-response):
 * Chromium: redirect → CORS check (mapped to Preflight*) → ok status → parse ACAM → parse ACAH →
 * method → headers. Firefox: redirect → CORS check → ok status → ACAM → ACAH.
 */

export interface PreflightFailure {
  chromiumError: string;
  firefoxError: string | undefined;
  failedParameter: string;
  /** The value the explanation quotes (header value, method, header name, status). */
  detail: string;
}

export type PreflightResult = PreflightFailure | null | typeof DEPENDS_ON_ORIGIN;

export interface PreflightQuestion {
  method: string;
  /** Lower-cased, sorted CORS-unsafe request-header names of the actual request. */
  unsafeHeaderNames: readonly string[];
  include: boolean;
  origin: RequestOrigin;
}

/**
 * Both Chromium 156 and Firefox ESR 153 let `Authorization` through `Access-Control-Allow-Headers: *`
 * (measured by the differential test); the Fetch standard does not (step 7.6). Kept per browser so a
 * change in either is one edit.
 */
const AUTHORIZATION_COVERED_BY_WILDCARD: Record<Engine, boolean> = { chromium: true, firefox: true };

export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** Splits an Allow-* list on commas, trims OWS and drops empty elements; null if any element is not a token. */
function parseTokenList(value: string | null, lowerCase: boolean): { tokens: Set<string>; bad: null } | { tokens: null; bad: string } {
  const tokens = new Set<string>();
  if (value === null) return { tokens, bad: null };
  for (const raw of value.split(',')) {
    const element = raw.trim();
    if (element === '') continue;
    if (!isHttpToken(element)) return { tokens: null, bad: element };
    tokens.add(lowerCase ? element.toLowerCase() : element);
  }
  return { tokens, bad: null };
}

const PREFLIGHT_VARIANT: Record<string, string> = {
  WildcardOriginNotAllowed: 'PreflightWildcardOriginNotAllowed',
  MissingAllowOriginHeader: 'PreflightMissingAllowOriginHeader',
  MultipleAllowOriginValues: 'PreflightMultipleAllowOriginValues',
  InvalidAllowOriginValue: 'PreflightInvalidAllowOriginValue',
  AllowOriginMismatch: 'PreflightAllowOriginMismatch',
  InvalidAllowCredentials: 'PreflightInvalidAllowCredentials',
};

/** Judges one OPTIONS response for the actual request described by `question`. */
export function checkPreflight(
  engine: Engine,
  preflight: { status: number; headers: HeaderList },
  question: PreflightQuestion,
): PreflightResult {
  const { headers, status } = preflight;
  if (isRedirectStatus(status) && readField(headers, 'location').combined !== null) {
    return { chromiumError: 'PreflightDisallowedRedirect', firefoxError: 'CORSExternalRedirectNotAllowed', failedParameter: '', detail: String(status) };
  }
  const access = checkAccess(engine, accessFieldsOf(headers), question.include, question.origin);
  if (access === DEPENDS_ON_ORIGIN) return DEPENDS_ON_ORIGIN;
  if (access !== null) {
    return {
      chromiumError: PREFLIGHT_VARIANT[access.problem] ?? access.problem,
      firefoxError: access.firefoxKey,
      failedParameter: access.failedParameter,
      detail: access.failedParameter,
    };
  }
  if (!isOkStatus(status)) {
    return { chromiumError: 'PreflightInvalidStatus', firefoxError: 'CORSPreflightDidNotSucceed3', failedParameter: '', detail: String(status) };
  }
  const methods = parseTokenList(readField(headers, 'access-control-allow-methods').combined, false);
  if (methods.tokens === null) {
    return { chromiumError: 'InvalidAllowMethodsPreflightResponse', firefoxError: 'CORSInvalidAllowMethod', failedParameter: '', detail: methods.bad };
  }
  const allowHeaders = parseTokenList(readField(headers, 'access-control-allow-headers').combined, true);
  if (allowHeaders.tokens === null) {
    return { chromiumError: 'InvalidAllowHeadersPreflightResponse', firefoxError: 'CORSInvalidAllowHeader', failedParameter: '', detail: allowHeaders.bad };
  }
  // Method names match case-sensitively in both browsers: Chromium 156 refuses `patch` under
  // `PATCH` (measured), so its legacy upper-casing (crbug 1228178) is gone.
  const method = question.method;
  const methodAllowed =
    methods.tokens.has(method) || method === 'GET' || method === 'HEAD' || method === 'POST' || (!question.include && methods.tokens.has('*'));
  if (!methodAllowed) {
    return { chromiumError: 'MethodDisallowedByPreflightResponse', firefoxError: 'CORSMethodNotFound', failedParameter: question.method, detail: question.method };
  }
  const wildcardHeaders = !question.include && allowHeaders.tokens.has('*');
  for (const name of question.unsafeHeaderNames) {
    if (allowHeaders.tokens.has(name)) continue;
    if (wildcardHeaders && (name !== 'authorization' || AUTHORIZATION_COVERED_BY_WILDCARD[engine])) continue;
    return { chromiumError: 'HeaderDisallowedByPreflightResponse', firefoxError: 'CORSMissingAllowHeaderFromPreflight2', failedParameter: name, detail: name };
  }
  return null;
}
