import rule from '../../../src/engine/rules/wildcard-origin-with-credentials.ts';
import { describe, expect, test } from 'vitest';
import { runRule, runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, s3Cors, segmentUrl } from './support/make-record.ts';

const withCookie = { ...corsRequest(), cookie: 'CloudFront-Policy=abc' };

runRuleTests(rule, {
  valid: [
    { name: 'an echoed origin with credentials allowed', records: makeRecords([{ url: segmentUrl('c', 1), requestHeaders: withCookie, responseHeaders: { 'access-control-allow-origin': 'http://localhost:3010', 'access-control-allow-credentials': 'true', vary: 'Origin' } }]) },
    { name: '"*" without cookies is not judged a failure', records: makeRecords([{ url: segmentUrl('c', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]) },
  ],
  invalid: [
    {
      name: 'signed cookies with S3\'s "*"',
      records: makeRecords([{ url: segmentUrl('c', 1), requestHeaders: withCookie, responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]),
      findings: [{ messageId: 'wildcard', confidence: 'certain', recordIds: ['r1'], fixIncludes: ['"AllowedOrigins":["http://localhost:3010"]', 'custom response headers policy', 'dash.js: setXHRWithCredentialsForType', 'allowCrossSiteCredentials', 'vhs withCredentials'] }],
    },
    {
      // Firefox: "*" with no cookie in sight leaves the credentials mode, so the outcome, undetermined;
      // two network errors of the page decide a rejection of a credentialed request, inferred. The card can be no surer than that row (docs/rules/index.md#confidence).
      name: 'Firefox: the rejection is inferred from the page\'s evidence, so the card is likely, not certain',
      records: makeRecords([{ url: segmentUrl('c', 1), requestHeaders: corsRequest(), responseHeaders: s3Cors() }]).map((record) => ({ ...record, browser: 'firefox' as const })),
      options: { evidence: new Map([['r1', { source: 'resource-timing', ending: 'blocked', detail: 'Resource Timing responseStatus 0 ×2' }]]) },
      findings: [{ messageId: 'wildcard', confidence: 'likely', recordIds: ['r1'] }],
    },
  ],
});

describe('the exact-origin step, in the terms of what answers', () => {
  const wildcardFrom = (url: string, responseHeaders: Record<string, string>) =>
    runRule(rule, makeRecords([{ url, requestHeaders: withCookie, responseHeaders: { 'access-control-allow-origin': '*', ...responseHeaders } }])).findings;

  test('S3 (or CloudFront with S3 behind): the bucket CORS', () => {
    const [finding] = wildcardFrom(segmentUrl('v1', 1), { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) });
    expect(finding!.fix).toContain('put-bucket-cors');
  });

  test('Cloudflare, Cloud Storage, nginx: no S3 terms', () => {
    for (const [url, headers] of [
      ['https://media.example.com/hls/seg1.ts', { 'cf-ray': '8f1e2d3c4b5a6978-AMS', 'cf-cache-status': 'HIT', server: 'cloudflare' }],
      ['https://storage.googleapis.com/media-bucket/hls/seg1.ts', { 'x-goog-generation': '17', server: 'UploadServer' }],
      ['https://origin.example.com/hls/seg1.ts', { server: 'nginx/1.24.0' }],
    ] as const) {
      const [finding] = wildcardFrom(url, headers);
      expect(finding!.fix, url).toContain('in the CORS setup of whatever sends Access-Control-Allow-Origin');
      expect(finding!.fix, url).not.toContain('S3');
    }
  });
});
