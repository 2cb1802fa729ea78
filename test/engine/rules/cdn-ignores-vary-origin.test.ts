import rule from '../../../src/engine/rules/cdn-ignores-vary-origin.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecords } from './support/make-record.ts';

const cloudflare = (status: string) => ({ 'cf-cache-status': status, 'cf-ray': '230b030023ae2822-SJC', server: 'cloudflare' });
const url = 'https://cdn.example.net/v/seg1.ts';

runRuleTests(rule, {
  valid: [
    { name: 'Fastly honours Vary: an echoed origin is safe', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { 'x-served-by': 'cache-jfk1041-JFK', 'x-cache': 'HIT', 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]) },
    { name: 'Cloudflare DYNAMIC (not cached)', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudflare('DYNAMIC'), 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]) },
  ],
  invalid: [
    {
      name: 'Cloudflare HIT with Vary: Origin but no ACAO (filled without Origin)',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudflare('HIT'), vary: 'Origin', age: '30' } }]),
      findings: [{ messageId: 'ignored', confidence: 'likely', recordIds: ['r1'], messageIncludes: ['Cloudflare served a copy'], fixIncludes: ['Cache Rules'] }],
    },
    {
      name: 'Cloudflare caches an echoed origin: works now, risky',
      records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: { ...cloudflare('MISS'), 'access-control-allow-origin': 'http://localhost:3010', vary: 'Origin' } }]),
      findings: [{ messageId: 'echoRisk', confidence: 'possible', kind: 'risk', severity: 'warning' }],
    },
  ],
});
