import { describe, expect, test } from 'vitest';
import { analyze } from '../../../src/engine/analyze.ts';
import type { RequestRecord } from '../../../src/engine/model.ts';
import rule from '../../../src/engine/rules/redirect-taints-origin.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { PAGE_ORIGIN, corsRequest, makeRecord } from './support/make-record.ts';

const CDN = 'https://cdn.example.net';
const STORAGE = 'https://storage.example.org';

/** A CORS GET for `file` on the CDN, redirected (302) to `target`, whose answer carries `allowOrigin` (none when null). */
function redirected(file: string, target: string, allowOrigin: string | null, index: number, sentOrigin = 'null'): RequestRecord {
  const record = makeRecord(
    { url: `${target}/hls/${file}`, requestHeaders: corsRequest(sentOrigin), responseHeaders: allowOrigin === null ? {} : { 'access-control-allow-origin': allowOrigin } },
    index,
  );
  return {
    ...record,
    pageOrigin: PAGE_ORIGIN,
    redirects: [{ url: `${CDN}/hls/${file}`, status: 302, redirectUrl: `${target}/hls/${file}`, headers: [['access-control-allow-origin', PAGE_ORIGIN], ['location', `${target}/hls/${file}`]] }],
  };
}

runRuleTests(rule, {
  valid: [
    { name: 'the target answers *: Origin null is allowed', records: [redirected('segment0.ts', STORAGE, '*', 0)] },
    { name: 'a redirect within the same origin does not taint', records: [redirected('segment0.ts', CDN, PAGE_ORIGIN, 0, PAGE_ORIGIN)] },
    {
      name: 'a redirect from the page\'s own origin to another does not taint',
      records: [{ ...redirected('segment0.ts', STORAGE, PAGE_ORIGIN, 0, PAGE_ORIGIN), redirects: [{ url: `${PAGE_ORIGIN}/hls/segment0.ts`, status: 302, redirectUrl: `${STORAGE}/hls/segment0.ts`, headers: [] }] }],
    },
  ],
  invalid: [
    {
      name: 'CDN → storage, the storage allows the page by name: Origin null is rejected (seen on the request: certain)',
      records: [redirected('segment0.ts', STORAGE, PAGE_ORIGIN, 0), redirected('segment1.ts', STORAGE, PAGE_ORIGIN, 1)],
      findings: [
        {
          messageId: 'tainted',
          confidence: 'certain',
          recordIds: ['r1', 'r2'],
          messageIncludes: [
            '2 segments were redirected from https://cdn.example.net to https://storage.example.org, another origin: after that hop the browser sent Origin: null',
            `answered Access-Control-Allow-Origin "${PAGE_ORIGIN}"`,
          ],
          fixIncludes: ['Remove the redirect', 'Access-Control-Allow-Origin: *', "-H 'Origin: null'"],
        },
      ],
    },
    {
      name: 'a playlist redirected, the target sends no CORS header for null: the fix warns about relative URLs',
      records: [redirected('stream.m3u8', STORAGE, null, 0)],
      findings: [{ messageId: 'tainted', confidence: 'certain', messageIncludes: ['1 playlist was redirected', 'Access-Control-Allow-Origin (none)'], fixIncludes: ['relative segment URLs resolve against https://storage.example.org'] }],
    },
  ],
});

describe('redirect-taints-origin: one card, not three', () => {
  test.each([
    ['names the page', PAGE_ORIGIN],
    ['sends none', null],
  ])('the target %s: allow-origin-mismatch and origin-without-cors leave it to this rule', (_name, allowOrigin) => {
    const report = analyze([redirected('segment0.ts', STORAGE, allowOrigin, 0), redirected('segment1.ts', STORAGE, allowOrigin, 1)]);
    expect(report.verdicts.every(({ verdict }) => verdict.outcome === 'fail')).toBe(true);
    expect(report.findings.map((finding) => finding.cause)).toEqual(['redirect-taints-origin']);
  });
});
