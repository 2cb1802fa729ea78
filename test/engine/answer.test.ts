/**
 * The answer first (src/engine/conclusion.ts, src/engine/plan.ts): on every golden scenario the
 * primary cause its story names and the plan's step kinds, written from the story; a property test
 * over mixed logs that the plan never holds two identical steps or commands and covers every step of
 * every finding it takes steps from.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import type { Finding, FixPlan, FixStepKind, FixStepRole, MessageRef, RequestRecord } from '../../src/engine/model.ts';
import { coveringPaths, planOf, quotesStep, targetsCovered } from '../../src/engine/plan.ts';
import { purgeRef } from '../../src/engine/cdn/fixes.ts';
import { englishCatalogue } from '../../src/engine/rules/lib/localised.ts';
import { catalogueLookup } from '../../src/engine/rules/lib/text.ts';
import { RULE_LIST } from '../../src/engine/rules/index.ts';
import { SCENARIOS } from './scenarios/scenarios.ts';
import { corsRequest, makeRecord, makeRecords, noCorsRequest } from './rules/support/make-record.ts';
import { CAUSE_TEXT } from '../../src/engine/conclusion.ts';
import { scopesOf } from '../../src/engine/scope.ts';

const S = 'stop-the-bleeding';
const P = 'prevent';
const V = 'verify';

/**
 * Per scenario, from its story: the primary cause (null: nothing to fix), the plan's step kinds in
 * order, and which other causes are alternatives (same layer, same rejected requests) or contributing.
 */
const EXPECTED: Record<string, { primary: string | null; kinds: FixStepKind[]; alternatives?: string[]; contributing?: string[] }> = {
  // A copy filled without Origin: invalidate it, key on Origin or answer CORS at the edge, bucket CORS, check.
  'cdn-cache-poisoned': { primary: 'cdn-cache-poisoned', kinds: [S, P, P, P, V] },
  'origin-not-forwarded': { primary: 'origin-not-forwarded', kinds: [S, P, P, P, V] },
  // No CDN: nothing cached to purge; the bucket's CORS, where it is documented, the check.
  'origin-without-cors': { primary: 'origin-without-cors', kinds: [P, P, V] },
  'preflight-rejected': { primary: 'preflight-rejected', kinds: [P, P, P, P, P, P] },
  'error-without-cors': { primary: 'error-without-cors', kinds: [P, P] },
  // The stale copies are also copies without CORS: the poisoned-copy story is the alternative, and its
  // steps (key on Origin, edge CORS, bucket CORS) replace the stale rule's "see the other fix" pointer.
  'stale-cache-after-change': { primary: 'stale-cache-after-change', kinds: [S, P, P, P, V], alternatives: ['cdn-cache-poisoned'] },
  'duplicate-acao': { primary: 'duplicate-acao', kinds: [P, P] },
  'wildcard-with-credentials': { primary: 'wildcard-with-credentials', kinds: [P, P, P] },
  // The browser's own cache: no CDN step; a hard reload is the check.
  'browser-cache-reuse': { primary: 'browser-cache-reuse', kinds: [P, P, V] },
  // One POP's copy differs (likely) over the possible stale/poisoned readings of the same two copies.
  // The cached copies behind it (stale, filled without Origin) are its mechanism: contributing, not competing.
  'per-pop-difference': { primary: 'per-pop-difference', kinds: [S, P, P, P, V], contributing: ['cdn-cache-poisoned', 'stale-cache-after-change'] },
  'cdn-ignores-vary': { primary: 'cdn-ignores-vary', kinds: [S, P] },
  // A native video without crossorigin: nothing rejected, nothing to do.
  'not-a-cors-request': { primary: null, kinds: [] },
  // The layer split says why the segment's copy lacked CORS; the poisoned copy is how it showed.
  'mixed-layers': { primary: 'mixed-layers', kinds: [S, P, P, P, V], contributing: ['cdn-cache-poisoned'] },
  'origin-mismatch': { primary: 'origin-mismatch', kinds: [P, P] },
};

function primaryCause(findings: readonly Finding[], primary: number | null): string | null {
  return primary === null ? null : findings[primary]!.cause;
}

/** Every shell command a text holds (curl, aws, gcloud, az lines). */
function commandsIn(text: string): string[] {
  return [...text.matchAll(/(?:curl|aws|gcloud|az) [^\n]*/g)].map((match) => match[0]);
}

/** No two steps alike, no command twice, every finding's steps (but pointers) covered by a step naming it. */
function expectSoundPlan(findings: readonly Finding[], plan: FixPlan): void {
  const texts = plan.steps.map((step) => step.english);
  expect(new Set(texts).size, texts.join('\n---\n')).toBe(texts.length);
  const commands = texts.flatMap(commandsIn);
  expect(new Set(commands).size, texts.join('\n---\n')).toBe(commands.length);
  findings.forEach((finding, index) => {
    if (finding.kind === 'advice' || finding.severity === 'info') {
      expect(plan.steps.some((step) => step.findings.includes(index))).toBe(false);
      return;
    }
    (finding.fixSteps ?? []).forEach((_, stepIndex) => {
      const role = finding.fixStepRoles![stepIndex]!;
      if (role.pointer) return;
      const text = finding.fixSteps![stepIndex]!;
      // The same action on targets that include this step's, or a step that quotes this one whole.
      const covering = plan.steps.find((step) => (step.role.action === role.action && step.role.layer === role.layer && targetsCovered(step.role, role.targets)) || quotesStep(step.text, text));
      expect(covering, `${finding.ruleId} step ${stepIndex + 1} (${role.action}) has no step in the plan`).toBeDefined();
      expect(covering!.findings).toContain(index);
    });
  });
}

describe('the answer on every golden scenario', () => {
  test('every scenario has its expectation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(SCENARIOS.map((scenario) => scenario.name).sort());
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s: primary cause, plan kinds, relations', (name, scenario) => {
    const expected = EXPECTED[name]!;
    const report = analyze(scenario.records);
    const conclusion = report.conclusion!;
    expect(primaryCause(report.findings, conclusion.primary)).toBe(expected.primary);
    expect(report.plan!.steps.map((step) => step.role.kind)).toEqual(expected.kinds);
    const related = (relation: string) => conclusion.others.filter((other) => other.relation === relation).map((other) => report.findings[other.finding]!.cause).sort();
    expect(related('alternative')).toEqual([...(expected.alternatives ?? [])].sort());
    expect(related('contributing')).toEqual([...(expected.contributing ?? [])].sort());
    // An alternative comes with what would decide it; none without.
    expect(conclusion.decide.length > 0).toBe((expected.alternatives ?? []).length > 0);
    expectSoundPlan(report.findings, report.plan!);
    if (expected.primary !== null) {
      expect(conclusion.status).toBe('rejected');
      expect(conclusion.explained).toBe(conclusion.rejected);
      expect(conclusion.sentence.english).toMatch(/^.+ \((certain|likely|possible)\): it explains \d+ of the \d+ rejected requests\.$/);
    } else {
      expect(conclusion.status).toBe('clean');
    }
  });
});

/** A scenario's records with ids and URLs of their own, so that several scenarios make one log. */
function renamed(records: readonly RequestRecord[], prefix: string): RequestRecord[] {
  return records.map((record) => ({ ...record, id: `${prefix}-${record.id}` }));
}

/** A finding of `ruleId` whose fix is one step with its role (for the plan's merging). */
function findingWithStep(ruleId: string, step: MessageRef, role: FixStepRole): Finding {
  return { ruleId, cause: ruleId, severity: 'error', kind: 'cause', confidence: 'likely', message: '', recordIds: [], evidence: [], fix: '', fixSteps: [step], fixStepRoles: [role] };
}

describe('plan properties', () => {
  test('over logs mixing scenarios (and parts of them): no duplicate step or command, every finding step covered', () => {
    const scenarioIndex = fc.integer({ min: 0, max: SCENARIOS.length - 1 });
    const part = fc.record({ scenario: scenarioIndex, keep: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const records = parts.flatMap(({ scenario, keep }, index) => renamed(SCENARIOS[scenario]!.records.filter((_, position) => keep[position % keep.length] !== false || position === 0), `p${index}`));
        const report = analyze(records);
        expectSoundPlan(report.findings, report.plan!);
        const ranked = [report.conclusion!.primary, ...report.conclusion!.others.map((other) => other.finding)].filter((index) => index !== null);
        // Every actionable finding is ranked once, the primary one first.
        expect(new Set(ranked).size).toBe(ranked.length);
      }),
      { numRuns: 60, seed: 18 },
    );
  });

  test('purges of one vendor merge into one invalidation over the narrowest covering paths, built by the quoting function', () => {
    expect(coveringPaths(['/a/*', '/a/b/seg1.ts', '/c/x.ts', '/a/*'])).toEqual(['/a/*', '/c/x.ts']);
    expect(coveringPaths(['/a/b/*', '/a/*'])).toEqual(['/a/*']);
    expect(coveringPaths(['<path>', '/a/*'])).toEqual(['<path>', '/a/*']);
    const purge = (path: string) => purgeRef('cloudfront', [path]);
    const role = (path: string) => ({ kind: 'stop-the-bleeding' as const, layer: 'cdn-cache' as const, action: 'purge', targets: [path], vendor: 'cloudfront' });
    const finding = (ruleId: string, path: string): Finding => findingWithStep(ruleId, purge(path), role(path));
    const english = catalogueLookup(englishCatalogue(RULE_LIST));
    const plan = planOf([finding('a', '/m/1/seg1.ts'), finding('b', '/m/1/*'), finding('c', "/m/it's/*")], [0, 1, 2], english);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.findings).toEqual([0, 1, 2]);
    expect(plan.steps[0]!.role.targets).toEqual(['/m/1/*', "/m/it's/*"]);
    expect(plan.steps[0]!.english).toContain(`--paths '/m/1/*' '/m/it'\\''s/*'`);
  });

  test('Cloudflare purges of copies asked for with one Origin keep it when merged; with two, the merged purge names none', () => {
    const host = 'https://media.example-cf.com';
    const finding = (ruleId: string, path: string, requestOrigin: string): Finding =>
      findingWithStep(ruleId, purgeRef('cloudflare', [path], host, requestOrigin), { kind: 'stop-the-bleeding', layer: 'cdn-cache', action: 'purge', targets: [path], vendor: 'cloudflare', origin: host, requestOrigin });
    const english = catalogueLookup(englishCatalogue(RULE_LIST));
    const same = planOf([finding('a', '/m/seg1.ts', 'https://player.example'), finding('b', '/m/seg2.ts', 'https://player.example')], [0, 1], english);
    expect(same.steps).toHaveLength(1);
    expect(same.steps[0]!.english.match(/"Origin":"https:\/\/player\.example"/g)).toHaveLength(2);
    const two = planOf([finding('a', '/m/seg1.ts', 'https://player.example'), finding('b', '/m/seg2.ts', 'https://other.example')], [0, 1], english);
    expect(two.steps).toHaveLength(1);
    expect(two.steps[0]!.role.requestOrigin).toBeNull();
    expect(two.steps[0]!.english).not.toContain('"Origin":"https');
    expect(two.steps[0]!.english).toContain('/m/seg2.ts');
  });

  test('media a cause made fail without a CORS rejection: the answer says they failed, in the cause\'s own words', () => {
    const blocked = (index: number): RequestRecord => ({
      ...makeRecord({ url: 'https://media.example.org/v/movie.mp4', resourceType: 'media', requestHeaders: { ...noCorsRequest(), 'sec-fetch-dest': 'video' }, responseHeaders: { 'content-type': 'video/mp4' } }, index),
      error: 'net::ERR_BLOCKED_BY_RESPONSE',
      state: 'error',
    });
    const report = analyze([blocked(0), blocked(1)], { documentPolicies: [{ frameId: 0, origin: 'http://localhost:3010', embedderPolicy: 'require-corp' }] });
    expect(report.counts.failing).toBe(0);
    expect(report.findings[report.conclusion!.primary!]!.cause).toBe('coep-blocks-media');
    expect(report.conclusion!.sentence.english).toBe("No request failed CORS, yet 2 failed: The page's Cross-Origin-Embedder-Policy blocks media without CORP (certain).");
  });

  test('a risk on requests that loaded keeps "can make them fail"', () => {
    const played = makeRecord({ url: 'https://media.example.org/v/movie.mp4', resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { 'content-type': 'video/mp4' } }, 0);
    const report = analyze([played]);
    if (report.conclusion && report.conclusion.primary !== null) expect(report.conclusion.sentence.english).not.toContain('yet');
  });

  test('findings of one cause name what tells them apart: the path pattern on one host, the whole scope across hosts', () => {
    // Firefox's healthy CloudFront stream: the playlist's and the segments' behaviours each echo the origin with Vary: Origin.
    const cloudfront = (status: string) => ({ 'x-cache': `${status} from cloudfront`, via: '1.1 abc.cloudfront.net (CloudFront)', 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' });
    const url = (file: string, host = 'cdn.example.net') => `https://${host}/v/${file}`;
    const report = analyze(
      makeRecords([
        { url: url('seg0.ts'), requestHeaders: corsRequest(), responseHeaders: cloudfront('Hit') },
        { url: url('seg1.ts'), requestHeaders: corsRequest(), responseHeaders: cloudfront('Hit') },
        { url: url('stream.m3u8'), requestHeaders: corsRequest(), responseHeaders: cloudfront('Miss') },
      ]),
    );
    const vary = report.findings.filter((finding) => finding.cause === 'cdn-ignores-vary');
    expect(vary).toHaveLength(2);
    const scopes = scopesOf(report.findings).filter((_, index) => report.findings[index]!.cause === 'cdn-ignores-vary');
    expect(scopes).toEqual(['/*.ts', '/*.m3u8']);
    expect(report.conclusion!.sentence.english).toBe('No request was rejected, but CDN ignores Vary: Origin on /*.ts (possible) can make them fail.');
    expect(report.conclusion!.reasoning.english).toContain('CDN ignores Vary: Origin on /*.m3u8 (warning');
    // A card drawn as its headline alone has no message data: the scope is a field of its own.
    const headlines = report.findings.map(({ data: _data, ...finding }) => finding);
    expect(scopesOf(headlines)).toEqual(scopesOf(report.findings));
    const acrossHosts = scopesOf([{ ...vary[0]!, scope: 'a.example.net /*.ts' }, { ...vary[1]!, scope: 'b.example.net /*.ts' }, report.findings.find((finding) => finding.cause !== 'cdn-ignores-vary')!]);
    expect(acrossHosts).toEqual(['a.example.net /*.ts', 'b.example.net /*.ts', null]);
  });

  test('errors without CORS are cards told apart by host and status: the status alone on one host', () => {
    const failed = (url: string, status: number) => ({ url, requestHeaders: corsRequest(), status, responseHeaders: { server: 'AmazonS3', 'x-cache': 'Error from cloudfront' } });
    const scopesOfErrors = (records: ReturnType<typeof failed>[]) => {
      const report = analyze(makeRecords(records));
      const scopes = scopesOf(report.findings);
      return report.findings.flatMap((finding, index) => (finding.cause === 'error-without-cors' ? [scopes[index]] : [])).sort();
    };
    expect(scopesOfErrors([failed('https://a.example.net/v/seg0.ts', 404), failed('https://b.example.net/v/seg1.ts', 404)])).toEqual(['a.example.net HTTP 404', 'b.example.net HTTP 404']);
    expect(scopesOfErrors([failed('https://a.example.net/v/seg0.ts', 404), failed('https://a.example.net/v/seg1.ts', 403)])).toEqual(['HTTP 403', 'HTTP 404']);
    expect(scopesOfErrors([failed('https://a.example.net/v/seg0.ts', 404)])).toEqual([null]);
  });

  test('every cause a rule names has a wording (no raw id in the answer)', () => {
    for (const rule of RULE_LIST) expect(CAUSE_TEXT[`cause.${rule.meta.cause}`], rule.meta.id).toBeTruthy();
  });
});
