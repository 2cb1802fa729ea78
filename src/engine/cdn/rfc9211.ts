/**
 * RFC 9211 `Cache-Status`, the vendor-neutral cache-status header (Netlify, some nginx and Varnish
 * setups, Cloud CDN through a custom header): the generic reading when no vendor's own header states a
 * status. Members are listed origin first, client last (RFC 9211 §2,
 * https://www.rfc-editor.org/rfc/rfc9211): the last member is the cache that answered the browser.
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

/** The member that answered the browser (the last one), or null when the value has none. */
export function lastCacheStatusMember(value: string): string | null {
  return membersOf(value).at(-1) ?? null;
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
 * The status the answering member states: `hit` (STALE when its `ttl` is negative), or why it forwarded
 * (`fwd=stale` with `fwd-status=304` is a revalidated copy). Null when the member states neither.
 */
export function rfc9211StatusOf(value: string): CacheStatus | null {
  const member = lastCacheStatusMember(value);
  if (member === null) return null;
  const parameters = parametersOf(member);
  const ttl = Number(parameters.get('ttl'));
  if (parameters.has('hit')) return Number.isFinite(ttl) && ttl < 0 ? 'STALE' : 'HIT';
  const forward = parameters.get('fwd');
  if (forward === undefined) return null;
  if (forward === 'stale' && parameters.get('fwd-status') === '304') return 'REVALIDATED';
  return FORWARD_STATUS[forward] ?? null;
}
