import rule from '../../../src/engine/rules/browser-cached-no-cors-copy.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, noCorsRequest, s3Plain, segmentUrl } from './support/make-record.ts';

const url = segmentUrl('b', 1);

runRuleTests(rule, {
  valid: [
    { name: 'a failure fetched from the network is not a browser-cache reuse', records: makeRecords([{ url, requestHeaders: corsRequest(), responseHeaders: s3Plain() }]) },
    { name: 'a disk-cache copy that varies on Origin', records: makeRecords([{ url, requestHeaders: corsRequest(), fromCache: true, responseHeaders: { ...s3Plain(), vary: 'Origin' } }]) },
    {
      // Firefox answers hls.js's retry from its cache: the stored copy was made for a CORS request too.
      name: 'a retry served from the cache of a CORS request that failed the same way',
      records: makeRecords([
        { url, requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), date: 'Fri, 25 Apr 2025 04:57:16 GMT' } },
        { url, requestHeaders: corsRequest(), fromCache: true, responseHeaders: { ...s3Plain(), date: 'Fri, 25 Apr 2025 04:57:16 GMT' } },
      ]),
    },
    {
      name: 'two network fetches through CloudFront (different x-amz-cf-id) are not a browser copy',
      records: makeRecords([
        { url, resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } },
        { url, requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 2 }) } },
      ]),
    },
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
    {
      // Chromium reports fromCache: false for a cached response it then blocks for CORS (measured in
      // Chromium 156); the identical CloudFront response id shows it is the stored copy.
      name: 'the very response of an earlier no-cors fetch (same x-amz-cf-id), although fromCache is false',
      records: (() => {
        const edge = cloudFront({ cache: 'Miss' });
        return makeRecords([
          { url, resourceType: 'image', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), ...edge } },
          { url, requestHeaders: corsRequest(), fromCache: false, responseHeaders: { ...s3Plain(), ...edge } },
        ]);
      })(),
      findings: [{ messageId: 'reused', confidence: 'likely', recordIds: ['r2'], messageIncludes: ['fetched without Origin (image)'] }],
    },
    {
      // Without a per-response id the headers (Date, ETag) still identify the copy of a response the
      // browser did not reject: only a copy of a rejected CORS response needs the browser's fromCache.
      name: 'the very response of an earlier no-cors fetch by its Date and ETag alone (no per-response id), although fromCache is false',
      records: (() => {
        const stored = { ...s3Plain(), date: 'Fri, 25 Apr 2025 04:57:16 GMT', etag: '"9b2cf535f27731c974343645a3985328"' };
        return makeRecords([
          { url, resourceType: 'image', requestHeaders: noCorsRequest(), responseHeaders: stored },
          { url, requestHeaders: corsRequest(), fromCache: false, responseHeaders: stored },
        ]);
      })(),
      findings: [{ messageId: 'reused', confidence: 'likely', recordIds: ['r2'], messageIncludes: ['fetched without Origin (image)'] }],
    },
    { name: 'a disk-cache copy without ACAO alone: possible', records: makeRecords([{ url, requestHeaders: corsRequest(), fromCache: true, responseHeaders: s3Plain() }]), findings: [{ messageId: 'reused', confidence: 'possible' }] },
  ],
});
