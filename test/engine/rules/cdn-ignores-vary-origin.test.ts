import rule from '../../../src/engine/rules/cdn-ignores-vary-origin.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecords } from './support/make-record.ts';

const cloudflare = (status: string) => ({ 'cf-cache-status': status, 'cf-ray': '230b030023ae2822-SJC', server: 'cloudflare' });
const cloudfront = (status: string) => ({ 'x-cache': `${status} from cloudfront`, via: '1.1 abc.cloudfront.net (CloudFront)', 'x-amz-cf-pop': 'ICN80-P3' });
const url = 'https://cdn.example.net/v/seg1.ts';

runRuleTests(rule, {
  valid: [
    { name: 'Fastly honours Vary: an echoed origin is safe', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'x-served-by': 'cache-jfk1041-JFK', 'x-cache': 'HIT', 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]) },
    { name: 'Cloudflare DYNAMIC (not cached)', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudflare('DYNAMIC'), 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]) },
    // Cloudflare's default cache key holds Origin: this copy was made for this very Origin (stale, another rule's case).
    { name: 'Cloudflare HIT with Vary: Origin but no ACAO: a copy for this Origin, not a Vary problem', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudflare('HIT'), vary: 'Origin', age: '30' } }]) },
    {
      // Akamai stores nothing that varies on more than Accept-Encoding (Remove Vary strips it first).
      name: 'Akamai misses with Vary: Origin still on the answer: not stored, no risk',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'akamai-cache-status': 'Miss from child, Miss from parent', 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]),
    },
    { name: 'Cloudflare caches an echoed origin: keyed on Origin by default, no risk', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudflare('MISS'), 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]) },
  ],
  invalid: [
    {
      name: 'CloudFront Hit with Vary: Origin but no ACAO (filled without Origin)',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudfront('Hit'), vary: 'Origin', age: '30' } }]),
      findings: [{ messageId: 'ignored', confidence: 'likely', recordIds: ['r1'], messageIncludes: ['CloudFront served a copy'] }],
    },
    {
      name: 'Cloudflare HIT with Vary: Origin naming another origin: this zone\'s cache key leaves Origin out',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudflare('HIT'), vary: 'Origin', age: '30', 'access-control-allow-origin': 'https://m.example.net' } }]),
      findings: [{ messageId: 'ignored', confidence: 'likely', recordIds: ['r1'], messageIncludes: ['Cloudflare served a copy'], fixIncludes: ['custom cache key'] }],
    },
    {
      name: 'CloudFront caches an echoed origin: works now, risky',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudfront('Miss'), 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]),
      findings: [{ messageId: 'echoRisk', confidence: 'possible', kind: 'risk', severity: 'warning' }],
    },
    {
      name: 'Akamai served an echoed origin from its cache with Vary: Origin (added after the cache): risky',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'akamai-cache-status': 'Hit from child', 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]),
      findings: [{ messageId: 'echoRisk', confidence: 'possible', kind: 'risk', severity: 'warning' }],
    },
  ],
});
