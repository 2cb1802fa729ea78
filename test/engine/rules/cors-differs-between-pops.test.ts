import rule from '../../../src/engine/rules/cors-differs-between-pops.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, s3Cors, s3Plain, segmentUrl } from './support/make-record.ts';

const at = (index: number, pop: string, ok: boolean) => ({
  url: segmentUrl('pop', index),
  requestHeaders: corsRequest(),
  responseHeaders: { ...(ok ? s3Cors() : s3Plain()), ...cloudFront({ cache: 'Hit', age: 100, pop }) },
});

runRuleTests(rule, {
  valid: [
    { name: 'one edge location only', records: makeRecords([at(1, 'ICN80-P3', false), at(2, 'ICN80-P3', true)]) },
    { name: 'both locations mixed', records: makeRecords([at(1, 'ICN80-P3', false), at(2, 'ICN80-P3', true), at(3, 'NRT57-P1', true), at(4, 'NRT57-P1', false)]) },
  ],
  invalid: [
    {
      name: 'the same segment fails at ICN and passes at NRT',
      records: makeRecords([at(1, 'ICN80-P3', false), at(2, 'ICN80-P3', false), at(1, 'NRT57-P1', true)]),
      findings: [{ messageId: 'perPop', confidence: 'likely', recordIds: ['r1', 'r2'], messageIncludes: ['fail without Access-Control-Allow-Origin at ICN80-P3', 'pass at NRT57-P1'], fixIncludes: ['create-invalidation'] }],
    },
    {
      name: 'different segments per location: possible',
      records: makeRecords([at(1, 'ICN80-P3', false), at(2, 'NRT57-P1', true)]),
      findings: [{ messageId: 'perPop', confidence: 'possible' }],
    },
  ],
});
