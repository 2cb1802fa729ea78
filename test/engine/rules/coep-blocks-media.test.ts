import type { RequestRecord } from '../../../src/engine/model.ts';
import rule from '../../../src/engine/rules/coep-blocks-media.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { makeRecord, noCorsRequest } from './support/make-record.ts';

/** A response the browser received, then blocked with `error`. */
function blocked(url: string, error: string, index: number, responseHeaders: Record<string, string> = { 'content-type': 'video/mp2t' }): RequestRecord {
  return { ...makeRecord({ url, resourceType: 'media', requestHeaders: { ...noCorsRequest(), 'sec-fetch-dest': 'video' }, responseHeaders }, index), error, state: 'error' };
}

runRuleTests(rule, {
  withoutOrigin: 'COEP blocks exactly the media fetched without CORS',
  valid: [
    {
      name: 'blocked, but the page was seen served without a blocking COEP (unsafe-none): not this cause',
      records: [blocked('https://media.example.org/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 0)],
      options: { documentPolicies: [{ frameId: 0, origin: 'http://localhost:3010', embedderPolicy: 'unsafe-none' }] },
    },
    {
      name: 'blocked, and the page was seen served without any COEP header',
      records: [blocked('https://media.example.org/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 0)],
      options: { documentPolicies: [{ frameId: 0, origin: 'http://localhost:3010', embedderPolicy: null }] },
    },
    { name: 'a media response that arrived and played', records: [makeRecord({ url: 'https://media.example.org/v/movie.mp4', resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: {} })] },
    { name: 'blocked by response, but same-origin (another policy: X-Frame-Options, a same-origin CORP of the page itself)', records: [blocked('http://localhost:3010/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 0)] },
    { name: 'an error with no response is not a policy block', records: [{ ...blocked('https://media.example.org/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 0), responseHeaders: null, status: null }] },
  ],
  invalid: [
    {
      name: 'a <video> without crossorigin under require-corp, no CORP on the media',
      records: [blocked('https://media.example.org/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 0), blocked('https://media.example.org/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 1)],
      findings: [
        {
          messageId: 'blocked',
          confidence: 'likely',
          recordIds: ['r1', 'r2'],
          messageIncludes: ['from media.example.org arrived (HTTP 200) and were then blocked by the browser with net::ERR_BLOCKED_BY_RESPONSE: the response has no Cross-Origin-Resource-Policy'],
          fixIncludes: ['Cross-Origin-Resource-Policy: cross-origin', 'crossorigin="anonymous"', 'credentialless'],
        },
      ],
    },
    {
      name: 'the page was seen served with require-corp: certain, and the page and its header are named',
      records: [blocked('https://media.example.org/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 0)],
      options: { documentPolicies: [{ frameId: 0, origin: 'http://localhost:3010', embedderPolicy: 'require-corp; report-to="coep"' }] },
      findings: [
        {
          messageId: 'blockedUnderPolicy',
          confidence: 'certain',
          recordIds: ['r1'],
          messageIncludes: ['the page (http://localhost:3010) was served with Cross-Origin-Embedder-Policy: require-corp; report-to="coep", and the response has no Cross-Origin-Resource-Policy'],
        },
      ],
    },
    {
      name: 'a policy seen for another document of the same frame (an earlier page) is not this page\'s: likely',
      records: [blocked('https://media.example.org/v/movie.mp4', 'net::ERR_BLOCKED_BY_RESPONSE', 0)],
      options: { documentPolicies: [{ frameId: 0, origin: 'http://localhost:9999', embedderPolicy: 'require-corp' }] },
      findings: [{ messageId: 'blocked', confidence: 'likely' }],
    },
    {
      name: 'Firefox: CORP same-site on a cross-site response',
      records: [{ ...blocked('https://media.example.org/v/movie.mp4', 'NS_ERROR_DOM_CORP_FAILED', 0, { 'cross-origin-resource-policy': 'same-site' }), browser: 'firefox' }],
      findings: [{ messageId: 'blocked', messageIncludes: ['the response has Cross-Origin-Resource-Policy: same-site'] }],
    },
  ],
});
