/**
 * A rule that throws loses only its own findings: the runner names it in ruleErrors and the other
 * rules' findings still arrive (rules injected into the runner, the real rule next to broken ones).
 * And a rule runs only when some record has the facts it requires (meta.requires).
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../../../src/engine/analyze.ts';
import type { Rule } from '../../../src/engine/rules/index.ts';
import { runRules } from '../../../src/engine/rules/lib/run.ts';
import errorStatusWithoutCors from '../../../src/engine/rules/error-status-without-cors.ts';
import localNetworkAccess from '../../../src/engine/rules/local-network-access.ts';
import notACorsFailure from '../../../src/engine/rules/not-a-cors-failure.ts';
import preflightRejected from '../../../src/engine/rules/preflight-rejected.ts';
import requestWithoutOrigin from '../../../src/engine/rules/request-without-origin.ts';
import { cloudFront, corsRequest, makeRecords, s3Plain, segmentUrl } from './support/make-record.ts';

// Two 404s without CORS: error-status-without-cors reports them both.
const records = makeRecords([
  { url: segmentUrl('e', 1), requestHeaders: corsRequest(), status: 404, responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Error' }) } },
  { url: segmentUrl('e', 2), requestHeaders: corsRequest(), status: 404, responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Error' }) } },
]);
const { verdicts } = analyze(records);

function brokenRule(id: string, check: Rule['check']): Rule {
  return { meta: { ...errorStatusWithoutCors.meta, id, messages: { seen: 'saw {{count}}' }, requires: [] }, check };
}

/** Reports one finding on every record, then fails: what it reported must not reach the report. */
const throwsAfterReporting = brokenRule('throws-after-reporting', (context) => {
  context.report({ messageId: 'seen', data: { count: context.facts.length }, recordIds: context.facts.map((facts) => facts.record.id), evidence: [], confidence: 'certain', fix: '' });
  const missing = context.facts.find((facts) => facts.record.id === 'no such record');
  // The kind of slip a rule can make: reading a field of nothing.
  throw new TypeError(`cannot read status of ${String(missing)}`);
});

describe('rule isolation', () => {
  test('the real rule alone finds the two 404s', () => {
    const { findings, ruleErrors } = runRules([errorStatusWithoutCors], records, verdicts);
    expect(ruleErrors).toEqual([]);
    expect(findings.map((finding) => [finding.ruleId, finding.recordIds])).toEqual([['error-status-without-cors', ['r1', 'r2']]]);
  });

  test('a rule that throws before and after the real one: its error is reported, the real finding stays, its partial finding goes', () => {
    const alone = runRules([errorStatusWithoutCors], records, verdicts).findings;
    const { findings, ruleErrors } = runRules([throwsAfterReporting, errorStatusWithoutCors, brokenRule('throws-at-once', () => {
      throw new RangeError('out of range');
    })], records, verdicts);
    expect(ruleErrors).toEqual([
      { ruleId: 'throws-after-reporting', message: 'TypeError: cannot read status of undefined' },
      { ruleId: 'throws-at-once', message: 'RangeError: out of range' },
    ]);
    expect(findings).toEqual(alone);
  });

  test('an unknown messageId, a thrown string and an unprintable thrown value are rule errors too', () => {
    const unprintable = { toString: () => { throw new Error('no text'); } };
    const { findings, ruleErrors } = runRules([
      brokenRule('unknown-message', (context) => context.report({ messageId: 'nope', data: {}, recordIds: [], evidence: [], confidence: 'certain', fix: '' })),
      brokenRule('throws-text', () => {
        // A rule may throw anything; the runner must cope.
        throw 'plain text';
      }),
      brokenRule('throws-unprintable', () => {
        throw unprintable;
      }),
      errorStatusWithoutCors,
    ], records, verdicts);
    expect(ruleErrors).toEqual([
      { ruleId: 'unknown-message', message: 'Error: unknown-message: unknown messageId nope' },
      { ruleId: 'throws-text', message: 'plain text' },
      { ruleId: 'throws-unprintable', message: 'unprintable error' },
    ]);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['error-status-without-cors']);
  });
});

describe('required facts', () => {
  /** The rules' checks, each noting its id when the runner calls it. */
  function noting(rules: readonly Rule[]): { rules: Rule[]; ran: string[] } {
    const ran: string[] = [];
    return {
      ran,
      rules: rules.map((rule) => ({
        meta: rule.meta,
        check(context) {
          ran.push(rule.meta.id);
          rule.check(context);
        },
      })),
    };
  }

  test('a rule that reports only on a verdict is not run when no record has one', () => {
    // request-without-origin reports only 'not-applicable' verdicts: a record without a verdict has none.
    const withVerdicts = noting([requestWithoutOrigin]);
    runRules(withVerdicts.rules, records, verdicts);
    expect(withVerdicts.ran).toEqual(['request-without-origin']);
    const without = noting([requestWithoutOrigin]);
    runRules(without.rules, records, []);
    expect(without.ran).toEqual([]);
  });

  test('a rule that reports only on requests that sent Origin is not run when no record has its request headers', () => {
    const unseen = records.map((record) => ({ ...record, requestHeaders: null }));
    const run = noting([localNetworkAccess, notACorsFailure, errorStatusWithoutCors]);
    runRules(run.rules, unseen, analyze(unseen).verdicts);
    expect(run.ran).toEqual(['error-status-without-cors']);
  });

  test('preflight-rejected reads the verdict but does not need it: a preflight refused with 403 is one without any verdict', () => {
    const preflight = makeRecords([
      { url: segmentUrl('p', 1), method: 'OPTIONS', requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-session-id' }, status: 403, responseHeaders: { server: 'AmazonS3', ...cloudFront({ cache: 'Error' }) } },
    ]);
    const { findings } = runRules([preflightRejected], preflight, []);
    expect(findings.map((finding) => [finding.ruleId, finding.confidence, finding.recordIds])).toEqual([['preflight-rejected', 'certain', ['r1']]]);
  });
});
