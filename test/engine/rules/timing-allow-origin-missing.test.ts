import rule from '../../../src/engine/rules/timing-allow-origin-missing.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { PAGE_ORIGIN, corsRequest, makeRecords, s3Cors, s3Plain } from './support/make-record.ts';

const BASE = 'https://media.example.org/hls';
const segment = (n: number, extra: Record<string, string> = {}) => ({ url: `${BASE}/segment${n}.ts`, requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...extra } });

runRuleTests(rule, {
  valid: [
    { name: 'Timing-Allow-Origin: *', records: makeRecords([segment(0, { 'timing-allow-origin': '*' }), segment(1, { 'timing-allow-origin': '*' })]) },
    { name: 'Timing-Allow-Origin names the page among others', records: makeRecords([0, 1].map((n) => segment(n, { 'timing-allow-origin': `https://other.example, ${PAGE_ORIGIN}` }))) },
    { name: 'one segment only: a probe, not playback', records: makeRecords([segment(0)]) },
    { name: 'a host with a rejected request: advice waits', records: makeRecords([segment(0), segment(1), { url: `${BASE}/segment2.ts`, requestHeaders: corsRequest(), responseHeaders: s3Plain() }]) },
    { name: 'same-origin segments need no Timing-Allow-Origin', records: makeRecords([0, 1].map((n) => ({ ...segment(n), pageOrigin: 'https://media.example.org', requestHeaders: corsRequest('https://media.example.org') }))) },
    { name: 'playlists are not what the bandwidth estimate measures', records: makeRecords([{ ...segment(0), url: `${BASE}/a.m3u8` }, { ...segment(1), url: `${BASE}/b.m3u8` }]) },
  ],
  invalid: [
    {
      name: 'segments that pass CORS without Timing-Allow-Origin: advice, never red',
      records: makeRecords([segment(0), segment(1), segment(2, { 'timing-allow-origin': 'https://other.example' })]),
      findings: [
        {
          messageId: 'missing',
          confidence: 'certain',
          severity: 'info',
          kind: 'advice',
          recordIds: ['r1', 'r2', 'r3'],
          messageIncludes: [`3 segments from media.example.org passed CORS but carry no Timing-Allow-Origin for ${PAGE_ORIGIN}`, 'Server-Timing is dropped'],
          fixIncludes: [`Add Timing-Allow-Origin: ${PAGE_ORIGIN} (or *)`, 'nothing is broken'],
        },
      ],
    },
    {
      // Its certainty is the header missing from the response, not the verdict (docs/rules/index.md#confidence).
      name: 'Firefox: passes inferred from the page\'s evidence leave the advice certain',
      records: makeRecords([segment(0), segment(1)]).map((record) => ({ ...record, browser: 'firefox' as const })),
      options: { evidence: new Map(['r1', 'r2'].map((id) => [id, { source: 'resource-timing', ending: 'allowed', detail: 'Resource Timing responseStatus 200' }])) },
      findings: [{ messageId: 'missing', confidence: 'certain', recordIds: ['r1', 'r2'] }],
    },
  ],
});
