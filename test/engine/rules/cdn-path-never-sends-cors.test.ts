import rule from '../../../src/engine/rules/cdn-path-never-sends-cors.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, playlistUrl, s3Cors, s3Plain, segmentUrl } from './support/make-record.ts';

const plain = (index: number, cache: 'Hit' | 'Miss') => ({
  url: segmentUrl('v2', index),
  requestHeaders: corsRequest(),
  responseHeaders: { ...s3Plain(), ...cloudFront({ cache, ...(cache === 'Hit' ? { age: 20 } : {}) }) },
});
/** The playlist behavior answers CORS at the edge (a response headers policy's ACAO, no S3 Allow-Methods): the host does CORS elsewhere. */
const playlistWithEdgeCors = { url: playlistUrl('v2'), requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }), 'access-control-allow-origin': '*' } };

runRuleTests(rule, {
  valid: [
    { name: 'one segment on the path had ACAO', records: makeRecords([plain(1, 'Miss'), { url: segmentUrl('v2', 2), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]) },
    { name: 'only cached copies failed (looks like a poisoned cache, not a path without CORS)', records: makeRecords([playlistWithEdgeCors, plain(1, 'Hit'), plain(2, 'Hit')]) },
    { name: 'no CDN in front', records: makeRecords([{ url: segmentUrl('v2', 1), requestHeaders: corsRequest(), responseHeaders: s3Plain() }]) },
    { name: 'no response on the host carries CORS at all: an origin without CORS (origin-without-cors speaks)', records: makeRecords([plain(1, 'Miss'), plain(2, 'Miss'), plain(3, 'Hit')]) },
    {
      name: 'an nginx origin (Server: nginx matches nginx proxy_cache, but nothing caches): not a CDN path',
      records: makeRecords([
        { url: 'https://media.example.org/v/stream.m3u8', requestHeaders: corsRequest(), responseHeaders: { server: 'nginx/1.22.1', 'access-control-allow-origin': '*' } },
        { url: 'https://media.example.org/v/seg1.ts', requestHeaders: corsRequest(), responseHeaders: { server: 'nginx/1.22.1' } },
      ]),
    },
  ],
  invalid: [
    {
      name: 'CachingDisabled-like path: every Miss and Hit without ACAO, while the playlist behavior answers CORS',
      records: makeRecords([plain(1, 'Miss'), plain(2, 'Miss'), plain(3, 'Hit'), playlistWithEdgeCors]),
      findings: [
        {
          messageId: 'neverCors',
          confidence: 'likely',
          recordIds: ['r1', 'r2', 'r3'],
          messageIncludes: ['All 3 CORS segments', '/*.ts', '2 of them fetched from the origin'],
          fixIncludes: ['CORS-With-Preflight (managed response headers policy, ID 5cc3b908-e619-4b99-88e5-2cf7f45965bd)', 'CORS-S3Origin', '"AllowedOrigins":["http://localhost:3010"]'],
        },
      ],
    },
    { name: 'a single Miss without ACAO: possible', records: makeRecords([playlistWithEdgeCors, plain(1, 'Miss')]), findings: [{ messageId: 'neverCors', confidence: 'possible' }] },
  ],
});
