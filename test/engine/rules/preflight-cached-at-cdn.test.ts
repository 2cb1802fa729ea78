import { describe, expect, test } from 'vitest';
import { analyze } from '../../../src/engine/analyze.ts';
import rule from '../../../src/engine/rules/preflight-cached-at-cdn.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { PAGE_ORIGIN, cloudFront, corsRequest, makeRecords, type RecordSpec } from './support/make-record.ts';

const CDN = 'https://d16ufd393m7gss.cloudfront.net/hls';

function cachedPreflight(file: string, answer: Record<string, string>, cache: 'Hit' | 'Miss' = 'Hit', requested: Record<string, string> = {}): RecordSpec {
  return {
    url: `${CDN}/${file}`,
    method: 'OPTIONS',
    requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-player-session', ...requested },
    status: 200,
    responseHeaders: { ...cloudFront({ cache, age: 120 }), 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'x-player-session', ...answer },
  };
}

runRuleTests(rule, {
  valid: [
    { name: 'a cached preflight answer that names the page', records: makeRecords([cachedPreflight('segment0.ts', { 'access-control-allow-origin': PAGE_ORIGIN })]) },
    { name: 'a cached "*" answer fits every page without credentials', records: makeRecords([cachedPreflight('segment0.ts', { 'access-control-allow-origin': '*' })]) },
    { name: 'a fresh (Miss) answer naming another origin is the origin server\'s answer, not a cached one', records: makeRecords([cachedPreflight('segment0.ts', { 'access-control-allow-origin': 'https://other.example' }, 'Miss')]) },
  ],
  invalid: [
    {
      name: 'CloudFront caches OPTIONS: another origin\'s answer (Hit, Age 120)',
      records: makeRecords([cachedPreflight('segment0.ts', { 'access-control-allow-origin': 'https://other.example' }), cachedPreflight('segment1.ts', { 'access-control-allow-origin': 'https://other.example' })]),
      findings: [
        {
          messageId: 'misfit',
          confidence: 'certain',
          recordIds: ['r1', 'r2'],
          messageIncludes: ['2 preflight requests to d16ufd393m7gss.cloudfront.net were answered from the Amazon CloudFront cache (Hit from cloudfront)', `Access-Control-Allow-Origin "https://other.example" where the page is ${PAGE_ORIGIN}`],
          fixIncludes: ['"Cache HTTP methods" to GET, HEAD only', 'aws cloudfront create-invalidation'],
        },
      ],
    },
    {
      name: 'the cached answer was made for a request without the page\'s header',
      records: makeRecords([cachedPreflight('segment0.ts', { 'access-control-allow-origin': PAGE_ORIGIN, 'access-control-allow-headers': 'range' }, 'Hit', { 'access-control-request-headers': 'cmcd-request' })]),
      findings: [{ messageId: 'misfit', messageIncludes: ['Access-Control-Allow-Headers does not list cmcd-request'] }],
    },
  ],
});

describe('preflight-cached-at-cdn: one card for the cached answer', () => {
  test('allow-origin-mismatch leaves a cached preflight made for another origin to this rule', () => {
    const report = analyze(makeRecords([cachedPreflight('segment0.ts', { 'access-control-allow-origin': 'https://other.example' })]));
    expect(report.verdicts[0]!.verdict.chromiumError).toBe('PreflightAllowOriginMismatch');
    expect(report.findings.map((finding) => finding.cause)).toEqual(['preflight-cached-at-cdn']);
  });
});
