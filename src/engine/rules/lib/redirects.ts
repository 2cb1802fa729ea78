/**
 * The Fetch standard's tainted origin (HTTP-redirect fetch): a redirect to another origin, from a URL
 * that was itself on another origin than the page, makes the browser send `Origin: null` from then
 * on. Shared by redirect-taints-origin (which explains it) and the rules that must leave such records
 * to it.
 */
import { originOf } from '../../headers.ts';
import type { RedirectHop } from '../../model.ts';
import type { RecordFacts } from './types.ts';

/** The first redirect hop that tainted the request's origin, or null. */
export function taintingHopOf(facts: RecordFacts, pageOrigin: string | null): RedirectHop | null {
  const page = facts.pageOrigin ?? pageOrigin;
  if (page === null) return null;
  for (const hop of facts.record.redirects) {
    const from = originOf(hop.url);
    const to = originOf(hop.redirectUrl);
    if (from !== null && to !== null && from !== to && from !== page) return hop;
  }
  return null;
}

/** The browser sent `Origin: null` after a redirect: what the page origin was is beside the point for its verdict. */
export function sentNullAfterRedirect(facts: RecordFacts): boolean {
  return facts.requestOrigin === 'null' && facts.record.redirects.length > 0;
}
