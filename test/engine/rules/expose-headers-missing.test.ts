import rule from '../../../src/engine/rules/expose-headers-missing.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, s3Cors } from './support/make-record.ts';

const BUCKET = 'https://media-bucket.s3.amazonaws.com';
const range = (value: string) => ({ ...corsRequest(), range: value });
const partial = (extra: Record<string, string> = {}) => ({ ...s3Cors(), 'content-range': 'bytes 0-1023/5000', 'accept-ranges': 'bytes', ...extra });
const DATE = 'Thu, 03 Dec 2026 14:00:00 GMT';

runRuleTests(rule, {
  valid: [
    { name: 'Content-Range exposed', records: makeRecords([{ url: `${BUCKET}/v/movie.mp4`, requestHeaders: range('bytes=0-1023'), status: 206, responseHeaders: partial({ 'access-control-expose-headers': 'Content-Length, Content-Range' }) }]) },
    { name: '"*" exposes everything to a request without credentials', records: makeRecords([{ url: `${BUCKET}/v/movie.mp4`, requestHeaders: range('bytes=0-'), status: 206, responseHeaders: partial({ 'access-control-expose-headers': '*' }) }]) },
    { name: 'a 200 without Range: nothing to read beyond the body', records: makeRecords([{ url: `${BUCKET}/hls/segment0.ts`, requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), date: DATE } }]) },
    { name: 'a HEAD in a DASH session with Date exposed', records: makeRecords([
      { url: `${BUCKET}/dash/manifest.mpd`, requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), 'content-type': 'application/dash+xml' } },
      { url: `${BUCKET}/time`, method: 'HEAD', requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), date: DATE, 'access-control-expose-headers': 'Date' } },
    ]) },
    { name: 'CORS rejected: that is the verdict\'s and other rules\' business', records: makeRecords([{ url: `${BUCKET}/v/movie.mp4`, requestHeaders: range('bytes=0-1023'), status: 206, responseHeaders: { server: 'AmazonS3', 'content-range': 'bytes 0-1023/5000' } }]) },
  ],
  invalid: [
    {
      name: 'a 206 to a Range request, Content-Range not exposed: possible, with the S3 ExposeHeaders',
      records: makeRecords([
        { url: `${BUCKET}/v/movie.mp4`, requestHeaders: range('bytes=0-1023'), status: 206, responseHeaders: partial() },
        { url: `${BUCKET}/v/movie.mp4`, requestHeaders: range('bytes=1024-'), status: 206, responseHeaders: partial() },
      ]),
      findings: [
        {
          messageId: 'notExposed',
          confidence: 'possible',
          severity: 'warning',
          recordIds: ['r1', 'r2'],
          messageIncludes: ['2 segments to media-bucket.s3.amazonaws.com passed CORS, but Content-Range is not listed in Access-Control-Expose-Headers', 'answered 206'],
          fixIncludes: ['Add Content-Length and Content-Range to Access-Control-Expose-Headers', '"ExposeHeaders":["Content-Length","Content-Range"]', 'must show access-control-expose-headers naming Content-Range'],
        },
      ],
    },
    {
      name: 'DASH http-head clock: a HEAD whose Date the player cannot read is likely',
      records: makeRecords([
        { url: `${BUCKET}/dash/manifest.mpd`, requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), 'content-type': 'application/dash+xml' } },
        { url: `${BUCKET}/time`, method: 'HEAD', requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), date: DATE, 'access-control-expose-headers': 'Content-Range' } },
      ]),
      findings: [{ messageId: 'notExposed', confidence: 'likely', recordIds: ['r2'], messageIncludes: ['but Date is not listed', '(it lists Content-Range)', 'UTCTiming http-head'], fixIncludes: ['Content-Length, Content-Range and Date'] }],
    },
    {
      name: '"*" does not expose to a credentialed request; CloudFront policy wrote the CORS headers',
      records: makeRecords([
        {
          url: 'https://d16ufd393m7gss.cloudfront.net/v/movie.mp4',
          requestHeaders: { ...range('bytes=0-99'), cookie: 'CloudFront-Policy=x' },
          status: 206,
          responseHeaders: { ...cloudFront({ cache: 'Hit' }), 'access-control-allow-origin': 'http://localhost:3010', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': '*', 'content-range': 'bytes 0-99/5000' },
        },
      ]),
      findings: [{ messageId: 'notExposed', messageIncludes: ['(it lists *)'], fixIncludes: ['"*" does not work for requests with credentials'] }],
    },
    {
      name: 'a HEAD outside DASH: Accept-Ranges unreadable, possible',
      records: makeRecords([{ url: `${BUCKET}/v/movie.mp4`, method: 'HEAD', requestHeaders: corsRequest(), responseHeaders: partial() }]),
      findings: [{ messageId: 'notExposed', confidence: 'possible', messageIncludes: ['but Accept-Ranges is not listed', 'probes for range support'] }],
    },
  ],
});
