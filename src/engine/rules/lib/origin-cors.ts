/**
 * The boundary between origin-without-cors and the CDN path rule, worked out once per analysis: on
 * which hosts did any response to a CORS request (a preflight included) carry
 * Access-Control-Allow-Origin? A host that never did is an origin without CORS (origin-without-cors
 * speaks, CDN in front or not); on a host that does somewhere, a CDN path that never does is the
 * path's problem (cdn-path-never-sends-cors).
 */
import type { RecordFacts, RuleContext } from './types.ts';

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
