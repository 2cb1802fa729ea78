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
      findings: [{ messageId: 'mismatch', confidence: 'possible', messageIncludes: ['came from the CDN cache without Vary: Origin'], fixIncludes: ['"AllowedOrigins":["http://localhost:3010"]'] }],
    },
    {
      name: "another page's origin on Varnish hits: the cache leads the fix, the CORS list comes second and is only possible",
      records: makeRecords([
        { url, requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'http://other.example:8080', 'x-varnish': '32770 5', via: '1.1 varnish (Varnish/7.1)', age: '3' } },
      ]),
      findings: [{ messageId: 'mismatch', confidence: 'possible', fixIncludes: ['1. The value is another page\'s origin on a copy from the Varnish cache', '2. List the page origin exactly'] }],
    },
    {
      name: 'another origin on a response fetched from the origin is certain, and the CORS list leads',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'http://other.example:8080', 'x-varnish': '32770', via: '1.1 varnish (Varnish/7.1)' } }]),
      findings: [{ messageId: 'mismatch', confidence: 'certain', fixIncludes: ['1. List the page origin exactly'] }],
    },
    {
      name: "the browser's cache hands out a copy made for the apex site, while the host echoes the page exactly when asked afresh",
      records: makeRecords([
        { url: 'https://media.example.org/v/index.m3u8', requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } },
        { url, fromCache: true, requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': 'http://127.0.0.1:3010', vary: 'Origin', 'cache-control': 'max-age=86400' } },
      ]),
      findings: [
        {
          messageId: 'copyForAnotherOrigin',
          confidence: 'likely',
          recordIds: ['r2'],
          messageIncludes: ["from the browser's cache", '1 fresh responses of the same host echo http://localhost:3010 exactly'],
          fixIncludes: ['Disable cache'],
        },
      ],
    },
  ],
});
