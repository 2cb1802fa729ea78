import rule from '../../../src/engine/rules/wildcard-origin-with-credentials.ts';
import { runRuleTests } from './support/rule-tester.ts';
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
  ],
});
