import rule from '../../../src/engine/rules/multiple-allow-origin-values.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, s3Cors, segmentUrl } from './support/make-record.ts';

runRuleTests(rule, {
  valid: [{ name: 'one ACAO line', records: makeRecords([{ url: segmentUrl('d', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]) }],
  invalid: [
    {
      name: 'S3 and an edge function both add "*" (two lines)',
      records: makeRecords([
        { url: segmentUrl('d', 1), requestHeaders: corsRequest(), responseHeaders: [...Object.entries(s3Cors()), ['access-control-allow-origin', '*'], ...Object.entries(cloudFront({ cache: 'Miss' }))] },
      ]),
      findings: [{ messageId: 'duplicated', confidence: 'certain', recordIds: ['r1'], messageIncludes: ['"*" + "*"', "one of them is S3's"], fixIncludes: ['Lambda@Edge'] }],
    },
    {
      name: 'a comma-joined "*, *" from a proxy',
      records: makeRecords([{ url: 'https://media.example.org/a.ts', requestHeaders: corsRequest(), responseHeaders: { 'access-control-allow-origin': '*, *' } }]),
      findings: [{ messageId: 'duplicated', messageIncludes: ['"*, *"'] }],
    },
    {
      name: 'Apache alone sends "*" twice: no CDN in the fix, Apache\'s own way',
      records: makeRecords([{ url: 'https://media.example.org/a.ts', requestHeaders: corsRequest(), responseHeaders: [['server', 'Apache/2.4.62 (Debian)'], ['access-control-allow-origin', '*'], ['access-control-allow-origin', '*']] }]),
      findings: [{ messageId: 'duplicated', fixIncludes: ['No CDN or cache shows', 'Header always set in one place only'], fixExcludes: ['edge function', 'If the CDN adds'] }],
    },
    {
      name: 'nginx in front of an application that sends the header too',
      records: makeRecords([{ url: 'https://media.example.org/a.ts', requestHeaders: corsRequest(), responseHeaders: [['server', 'nginx/1.24.0'], ['access-control-allow-origin', 'https://player.example'], ['access-control-allow-origin', '*']] }]),
      findings: [{ messageId: 'duplicated', fixIncludes: ['proxy_hide_header Access-Control-Allow-Origin'], fixExcludes: ['edge function'] }],
    },
  ],
});
