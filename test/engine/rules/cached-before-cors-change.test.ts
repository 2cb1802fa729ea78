import rule from '../../../src/engine/rules/cached-before-cors-change.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { BASE_TIME_MS, PAGE_ORIGIN, cloudFront, corsRequest, makeRecords, s3Cors, s3Plain, segmentUrl } from './support/make-record.ts';

const staleHit = (index: number, age: number) => ({ url: segmentUrl('old', index), requestHeaders: corsRequest(), start: BASE_TIME_MS, responseHeaders: { ...s3Plain(), ...cloudFront({ cache: 'Hit', age }) } });
/** The same URL asked for with another Origin: a cache miss with that Origin's ACAO (a cache keyed on Origin). */
const OTHER_ORIGIN = 'https://preview.example.net';
const otherOriginMiss = (index: number, options: { pop?: string; start?: number } = {}) => ({
  url: segmentUrl('old', index),
  requestHeaders: corsRequest(OTHER_ORIGIN),
  start: options.start ?? BASE_TIME_MS + 5000,
  responseHeaders: { server: 'AmazonS3', 'access-control-allow-origin': OTHER_ORIGIN, ...cloudFront({ cache: 'Miss', pop: options.pop }) },
});
const goodHit = (index: number, age: number) => ({ url: segmentUrl('new', index), requestHeaders: corsRequest(), start: BASE_TIME_MS, responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Hit', age }) } });

runRuleTests(rule, {
  valid: [
    { name: 'a failing copy newer than a working one (not a change in between)', records: makeRecords([staleHit(1, 100), goodHit(1, 5000)]) },
    { name: 'no working copy to compare with', records: makeRecords([staleHit(1, 80000)]) },
    {
      name: 'only fresh Misses work (always newer than any cached copy: proves no change)',
      records: makeRecords([staleHit(1, 80000), { url: segmentUrl('new', 2), requestHeaders: corsRequest(), start: BASE_TIME_MS, responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]),
    },
    { name: 'a miss with another Origin at another POP says nothing about this cache’s key', records: makeRecords([staleHit(1, 80000), otherOriginMiss(1, { pop: 'NRT57-P1' })]) },
    { name: 'a miss with another Origin before the copy was filled proves nothing', records: makeRecords([staleHit(1, 600), otherOriginMiss(1, { start: BASE_TIME_MS - 3_600_000 })]) },
    { name: 'a miss with another Origin of another URL proves nothing', records: makeRecords([staleHit(1, 80000), otherOriginMiss(2)]) },
  ],
  invalid: [
    {
      name: 'a cache keyed on Origin (another Origin gets a fresh copy with its ACAO): the copy for the page’s Origin is stale; purge only it',
      records: makeRecords([staleHit(1, 70000), staleHit(2, 70000), otherOriginMiss(1)]),
      findings: [
        {
          messageId: 'originKeyed',
          confidence: 'likely',
          recordIds: ['r1'],
          messageIncludes: ['1 cached segment', 'with Origin https://preview.example.net was a cache miss', `cannot have filled the copy for ${PAGE_ORIGIN}`],
          fixIncludes: ["--paths /public/movie/old/wm16_9_00001.ts"],
          fixExcludes: ['wm16_9_00002', "'/public/movie/old/*'", 'Vary'],
        },
      ],
    },
    {
      name: 'copies 20 h old fail, copies from the last hour work',
      records: makeRecords([staleHit(1, 72000), staleHit(2, 71000), goodHit(1, 3000), { url: segmentUrl('new', 2), requestHeaders: corsRequest(), start: BASE_TIME_MS, responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]),
      findings: [
        {
          messageId: 'olderCopies',
          confidence: 'likely',
          recordIds: ['r1', 'r2'],
          messageIncludes: ['2 cached segments', 'age up to 72 000 s', 'filled between 2025-04-24T08:40:00Z and 2025-04-24T08:56:40Z', 'every working cached copy (1) was filled from 2025-04-25T03:50:00Z on'],
          fixIncludes: ['--paths /public/movie/old/wm16_9_00001.ts /public/movie/old/wm16_9_00002.ts'],
          fixExcludes: ['/public/movie/old/*', '/public/movie/new/'],
        },
      ],
    },
    {
      name: 'copies filled at the same second read as one moment, not a range',
      records: makeRecords([staleHit(1, 72000), staleHit(2, 72000), goodHit(1, 3000)]),
      findings: [{ messageId: 'olderCopies', messageIncludes: ['2 cached segments', 'were all filled at 2025-04-24T08:40:00Z (age up to 72 000 s)'] }],
    },
    {
      name: 'failing copy only minutes older: possible',
      records: makeRecords([staleHit(1, 600), goodHit(1, 300)]),
      findings: [{ messageId: 'olderCopies', confidence: 'possible' }],
    },
  ],
});
