import rule from '../../../src/engine/rules/preflight-rejected.ts';
import { describe, expect, test } from 'vitest';
import { runRule, runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, s3Cors, segmentUrl } from './support/make-record.ts';

/** Varnish in front of nginx: one X-Varnish id (no cache hit), so the OPTIONS reached the origin. */
const varnishPass = { via: '1.1 varnish (Varnish/7.1)', 'x-varnish': '32773', age: '0', server: 'nginx/1.22.1' };
const cmcdPreflight = { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'cmcd-request' };
/** The segment request Chromium stopped at its preflight: started first, its headers never sent. */
const VARNISH_SEGMENT = 'https://media.example.org/vod/film-7/720p/seg-00001.m4s';
const stoppedSegment = { id: 'get', url: VARNISH_SEGMENT, requestHeaders: null, requestHeadersComplete: false, status: null, responseHeaders: null, start: 1_745_556_000_000 };
const refusedOptions = { id: 'options', url: VARNISH_SEGMENT, method: 'OPTIONS', requestHeaders: cmcdPreflight, status: 403, responseHeaders: { 'content-type': 'text/html', ...varnishPass }, start: 1_745_556_000_002 };

const preflightHeaders = { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-session-id' };

runRuleTests(rule, {
  valid: [
    {
      name: 'a preflight answered 200 with CORS headers',
      records: makeRecords([{ url: segmentUrl('p', 1), method: 'OPTIONS', requestHeaders: preflightHeaders, responseHeaders: { ...s3Cors(), 'access-control-allow-headers': 'x-session-id', ...cloudFront({ cache: 'Miss' }) } }]),
    },
    { name: 'an OPTIONS without Origin is not a preflight', records: makeRecords([{ url: segmentUrl('p', 1), method: 'OPTIONS', requestHeaders: {}, status: 400, responseHeaders: { server: 'AmazonS3' } }]) },
  ],
  invalid: [
    {
      name: 'CloudFront refuses OPTIONS with 403',
      records: makeRecords([{ url: segmentUrl('p', 1), method: 'OPTIONS', requestHeaders: preflightHeaders, status: 403, responseHeaders: { server: 'AmazonS3', ...cloudFront({ cache: 'Error' }) } }]),
      findings: [
        {
          messageId: 'rejected',
          confidence: 'certain',
          recordIds: ['r1'],
          messageIncludes: ['answered HTTP 403', 'Access-Control-Request-Method GET and -Headers x-session-id'],
          fixIncludes: ['GET, HEAD, OPTIONS', '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf'],
        },
      ],
    },
    {
      name: 'a cached 200 preflight answer without ACAO',
      records: makeRecords([{ url: segmentUrl('p', 2), method: 'OPTIONS', requestHeaders: preflightHeaders, status: 200, responseHeaders: { server: 'AmazonS3', ...cloudFront({ cache: 'Hit', age: 300 }) } }]),
      findings: [{ messageId: 'rejected', confidence: 'certain', messageIncludes: ['1 from the CDN cache'], fixIncludes: ['create-invalidation'] }],
    },
    {
      name: 'the origin behind Varnish refuses the preflight of a request with a custom header: one finding for the OPTIONS (counted once) that names the segment it stopped too, and asks to allow the header',
      records: makeRecords([stoppedSegment, refusedOptions]),
      findings: [
        {
          messageId: 'rejected',
          confidence: 'certain',
          recordIds: ['options', 'get'],
          messageIncludes: ['1 preflight request', 'answered HTTP 403', '-Headers cmcd-request'],
          fixIncludes: ['Allow the request headers cmcd-request', 'went through Varnish to the origin'],
        },
      ],
    },
    {
      name: 'a preflight whose real request never followed, refused for its Range header by a server without CDN',
      records: makeRecords([
        {
          url: 'https://files.example.net/videos/clip-88.mp4',
          method: 'OPTIONS',
          requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
          responseHeaders: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD', server: 'nginx' },
        },
      ]),
      findings: [{ messageId: 'rejected', confidence: 'certain', fixIncludes: ['Allow the request headers range'] }],
    },
  ],
});

describe('preflight-rejected fix steps', () => {
  test('a preflight that reached the origin is not fixed by letting OPTIONS through the CDN', () => {
    const { findings } = runRule(rule, makeRecords([stoppedSegment, refusedOptions]));
    expect(findings[0]!.fix).not.toContain('through the CDN');
  });

  test('without any CDN, no CDN step; with a refused non-simple method, a step to allow it', () => {
    const records = makeRecords([
      { url: 'https://upload.example.net/parts/7', method: 'OPTIONS', requestHeaders: { ...corsRequest(), 'access-control-request-method': 'PUT' }, status: 405, responseHeaders: { server: 'nginx' } },
    ]);
    const fix = runRule(rule, records).findings[0]!.fix;
    expect(fix).not.toContain('CDN');
    expect(fix).toContain('Allow the method PUT');
  });

  test('an Akamai edge that denies OPTIONS answers 501 itself: the property setting, not the origin', () => {
    const url = 'https://media.example-akamai.net/dash/seg-1.m4s';
    const edges: Array<Record<string, string>> = [{ server: 'AkamaiGHost', 'akamai-cache-status': 'NotCacheable from child' }, { server: 'AkamaiGHost' }];
    for (const edgeHeaders of edges) {
      const records = makeRecords([
        { id: 'get', url, requestHeaders: null, requestHeadersComplete: false, status: null, responseHeaders: null, start: 1_745_556_000_000 },
        { id: 'options', url, method: 'OPTIONS', requestHeaders: cmcdPreflight, status: 501, responseHeaders: { 'content-type': 'text/html', ...edgeHeaders }, start: 1_745_556_000_002 },
      ]);
      const [finding] = runRule(rule, records).findings;
      expect(finding!.fix).toContain("the property's Allow OPTIONS behavior is set to Deny");
      expect(finding!.fix).not.toContain('the origin itself must answer it');
      expect(finding!.recordIds).toEqual(['options', 'get']);
    }
  });

  test('on several hosts, each refused preflight names the request it stopped on its own host only', () => {
    const specs = ['a', 'b', 'c'].flatMap((host, index) => {
      const url = `https://media-${host}.example.net/v/seg${index}.ts`;
      return [
        { id: `get-${host}`, url, requestHeaders: null, requestHeadersComplete: false, status: null, responseHeaders: null, start: 1_745_556_000_000 + index * 10 },
        { id: `options-${host}`, url, method: 'OPTIONS', requestHeaders: cmcdPreflight, status: 403, responseHeaders: { 'content-type': 'text/html' }, start: 1_745_556_000_002 + index * 10 },
      ];
    });
    const { findings } = runRule(rule, makeRecords(specs));
    expect(findings.map((finding) => finding.recordIds)).toEqual([
      ['options-a', 'get-a'],
      ['options-b', 'get-b'],
      ['options-c', 'get-c'],
    ]);
  });
});
