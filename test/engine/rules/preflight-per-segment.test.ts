import rule from '../../../src/engine/rules/preflight-per-segment.ts';
import type { RecordSpec } from './support/make-record.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecords, s3Cors } from './support/make-record.ts';

const BASE = 'https://media.example.org/hls';

/** A preflight for `file` asking for `headers`, answered as given. */
function preflight(file: string, headers: string, status = 204, extra: Record<string, string> = {}): RecordSpec {
  return {
    url: `${BASE}/${file}`,
    method: 'OPTIONS',
    requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': headers },
    status,
    responseHeaders: status < 300 ? { 'access-control-allow-origin': '*', 'access-control-allow-headers': headers, 'access-control-max-age': '86400', ...extra } : {},
  };
}

function get(file: string, extra: Record<string, string> = {}): RecordSpec {
  return { url: `${BASE}/${file}`, requestHeaders: { ...corsRequest(), ...extra }, responseHeaders: s3Cors() };
}

const segments = (headers: string, count = 4) => Array.from({ length: count }, (_, n) => [preflight(`segment${n}.ts`, headers), get(`segment${n}.ts`)]).flat();

runRuleTests(rule, {
  valid: [
    { name: 'a preflight for the playlist only (the header is set once)', records: makeRecords([preflight('stream.m3u8', 'x-player-session'), get('stream.m3u8'), get('segment0.ts'), get('segment1.ts'), get('segment2.ts')]) },
    { name: 'two segments preflighted: too few URLs to call it a pattern', records: makeRecords(segments('x-player-session', 2)) },
    { name: 'refused preflights are preflight-rejected\'s', records: makeRecords([0, 1, 2].map((n) => preflight(`segment${n}.ts`, 'x-player-session', 403))) },
    { name: 'the same URL preflighted again and again (Max-Age would help there)', records: makeRecords([0, 1, 2, 3].map(() => preflight('live.m3u8', 'x-player-session'))) },
  ],
  invalid: [
    {
      name: 'an X- session header on every segment: counted, named, the fix drops it',
      records: makeRecords(segments('x-player-session')),
      findings: [
        {
          messageId: 'perSegment',
          confidence: 'certain',
          severity: 'warning',
          recordIds: ['r1', 'r3', 'r5', 'r7'],
          messageIncludes: ['4 preflight (OPTIONS) requests went to media.example.org, one per URL for 4 different URLs: the player sends x-player-session, which is not CORS-safelisted', 'Access-Control-Max-Age (86400) cannot save these'],
          fixIncludes: ['Drop x-player-session from segment requests', 'answer preflights at the edge'],
        },
      ],
    },
    {
      name: 'CMCD in header mode: the fix is CMCD query mode',
      records: makeRecords(segments('cmcd-object, cmcd-request, cmcd-session')),
      findings: [{ messageId: 'perSegment', messageIncludes: ['cmcd-object, cmcd-request and cmcd-session, which are not CORS-safelisted'], fixIncludes: ['Send CMCD in query mode', 'dash.js cmcd.mode "query"'] }],
    },
    {
      name: 'a suffix Range forces the preflight: the fix says which ranges are simple',
      records: makeRecords([0, 1, 2].map((n) => preflight(`init${n}.mp4`, 'range'))),
      findings: [{ messageId: 'perSegment', messageIncludes: ['the player sends range, which is not'], fixIncludes: ['"bytes=N-" or "bytes=N-M"'] }],
    },
  ],
});
