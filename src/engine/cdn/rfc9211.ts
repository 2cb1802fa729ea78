/**
 * RFC 9211 `Cache-Status`, the vendor-neutral cache-status header (Netlify, some nginx and Varnish
 * setups, Cloud CDN through a custom header): the generic reading when no vendor's own header states a
 * status. Members are listed origin first, client last (RFC 9211 §2,
 * https://www.rfc-editor.org/rfc/rfc9211): the last member is the cache that answered the browser, and
 * one that forwarded the request got the response from the member before it.
 * Parameters (§2.1–2.8): `hit`; `fwd` = bypass | method | uri-miss | vary-miss | miss | request |
 * stale | partial; `fwd-status`; `ttl` (negative: stale); `stored`; `collapsed`; `key`; `detail`.
 */
import type { CacheStatus } from './vendors.ts';

/** The members of a Cache-Status value, split at commas outside quoted strings. */
function membersOf(value: string): string[] {
  const members: string[] = [];
  let current = '';
  let quoted = false;
  for (let at = 0; at < value.length; at++) {
    const char = value[at]!;
    if (char === '\\' && quoted && at + 1 < value.length) {
      current += char + value[++at]!;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      members.push(current.trim());
      current = '';
    } else current += char;
  }
  members.push(current.trim());
  return members.filter((member) => member !== '');
}

/**
 * The member whose state the response is: the last one (the cache that answered the browser), unless it
 * forwarded the request and a cache nearer the origin, reached through caches that all forwarded it
 * too, had a hit (a shield or parent tier): then the response is that cache's stored copy (`behind`).
 * Null when the value has no member.
 */
function answeringMember(value: string): { member: string; behind: boolean } | null {
  const members = membersOf(value);
  const last = members.at(-1);
  if (last === undefined) return null;
  if (forwardedAfterMiss(parametersOf(last))) {
    for (let at = members.length - 2; at >= 0; at--) {
      const parameters = parametersOf(members[at]!);
      if (parameters.has('hit')) return { member: members[at]!, behind: true };
      if (!parameters.has('fwd')) break;
    }
  }
  return { member: last, behind: false };
}

/** The member a list shows for a Cache-Status value (answeringMember), or null when it has none. */
export function answeringCacheStatusMember(value: string): string | null {
  return answeringMember(value)?.member ?? null;
}

/** A member that forwarded the request for want of a usable copy (not one that revalidated its own copy). */
function forwardedAfterMiss(parameters: Map<string, string>): boolean {
  if (parameters.has('hit')) return false;
  const forward = parameters.get('fwd');
  return forward !== undefined && !(forward === 'stale' && parameters.get('fwd-status') === '304');
}

/** One member's parameters, lower-cased names; a bare parameter (`hit`) maps to ''. */
function parametersOf(member: string): Map<string, string> {
  const parameters = new Map<string, string>();
  // The cache name comes first (a token or a quoted string); parameters follow after ';'.
  const nameEnd = member.startsWith('"') ? member.indexOf('"', 1) + 1 : 0;
  for (const part of member.slice(nameEnd).split(';').slice(1)) {
    const [name, ...rest] = part.split('=');
    const key = name!.trim().toLowerCase();
    if (key !== '') parameters.set(key, rest.join('=').trim().replace(/^"|"$/g, '').toLowerCase());
  }
  return parameters;
}

const FORWARD_STATUS: Readonly<Record<string, CacheStatus>> = {
  bypass: 'BYPASS',
  method: 'BYPASS',
  request: 'BYPASS',
  'uri-miss': 'MISS',
  'vary-miss': 'MISS',
  miss: 'MISS',
  partial: 'MISS',
  stale: 'EXPIRED',
};

/**
 * The status the answering member states (answeringMember): `hit` (STALE when its `ttl` is
 * negative; HIT_REGIONAL when it is a tier behind the last cache), or why it forwarded (`fwd=stale`
 * with `fwd-status=304` is a revalidated copy). Null when the member states neither.
 */
export function rfc9211StatusOf(value: string): CacheStatus | null {
  const answering = answeringMember(value);
  if (answering === null) return null;
  const parameters = parametersOf(answering.member);
  const ttl = Number(parameters.get('ttl'));
  if (parameters.has('hit')) {
    if (Number.isFinite(ttl) && ttl < 0) return 'STALE';
    return answering.behind ? 'HIT_REGIONAL' : 'HIT';
  }
  const forward = parameters.get('fwd');
  if (forward === undefined) return null;
  if (forward === 'stale' && parameters.get('fwd-status') === '304') return 'REVALIDATED';
  return FORWARD_STATUS[forward] ?? null;
}
