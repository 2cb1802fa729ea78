import type { CorsExchange, CorsVerdict } from '../model.ts';
import { headerValues, originOf } from '../headers.ts';

/**
 * The browser's CORS decision for one exchange (Fetch standard "CORS check").
 * This is the foundation's access check on the final response; preflight and redirects are judged
 * by the complete engine.
 */
export function evaluateCors(exchange: CorsExchange): CorsVerdict {
  const { request, pageOrigin } = exchange;
  const needsPreflight = false;
  if (request.mode === 'no-cors' || request.mode === 'navigate' || request.mode === 'same-origin') {
    return { outcome: 'not-applicable', needsPreflight, explanation: 'Not a CORS request: the browser sent no Origin, so no CORS headers are needed.' };
  }
  const targetOrigin = originOf(request.url);
  if (pageOrigin !== null && targetOrigin !== null && pageOrigin === targetOrigin) {
    return { outcome: 'not-applicable', needsPreflight, explanation: 'Same-origin request: CORS does not apply.' };
  }
  if (request.mode === 'unknown') {
    return { outcome: 'unknown', needsPreflight, explanation: 'The request headers that tell a CORS request from a no-cors one were not visible.' };
  }
  if (exchange.response === null) {
    return { outcome: 'unknown', needsPreflight, explanation: 'No response headers were seen, so the CORS check cannot be judged.' };
  }
  const allowOrigin = headerValues(exchange.response.headers, 'access-control-allow-origin');
  if (allowOrigin.length === 0) {
    return {
      outcome: 'fail',
      chromiumError: 'MissingAllowOriginHeader',
      firefoxError: 'CORSMissingAllowOrigin',
      needsPreflight,
      stage: 'response',
      explanation: `The response has no Access-Control-Allow-Origin header, so the browser hides it from the page at ${pageOrigin ?? 'its origin'}.`,
    };
  }
  const value = allowOrigin.join(',').trim();
  if (allowOrigin.length > 1 || value.includes(',')) {
    return {
      outcome: 'fail',
      chromiumError: 'MultipleAllowOriginValues',
      firefoxError: 'CORSMultipleAllowOriginNotAllowed',
      failedParameter: allowOrigin.join(', '),
      needsPreflight,
      stage: 'response',
      explanation: 'The response carries more than one Access-Control-Allow-Origin value; browsers accept exactly one.',
    };
  }
  if (value === '*') {
    if (request.credentials === 'include') {
      return {
        outcome: 'fail',
        chromiumError: 'WildcardOriginNotAllowed',
        firefoxError: 'CORSNotSupportingCredentials',
        failedParameter: '*',
        needsPreflight,
        stage: 'response',
        explanation: 'Access-Control-Allow-Origin is "*" but the request carries credentials, which requires the exact origin.',
      };
    }
    return { outcome: 'pass', needsPreflight, explanation: 'Access-Control-Allow-Origin is "*", which any origin passes without credentials.' };
  }
  if (value === pageOrigin) {
    return { outcome: 'pass', needsPreflight, explanation: 'Access-Control-Allow-Origin matches the page origin.' };
  }
  return {
    outcome: 'fail',
    chromiumError: 'AllowOriginMismatch',
    firefoxError: 'CORSAllowOriginNotMatchingOrigin',
    failedParameter: value,
    needsPreflight,
    stage: 'response',
    explanation: `Access-Control-Allow-Origin is "${value}", which does not match the page origin ${pageOrigin ?? '(unknown)'}.`,
  };
}
