import rule from '../../../src/engine/rules/allow-origin-mismatch.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecords } from './support/make-record.ts';

const url = 'https://media.example.org/v/seg1.ts';

runRuleTests(rule, {
  valid: [{ name: 'the exact page origin', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]) }],
  invalid: [
    {
      name: 'a trailing slash',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'http://localhost:3010/', vary: 'Origin' } }]),
      findings: [{ messageId: 'mismatch', confidence: 'certain', messageIncludes: ['trailing slash'] }],
    },
    {
      name: 'another origin from a cached copy without Vary',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'https://other.example', 'cf-cache-status': 'HIT', 'cf-ray': '230b030023ae2822-SJC', age: '5' } }]),
      findings: [{ messageId: 'mismatch', messageIncludes: ['came from the CDN cache without Vary: Origin'], fixIncludes: ['"AllowedOrigins":["http://localhost:3010"]'] }],
    },
  ],
});
