/**
 * A preflight answered from a CDN cache with an answer made for another request (another origin,
 * method or headers): preflight-cached-at-cdn explains it, and allow-origin-mismatch leaves it alone.
 */
import { headerValue } from '../../headers.ts';
import { credentialsModeOf } from '../../cors/index.ts';
import type { RecordFacts } from './types.ts';

/** What a cached preflight answer gets wrong for this request. */
export type Misfit = 'origin' | 'method' | 'headers';

/** Lower-cased tokens of a comma-separated header (every line). */
export function tokensOf(facts: RecordFacts, name: string, from: 'request' | 'response'): string[] {
  const value = headerValue(from === 'request' ? facts.record.requestHeaders : facts.record.responseHeaders, name);
  return (value ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
}

const SAFELISTED_METHODS: ReadonlySet<string> = new Set(['get', 'head', 'post']);

/** Why a cached preflight answer does not fit the request it answered, or nothing when it does. */
export function misfitsOf(facts: RecordFacts): Misfit[] {
  const misfits: Misfit[] = [];
  const wildcardAllowed = credentialsModeOf(facts.record) !== 'include';
  const allowOrigin = facts.allowOrigin[0]?.trim();
  if (allowOrigin !== undefined && allowOrigin !== facts.requestOrigin && !(allowOrigin === '*' && wildcardAllowed)) misfits.push('origin');
  const method = (headerValue(facts.record.requestHeaders, 'access-control-request-method') ?? '').trim().toLowerCase();
  const allowedMethods = tokensOf(facts, 'access-control-allow-methods', 'response');
  if (method !== '' && !SAFELISTED_METHODS.has(method) && !allowedMethods.includes(method) && !(wildcardAllowed && allowedMethods.includes('*'))) misfits.push('method');
  const allowedHeaders = tokensOf(facts, 'access-control-allow-headers', 'response');
  const requested = tokensOf(facts, 'access-control-request-headers', 'request');
  // `*` never covers Authorization (Fetch: CORS non-wildcard request-header name).
  const uncovered = requested.filter((name) => !allowedHeaders.includes(name) && !(wildcardAllowed && allowedHeaders.includes('*') && name !== 'authorization'));
  if (uncovered.length > 0) misfits.push('headers');
  return misfits;
}

/** A preflight answered from the CDN's cache (its own cache status says Hit) that does not fit. */
export function isMisfitCachedPreflight(facts: RecordFacts): boolean {
  return facts.isPreflight && facts.cdn.servedFromCache === true && facts.allowOrigin.length > 0 && misfitsOf(facts).length > 0;
}

