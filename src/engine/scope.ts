/**
 * What tells apart findings of one cause (a rule reports one finding per CDN behaviour or host): a
 * leaf of its own, since the popup's cards need it and the popup does not load the conclusion's code
 * (test/ui/popup-graph.test.ts).
 */
import type { Finding } from './model.ts';

/** What a finding is about: its CDN behaviour (`host /*.ext`), its host, or what its rule gave (`host HTTP 404`); null when none. */
function scopeOf(finding: Finding): string | null {
  return finding.scope ?? null;
}

/**
 * For each finding, what tells it from the other findings of its cause (a rule reports one finding per
 * CDN behaviour, host, or host and status, and two cards with one title read as a repeat): what
 * follows the host (a path pattern, `HTTP 404`) when they share a host, else the whole scope. Null for
 * a finding alone with its cause, or without a scope.
 */
export function scopesOf(findings: readonly Finding[]): Array<string | null> {
  const scopesByCause = new Map<string, Set<string>>();
  for (const finding of findings) {
    const scope = scopeOf(finding);
    if (scope === null) continue;
    const scopes = scopesByCause.get(finding.cause);
    if (scopes) scopes.add(scope);
    else scopesByCause.set(finding.cause, new Set([scope]));
  }
  return findings.map((finding) => {
    const scope = scopeOf(finding);
    const scopes = scopesByCause.get(finding.cause);
    if (scope === null || scopes === undefined || scopes.size < 2) return null;
    const hosts = new Set([...scopes].map((each) => each.split(' ')[0]));
    const path = scope.slice(scope.indexOf(' ') + 1);
    return hosts.size === 1 && scope.includes(' ') ? path : scope;
  });
}
