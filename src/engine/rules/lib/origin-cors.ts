/**
 * The boundary between origin-without-cors and the CDN path rule, worked out once per analysis: on
 * which hosts did any response to a CORS request (a preflight included) carry
 * Access-Control-Allow-Origin? A host that never did is an origin without CORS (origin-without-cors
 * speaks, CDN in front or not); on a host that does somewhere, a CDN path that never does is the
 * path's problem (cdn-path-never-sends-cors).
 */
import type { RecordFacts, RuleContext } from './types.ts';
import { originOf } from '../../headers.ts';

/** A request the browser sent with Origin: a CORS request or its preflight. */
export function isCorsExchange(facts: RecordFacts): boolean {
  return facts.requestOrigin !== null && (facts.isCorsRequest || facts.isPreflight);
}

/** The hosts that answered some CORS request with Access-Control-Allow-Origin, worked out once per analysis. */
export function hostsAnsweringCors(context: Pick<RuleContext, 'computed'>): ReadonlySet<string> {
  return context.computed(findHostsAnsweringCors);
}

function findHostsAnsweringCors(facts: readonly RecordFacts[]): ReadonlySet<string> {
  const found = new Set<string>();
  for (let index = 0; index < facts.length; index++) {
    const item = facts[index]!;
    if (item.host !== null && item.allowOrigin.length > 0 && isCorsExchange(item)) found.add(item.host);
  }
  return found;
}

/**
 * A cached copy whose ACAO is another page's exact origin: the origin echoes the Origin it is sent, so
 * the copy was made for that page and reused for this one (an origin without CORS sends no ACAO at
 * all, and a typo is no serialized origin). `pageOrigin` stands in for a request without Origin.
 */
export function isEchoForAnotherOrigin(facts: RecordFacts, pageOrigin: string | null): boolean {
  if (facts.cdn.servedFromCache !== true || facts.allowOrigin.length !== 1) return false;
  const value = facts.allowOrigin[0]!.trim();
  return value !== '*' && value !== 'null' && originOf(value) === value && value !== (facts.requestOrigin ?? pageOrigin);
}
