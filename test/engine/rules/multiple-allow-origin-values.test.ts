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
  ],
});
