import rule from '../../../src/engine/rules/playlist-and-segment-cors-layers-differ.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, playlistUrl, s3Cors, s3Plain, securityHeaders, segmentUrl } from './support/make-record.ts';

const policyPlaylist = { url: playlistUrl('m'), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }), ...securityHeaders(), 'access-control-allow-origin': '*' } };
const s3Segment = (index: number, ok = true) => ({
  url: segmentUrl('m', index),
  requestHeaders: corsRequest(),
  responseHeaders: { ...(ok ? s3Cors() : s3Plain()), ...cloudFront({ cache: ok ? 'Miss' : 'Hit', ...(ok ? {} : { age: 600 }) }) },
});

runRuleTests(rule, {
  valid: [
    { name: 'both behaviors carry the policy', records: makeRecords([policyPlaylist, { ...s3Segment(1), responseHeaders: { ...s3Segment(1).responseHeaders, ...securityHeaders() } }]) },
    { name: 'both rely on S3', records: makeRecords([{ url: playlistUrl('m'), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }, s3Segment(1)]) },
  ],
  invalid: [
    {
      name: 'playlist ACAO from the policy, segments from S3, all passing: a risk',
      records: makeRecords([policyPlaylist, s3Segment(1), s3Segment(2)]),
      findings: [
        {
          messageId: 'mixed',
          confidence: 'likely',
          kind: 'risk',
          severity: 'warning',
          recordIds: ['r2', 'r3', 'r1'],
          messageIncludes: ['playlists get CORS from a response headers policy at the Amazon CloudFront edge', "segments carry only S3's own CORS answer"],
          fixIncludes: ['behavior (/*.ts)', 'eaab4381-ed33-4a86-88ca-d9558dc6cd63', '08627262-05a9-4f76-9ded-b50ca2e3a84f', '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf'],
        },
      ],
    },
    {
      name: 'a segment failed: the finding becomes a cause',
      records: makeRecords([policyPlaylist, s3Segment(1), s3Segment(2, false)]),
      findings: [{ messageId: 'mixed', kind: 'cause', severity: 'error', messageIncludes: ['1 of 2 CORS segments failed'] }],
    },
  ],
});
