import rule from '../../../src/engine/rules/request-without-origin.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { CDN_HOST, cloudFront, corsRequest, makeRecords, noCorsRequest, playlistUrl, s3Cors, s3Plain, securityHeaders } from './support/make-record.ts';

runRuleTests(rule, {
  valid: [
    {
      name: 'a no-cors segment whose response the browser withheld for its resource policy (Firefox NS_ERROR_DOM_CORP_FAILED under COEP): blocked, coep-blocks-media\'s',
      records: makeRecords([{ url: `https://${CDN_HOST}/v/segment0.ts`, resourceType: 'media', requestHeaders: { ...noCorsRequest(), 'sec-fetch-dest': 'video' }, status: 206, responseHeaders: { 'content-type': 'video/mp2t' } }]).map((record) => ({ ...record, browser: 'firefox' as const, error: 'NS_ERROR_DOM_CORP_FAILED', state: 'error' as const })),
    },
    {
      name: 'a CORS playlist request that passes',
      records: makeRecords([{ url: playlistUrl('a'), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]),
    },
    {
      name: 'a same-origin request without Origin',
      records: makeRecords([{ url: `${CDN_HOST}/x/a.ts`, pageOrigin: CDN_HOST, requestHeaders: noCorsRequest(), responseHeaders: s3Plain() }]),
    },
    {
      name: 'request headers not fully visible (mode unknown): not judged, not explained away',
      records: makeRecords([{ url: playlistUrl('a'), requestHeaders: [], requestHeadersComplete: false, responseHeaders: s3Plain() }]),
    },
    {
      name: 'an image or script without Origin is the page\'s ordinary no-cors load, not listed',
      records: makeRecords([
        { url: `${CDN_HOST}/img/poster.jpg`, resourceType: 'image', requestHeaders: noCorsRequest(), responseHeaders: s3Plain() },
        { url: `${CDN_HOST}/js/player.js`, resourceType: 'script', requestHeaders: noCorsRequest(), responseHeaders: s3Plain() },
      ]),
    },
  ],
  invalid: [
    {
      name: 'a playback API called without Origin from a proxy capture, no page origin known: every request is judged, not only media',
      records: makeRecords([
        { url: 'https://api.streamco.example/v1/playback/8812', pageOrigin: null, resourceType: 'other', requestHeaders: { accept: 'application/json' }, responseHeaders: { 'content-type': 'application/json', server: 'nginx' } },
      ]),
      findings: [{ messageId: 'notCors', confidence: 'certain', recordIds: ['r1'], messageIncludes: ['without an Origin header'] }],
    },
    {
      name: 'curl-like playlist request without Origin: vary Origin, no ACAO (the incident capture)',
      records: makeRecords([
        { url: playlistUrl('b'), requestHeaders: [], resourceType: 'other', responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }), ...securityHeaders(), vary: 'Origin' } },
      ]),
      findings: [{ messageId: 'notCors', confidence: 'certain', recordIds: ['r1'], severity: 'info', kind: 'advice', fixIncludes: ["-H 'Origin: http://localhost:3010'"] }],
    },
    {
      name: '<video> without crossorigin fetching segments through a caching CDN without Vary',
      records: makeRecords([
        { url: `${CDN_HOST}/v/seg1.ts`, resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Miss' }) } },
        { url: `${CDN_HOST}/v/seg2.ts`, resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 30 }) } },
      ]),
      findings: [{ messageId: 'notCorsFillsCache', confidence: 'certain', recordIds: ['r1', 'r2'], messageIncludes: ['1 of them reached Amazon CloudFront as a cache Miss'] }],
    },
    {
      // Cloudflare's default cache key holds Origin: the copy a request without Origin fills is never served to a CORS request.
      name: '<video> without crossorigin through Cloudflare (Origin in the default cache key): not a cache fill for CORS requests',
      records: makeRecords([
        { url: `${CDN_HOST}/v/seg1.ts`, resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...s3Plain(), 'cf-cache-status': 'MISS', 'cf-ray': '230b030023ae2822-SJC', server: 'cloudflare' } },
      ]),
      findings: [{ messageId: 'notCors', recordIds: ['r1'] }],
    },
  ],
});
