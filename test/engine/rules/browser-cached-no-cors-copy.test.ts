import rule from '../../../src/engine/rules/browser-cached-no-cors-copy.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecords, noCorsRequest, s3Plain, segmentUrl } from './support/make-record.ts';

const url = segmentUrl('b', 1);

runRuleTests(rule, {
  valid: [
    { name: 'a failure fetched from the network is not a browser-cache reuse', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: s3Plain() }]) },
    { name: 'a disk-cache copy that varies on Origin', records: makeRecords([{ url, requestHeaders: corsRequest(), fromCache: true, responseHeaders: { ...s3Plain(), vary: 'Origin' } }]) },
  ],
  invalid: [
    {
      name: '<video> without crossorigin first, then hls.js gets the disk-cache copy',
      records: makeRecords([
        { url, resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: s3Plain() },
        { url, requestHeaders: corsRequest(), fromCache: true, responseHeaders: s3Plain() },
      ]),
      findings: [{ messageId: 'reused', confidence: 'likely', recordIds: ['r2'], messageIncludes: ['fetched without Origin (media)'], fixIncludes: ['crossorigin="anonymous"'] }],
    },
    { name: 'a disk-cache copy without ACAO alone: possible', records: makeRecords([{ url, requestHeaders: corsRequest(), fromCache: true, responseHeaders: s3Plain() }]), findings: [{ messageId: 'reused', confidence: 'possible' }] },
  ],
});
