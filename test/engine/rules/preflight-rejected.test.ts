import rule from '../../../src/engine/rules/preflight-rejected.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, s3Cors, segmentUrl } from './support/make-record.ts';

const preflightHeaders = { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-session-id' };

runRuleTests(rule, {
  valid: [
    {
      name: 'a preflight answered 200 with CORS headers',
      records: makeRecords([{ url: segmentUrl('p', 1), method: 'OPTIONS', requestHeaders: preflightHeaders, responseHeaders: { ...s3Cors(), 'access-control-allow-headers': 'x-session-id', ...cloudFront({ cache: 'Miss' }) } }]),
    },
    { name: 'an OPTIONS without Origin is not a preflight', records: makeRecords([{ url: segmentUrl('p', 1), method: 'OPTIONS', requestHeaders: {}, status: 400, responseHeaders: { server: 'AmazonS3' } }]) },
  ],
  invalid: [
    {
      name: 'CloudFront refuses OPTIONS with 403',
      records: makeRecords([{ url: segmentUrl('p', 1), method: 'OPTIONS', requestHeaders: preflightHeaders, status: 403, responseHeaders: { server: 'AmazonS3', ...cloudFront({ cache: 'Error' }) } }]),
      findings: [
        {
          messageId: 'rejected',
          confidence: 'certain',
          recordIds: ['r1'],
          messageIncludes: ['answered HTTP 403', 'Access-Control-Request-Method GET and -Headers x-session-id'],
          fixIncludes: ['GET, HEAD, OPTIONS', '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf'],
        },
      ],
    },
    {
      name: 'a cached 200 preflight answer without ACAO',
      records: makeRecords([{ url: segmentUrl('p', 2), method: 'OPTIONS', requestHeaders: preflightHeaders, status: 200, responseHeaders: { server: 'AmazonS3', ...cloudFront({ cache: 'Hit', age: 300 }) } }]),
      findings: [{ messageId: 'rejected', confidence: 'likely', messageIncludes: ['1 from the CDN cache'], fixIncludes: ['create-invalidation'] }],
    },
  ],
});
