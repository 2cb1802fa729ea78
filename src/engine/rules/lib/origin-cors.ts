/**
 * The boundary between origin-without-cors and the CDN path rule, worked out once per diagnosis: on
 * which hosts did any response to a CORS request (a preflight included) carry
 * Access-Control-Allow-Origin? A host that never did is an origin without CORS (origin-without-cors
 * speaks, CDN in front or not); on a host that does somewhere, a CDN path that never does is the
 * path's problem (cdn-path-never-sends-cors).
 */
import type { RecordFacts } from './types.ts';

/** Where the set is kept: on the facts list itself, like corsRequestsByBehavior's groups. */
const HOSTS_ANSWERING_CORS = Symbol('hostsAnsweringCors');
type FactsWithHosts = readonly RecordFacts[] & { [HOSTS_ANSWERING_CORS]?: ReadonlySet<string> };

/** A request the browser sent with Origin: a CORS request or its preflight. */
export function isCorsExchange(facts: RecordFacts): boolean {
  return facts.requestOrigin !== null && (facts.isCorsRequest || facts.isPreflight);
}

export function hostsAnsweringCors(facts: readonly RecordFacts[]): ReadonlySet<string> {
  const list = facts as FactsWithHosts;
  let hosts = list[HOSTS_ANSWERING_CORS];
  if (hosts === undefined) {
    const found = new Set<string>();
    for (let index = 0; index < facts.length; index++) {
      const item = facts[index]!;
      if (item.host !== null && item.allowOrigin.length > 0 && isCorsExchange(item)) found.add(item.host);
    }
    hosts = found;
    // A frozen list (a caller's own) cannot carry the cache: then each rule works it out itself.
    if (Object.isExtensible(list)) (list as { [HOSTS_ANSWERING_CORS]?: ReadonlySet<string> })[HOSTS_ANSWERING_CORS] = hosts;
  }
  return hosts;
}
