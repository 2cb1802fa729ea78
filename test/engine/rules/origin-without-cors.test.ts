/**
 * origin-without-cors per origin kind. Captures made in the lab (test/fixtures/origin-without-cors,
 * each the JSON export of the popup after a Chromium run of the lab scenario of the same name:
 * LAB_RECORD_DIR, see docs/lab.md): the S3-like bucket with no CORS configuration, the same bucket
 * behind the CloudFront-like edge, a real nginx without CORS and one with CORS for playlists only.
 * The kinds the lab cannot serve (Google Cloud Storage, Azure Blob storage, Apache, Caddy, Express)
 * are built from the response headers their vendors document, cited next to each.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import rule from '../../../src/engine/rules/origin-without-cors.ts';
import type { RequestRecord } from '../../../src/engine/model.ts';
import { analyze } from '../../../src/engine/analyze.ts';
import { importJson, redactReport } from '../../../src/export/index.ts';
import { runRule, runRuleTests } from './support/rule-tester.ts';
import { PAGE_ORIGIN, cloudFront, corsRequest, makeRecords, noCorsRequest, s3Plain, type RecordSpec } from './support/make-record.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/origin-without-cors/', import.meta.url));

/** A lab capture: the records of a CORS Lens JSON export. */
function capture(name: string): RequestRecord[] {
  return importJson(readFileSync(`${fixtures}${name}.json`, 'utf8')).records;
}

/** The page origin a capture was made on (the e2e page server's, e.g. http://127.0.0.1:37189). */
function pageOriginOf(records: readonly RequestRecord[]): string {
  return records.find((record) => record.pageOrigin !== null)!.pageOrigin!;
}

const LAB = {
  s3: capture('no-cors-config-s3'),
  behindCdn: capture('no-cors-config-behind-cdn'),
  nginx: capture('no-cors-config-nginx'),
  partialNginx: capture('partial-cors-config-nginx'),
};

/** The stream's files, each a CORS GET from the page, answered with `headers` (plus per-file ones). */
function stream(base: string, headers: (file: string) => Record<string, string>, files = ['stream.m3u8', 'segment0.ts', 'segment1.ts']): RecordSpec[] {
  return files.map((file) => ({ url: `${base}/${file}`, requestHeaders: corsRequest(), responseHeaders: headers(file) }));
}

const contentType = (file: string) => (file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/MP2T');

/**
 * Google Cloud Storage XML API, GET Object (https://cloud.google.com/storage/docs/xml-api/reference-headers:
 * x-goog-generation, x-goog-metageneration, x-goog-hash, x-goog-stored-content-length,
 * x-goog-storage-class, x-guploader-uploadid; `Server: UploadServer`). No CORS configuration: no CORS headers.
 */
const gcsHeaders = (file: string) => ({
  'x-guploader-uploadid': 'ABPtcPo0c2bPz7jQb8Jb3Zr0lXk',
  expires: 'Thu, 03 Dec 2026 15:00:00 GMT',
  date: 'Thu, 03 Dec 2026 14:00:00 GMT',
  'cache-control': 'public, max-age=3600',
  'last-modified': 'Tue, 01 Dec 2026 09:00:00 GMT',
  etag: '"9a0364b9e99bb480dd25e1f0284c8555"',
  'x-goog-generation': '1764579600000000',
  'x-goog-metageneration': '1',
  'x-goog-stored-content-encoding': 'identity',
  'x-goog-stored-content-length': '18612',
  'content-type': contentType(file),
  'x-goog-hash': 'crc32c=n03x6A==, md5=mgNkuembtIDdJeHwKEyFVQ==',
  'x-goog-storage-class': 'STANDARD',
  'accept-ranges': 'bytes',
  server: 'UploadServer',
});

/**
 * Azure Blob storage, Get Blob (https://learn.microsoft.com/rest/api/storageservices/get-blob#response-headers:
 * x-ms-blob-type, x-ms-request-id, x-ms-version, x-ms-creation-time, x-ms-lease-status,
 * x-ms-server-encrypted; `Server: Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0`). CORS is off by default.
 */
const azureHeaders = (file: string) => ({
  'content-type': contentType(file),
  'last-modified': 'Tue, 01 Dec 2026 09:00:00 GMT',
  'accept-ranges': 'bytes',
  etag: '"0x8DD11C2A3B4C5D6"',
  server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0',
  'x-ms-request-id': 'b3d4f2a1-701e-0042-4b3e-44f8e5000000',
  'x-ms-version': '2021-08-06',
  'x-ms-creation-time': 'Tue, 01 Dec 2026 09:00:00 GMT',
  'x-ms-lease-status': 'unlocked',
  'x-ms-lease-state': 'available',
  'x-ms-blob-type': 'BlockBlob',
  'x-ms-server-encrypted': 'true',
  date: 'Thu, 03 Dec 2026 14:00:00 GMT',
});

/** Apache httpd serving a static file: `Server` as ServerTokens Full (the default) gives it (https://httpd.apache.org/docs/2.4/mod/core.html#servertokens). */
const apacheHeaders = (file: string) => ({
  date: 'Thu, 03 Dec 2026 14:00:00 GMT',
  server: 'Apache/2.4.62 (Debian)',
  'last-modified': 'Tue, 01 Dec 2026 09:00:00 GMT',
  etag: '"48b4-62b5a1c0e8f00"',
  'accept-ranges': 'bytes',
  'content-type': contentType(file),
});

/** Caddy's file_server: Caddy sends `Server: Caddy` unless the Caddyfile deletes it (`header -Server`, https://caddyserver.com/docs/caddyfile/directives/header). */
const caddyHeaders = (file: string) => ({
  'accept-ranges': 'bytes',
  'content-type': contentType(file),
  etag: '"s6kq0hf2a"',
  'last-modified': 'Tue, 01 Dec 2026 09:00:00 GMT',
  server: 'Caddy',
  date: 'Thu, 03 Dec 2026 14:00:00 GMT',
});

/** Express with express.static: `X-Powered-By: Express` is on by default (https://expressjs.com/en/api.html#app.settings.table), serve-static's Cache-Control and weak ETag. */
const expressHeaders = (file: string) => ({
  'x-powered-by': 'Express',
  'accept-ranges': 'bytes',
  'cache-control': 'public, max-age=0',
  'last-modified': 'Tue, 01 Dec 2026 09:00:00 GMT',
  etag: 'W/"48b4-19ad7c1e2f0"',
  'content-type': contentType(file),
  date: 'Thu, 03 Dec 2026 14:00:00 GMT',
  connection: 'keep-alive',
});

/** A server that says nothing about itself. */
const anonymousHeaders = (file: string) => ({ 'content-type': contentType(file), date: 'Thu, 03 Dec 2026 14:00:00 GMT' });

const nginxHeaders = (file: string) => ({ server: 'nginx/1.22.1', 'content-type': contentType(file), etag: '"6b117e25-48b4"', 'accept-ranges': 'bytes' });

/** An nginx `add_header` without `always`: GET answers carry it, the 405 of an OPTIONS to a static file does not. */
const nginxPreflight405: RecordSpec = {
  url: 'https://media.example.org/hls/segment1.ts',
  method: 'OPTIONS',
  requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-player-session' },
  status: 405,
  responseHeaders: { server: 'nginx/1.22.1', 'content-type': 'text/html' },
};

runRuleTests(rule, {
  valid: [
    { name: 'an origin that answers CORS on every file', records: makeRecords(stream('https://media.example.org/hls', (file) => ({ ...nginxHeaders(file), 'access-control-allow-origin': '*' }))) },
    { name: 'a native <video> without crossorigin: no Origin, not CORS', records: makeRecords(stream('https://media.example.org/hls', nginxHeaders).map((spec) => ({ ...spec, resourceType: 'media', requestHeaders: noCorsRequest() }))) },
    {
      name: 'only error answers lack CORS (error-status-without-cors explains them)',
      records: makeRecords(stream('https://media.example.org/hls', nginxHeaders).map((spec) => ({ ...spec, status: 404 }))),
    },
    {
      name: 'behind a CDN, playlists with CORS and segments without: the CDN path rule speaks',
      records: makeRecords(stream('https://d16ufd393m7gss.cloudfront.net/hls', (file) => ({ ...s3Plain(), ...cloudFront({ cache: 'Miss' }), ...(file.endsWith('.m3u8') ? { 'access-control-allow-origin': '*' } : {}) }))),
    },
    {
      name: 'behind a CDN, only cached copies lack CORS: a copy filled without Origin explains that as well',
      records: makeRecords(stream('https://d16ufd393m7gss.cloudfront.net/hls', () => ({ ...s3Plain(), ...cloudFront({ cache: 'Hit', age: 60 }) }), ['segment0.ts', 'segment1.ts'])),
    },
    {
      name: 'the same file type and folder both with and without CORS: no clean split to name',
      records: makeRecords([
        { url: 'https://media.example.org/hls/segment0.ts', requestHeaders: corsRequest(), responseHeaders: { ...nginxHeaders('segment0.ts'), 'access-control-allow-origin': '*' } },
        { url: 'https://media.example.org/hls/segment1.ts', requestHeaders: corsRequest(), responseHeaders: nginxHeaders('segment1.ts') },
      ]),
    },
    {
      name: "the browser reused a copy a request without Origin had fetched (browser-cached-no-cors-copy's case)",
      records: makeRecords([
        { url: 'https://media.example.org/hls/segment0.ts', resourceType: 'media', requestHeaders: noCorsRequest(), responseHeaders: { ...nginxHeaders('segment0.ts'), date: 'Thu, 03 Dec 2026 14:00:00 GMT' } },
        { url: 'https://media.example.org/hls/segment0.ts', requestHeaders: corsRequest(), fromCache: true, responseHeaders: { ...nginxHeaders('segment0.ts'), date: 'Thu, 03 Dec 2026 14:00:00 GMT' } },
      ]),
    },
  ],
  invalid: [
    {
      name: 'lab: the S3-like bucket without CORS configuration, no CDN (recorded in Chromium)',
      records: LAB.s3,
      findings: [
        {
          messageId: 'noCors',
          confidence: 'likely',
          messageIncludes: ['The only CORS playlist to localhost:', 'the Amazon S3 bucket (server: AmazonS3) has no CORS configuration that allows http://127.0.0.1:'],
          fixIncludes: [
            `"AllowedMethods":["GET","HEAD"],"AllowedOrigins":["${pageOriginOf(LAB.s3)}"],"ExposeHeaders":["Content-Length","Content-Range"]`,
            'aws s3api put-bucket-cors --bucket ',
            'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html',
            `curl -sS -D - -o /dev/null -H 'Origin: ${pageOriginOf(LAB.s3)}'`,
          ],
        },
      ],
    },
    {
      name: 'lab: the same bucket behind the CloudFront-like edge, no CORS anywhere (recorded in Chromium)',
      records: LAB.behindCdn,
      findings: [
        {
          messageId: 'noCors',
          messageIncludes: ['the Amazon S3 bucket (server: AmazonS3)', 'and Amazon CloudFront in front adds none either (or does not pass Origin on to it)'],
          fixIncludes: ['aws s3api put-bucket-cors', 'CORS-With-Preflight (managed response headers policy', 'Elemental-MediaPackage (managed cache policy', 'aws cloudfront create-invalidation'],
        },
      ],
    },
    {
      name: 'lab: a real nginx without CORS (recorded in Chromium)',
      records: LAB.nginx,
      findings: [
        {
          messageId: 'noCors',
          messageIncludes: ['the nginx server (server: nginx/1.22.1) has no CORS configuration'],
          fixIncludes: [
            `add_header Access-Control-Allow-Origin "${pageOriginOf(LAB.nginx)}" always;`,
            'add_header Access-Control-Expose-Headers "Content-Length, Content-Range" always;',
            'if ($request_method = OPTIONS) {\n    return 204;\n}',
            'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
          ],
        },
      ],
    },
    {
      name: 'lab: a real nginx with CORS on playlists only, by file type (recorded in Chromium)',
      records: LAB.partialNginx,
      findings: [
        {
          messageId: 'partial',
          confidence: 'likely',
          messageIncludes: ['the nginx server (server: nginx/1.22.1) answers CORS only in part, by file type: .m3u8 carried Access-Control-Allow-Origin, .ts did not (2 CORS segments rejected)'],
          fixIncludes: ['1. Apply the CORS setup where .ts are served as well: today it reaches .m3u8 only.', `add_header Access-Control-Allow-Origin "${pageOriginOf(LAB.partialNginx)}" always;`],
        },
      ],
    },
    {
      name: 'Google Cloud Storage without CORS (documented headers)',
      records: makeRecords(stream('https://storage.googleapis.com/media-bucket/hls', gcsHeaders)),
      findings: [
        {
          messageId: 'noCors',
          confidence: 'certain',
          messageIncludes: ['All 3 CORS requests to storage.googleapis.com', 'the Google Cloud Storage bucket (x-goog-generation: 1764579600000000)'],
          fixIncludes: [
            `cors.json — [{"origin":["${PAGE_ORIGIN}"],"method":["GET","HEAD"],"responseHeader":["Content-Length","Content-Range"],"maxAgeSeconds":3600}]`,
            'gcloud storage buckets update gs://media-bucket --cors-file=cors.json',
            'https://cloud.google.com/storage/docs/using-cors',
          ],
        },
      ],
    },
    {
      name: 'Azure Blob storage without CORS (documented headers)',
      records: makeRecords(stream('https://mediaacct.blob.core.windows.net/hls', azureHeaders)),
      findings: [
        {
          messageId: 'noCors',
          messageIncludes: ['the Azure Blob storage account (x-ms-blob-type: BlockBlob)'],
          fixIncludes: [
            `az storage cors add --services b --methods GET HEAD --origins ${PAGE_ORIGIN} --allowed-headers Range --exposed-headers Content-Length Content-Range --max-age 3600 --account-name mediaacct`,
          ],
        },
      ],
    },
    {
      name: 'Apache without CORS (documented headers)',
      records: makeRecords(stream('https://media.example.org/hls', apacheHeaders)),
      findings: [
        {
          messageId: 'noCors',
          messageIncludes: ['the Apache server (server: Apache/2.4.62 (Debian))'],
          fixIncludes: [`Header always set Access-Control-Allow-Origin "${PAGE_ORIGIN}"`, 'Header always set Access-Control-Allow-Methods "GET, HEAD, OPTIONS"', 'mod_headers.html#header'],
        },
      ],
    },
    {
      name: 'Caddy without CORS (documented headers)',
      records: makeRecords(stream('https://media.example.org/hls', caddyHeaders)),
      findings: [
        {
          messageId: 'noCors',
          messageIncludes: ['the Caddy server (server: Caddy)'],
          fixIncludes: ['header {\n\tAccess-Control-Allow-Origin "http://localhost:3010"', '@corsPreflight method OPTIONS\nrespond @corsPreflight 204'],
        },
      ],
    },
    {
      name: 'Express without CORS (documented headers)',
      records: makeRecords(stream('https://media.example.org/hls', expressHeaders)),
      findings: [
        {
          messageId: 'noCors',
          messageIncludes: ['the Express app (x-powered-by: Express)'],
          fixIncludes: [`const cors = require('cors');\napp.use(cors({ origin: "${PAGE_ORIGIN}", methods: ["GET","HEAD"], allowedHeaders: ["Range"], exposedHeaders: ["Content-Length","Content-Range"], maxAge: 3600 }));`],
        },
      ],
    },
    {
      name: 'an origin that names no server: the headers to send, in words',
      records: makeRecords(stream('https://media.example.org/hls', anonymousHeaders)),
      findings: [
        {
          messageId: 'noCors',
          messageIncludes: ['the server has no CORS configuration'],
          fixIncludes: [`Make the server send Access-Control-Allow-Origin: ${PAGE_ORIGIN} on every response`, 'list Content-Length, Content-Range in Access-Control-Expose-Headers'],
        },
      ],
    },
    {
      name: 'nginx add_header without always: GET has CORS, the 405 to a preflight does not (partial by method)',
      records: makeRecords([
        { url: 'https://media.example.org/hls/stream.m3u8', requestHeaders: corsRequest(), responseHeaders: { ...nginxHeaders('stream.m3u8'), 'access-control-allow-origin': '*' } },
        nginxPreflight405,
      ]),
      findings: [
        {
          messageId: 'partial',
          recordIds: ['r2'],
          messageIncludes: ['by method: GET carried Access-Control-Allow-Origin, OPTIONS did not'],
          fixIncludes: ['Extend the CORS setup to OPTIONS: today it answers GET only', 'add_header Access-Control-Allow-Headers "Range, x-player-session" always;', 'return 204;'],
        },
      ],
    },
    {
      name: 'an S3 rule for GET only: HEAD gets no CORS (partial by method), the fix allows GET and HEAD',
      records: makeRecords([
        { url: 'https://media-bucket.s3.amazonaws.com/hls/stream.m3u8', requestHeaders: corsRequest(), responseHeaders: { ...s3Plain(), 'access-control-allow-origin': PAGE_ORIGIN, 'access-control-allow-methods': 'GET', vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method' } },
        { url: 'https://media-bucket.s3.amazonaws.com/hls/stream.m3u8', method: 'HEAD', requestHeaders: corsRequest(), responseHeaders: s3Plain() },
      ]),
      findings: [{ messageId: 'partial', recordIds: ['r2'], messageIncludes: ['by method: GET carried Access-Control-Allow-Origin, HEAD did not'], fixIncludes: ['"AllowedMethods":["GET","HEAD"]', '--bucket media-bucket'] }],
    },
    {
      name: 'a folder with CORS and one without (partial by folder)',
      records: makeRecords([
        { url: 'https://media.example.org/a/segment0.ts', requestHeaders: corsRequest(), responseHeaders: { ...apacheHeaders('segment0.ts'), 'access-control-allow-origin': '*' } },
        { url: 'https://media.example.org/b/segment0.ts', requestHeaders: corsRequest(), responseHeaders: apacheHeaders('segment0.ts') },
      ]),
      findings: [{ messageId: 'partial', messageIncludes: ['by folder: /a/ carried Access-Control-Allow-Origin, /b/ did not (1 CORS segment rejected)'], fixIncludes: ['Header always set'] }],
    },
    {
      name: 'credentialed requests: the exact origin and Allow-Credentials, never *',
      records: makeRecords(stream('https://media.example.org/hls', nginxHeaders).map((spec) => ({ ...spec, requestHeaders: { ...corsRequest(), cookie: 'session=abc' } }))),
      findings: [{ messageId: 'noCors', fixIncludes: [`add_header Access-Control-Allow-Origin "${PAGE_ORIGIN}" always;\nadd_header Access-Control-Allow-Credentials "true" always;`] }],
    },
  ],
});

/** What each kind's fix says that no other kind's may: its own commands and configuration words. */
const VENDOR_MARKERS: Record<string, string> = {
  s3: 'aws s3api',
  gcs: 'gcloud storage',
  'azure-blob': 'az storage',
  nginx: 'add_header',
  apache: 'Header always set',
  caddy: 'respond @corsPreflight',
  express: "require('cors')",
};

describe('origin-without-cors: each fix names its own vendor only', () => {
  const cases: Array<[string, string | null, RequestRecord[]]> = [
    ['s3', 's3', LAB.s3],
    ['nginx', 'nginx', LAB.nginx],
    ['gcs', 'gcs', makeRecords(stream('https://storage.googleapis.com/media-bucket/hls', gcsHeaders))],
    ['azure-blob', 'azure-blob', makeRecords(stream('https://mediaacct.blob.core.windows.net/hls', azureHeaders))],
    ['apache', 'apache', makeRecords(stream('https://media.example.org/hls', apacheHeaders))],
    ['caddy', 'caddy', makeRecords(stream('https://media.example.org/hls', caddyHeaders))],
    ['express', 'express', makeRecords(stream('https://media.example.org/hls', expressHeaders))],
    ['unknown', null, makeRecords(stream('https://media.example.org/hls', anonymousHeaders))],
  ];
  test.each(cases)('%s', (_name, own, records) => {
    const [finding] = runRule(rule, records).findings;
    expect(finding).toBeDefined();
    for (const [kind, marker] of Object.entries(VENDOR_MARKERS)) expect(finding!.fix.includes(marker), `${kind}'s "${marker}" in:\n${finding!.fix}`).toBe(kind === own);
  });
});

describe('origin-without-cors: values from the capture are checked before they reach a configuration', () => {
  test('a page origin that is not a serialized http(s) origin becomes the placeholder', () => {
    const hostile = 'https://evil.example" always; return 200 "x';
    const records = makeRecords(stream('https://media.example.org/hls', nginxHeaders).map((spec) => ({ ...spec, pageOrigin: hostile, requestHeaders: corsRequest(hostile) })));
    const [finding] = runRule(rule, records).findings;
    const configStep = finding!.fix.split('\n2. ')[0]!;
    expect(configStep).toContain('add_header Access-Control-Allow-Origin "https://your-site.example" always;');
    expect(configStep).not.toContain('return 200');
  });

  test('a GCS bucket name that is not one, and a requested header with $ in it, are left out', () => {
    const records = makeRecords([
      ...stream('https://storage.googleapis.com/Bad_Bucket!/hls', gcsHeaders, ['segment0.ts']),
      { url: 'https://storage.googleapis.com/Bad_Bucket!/hls/segment1.ts', method: 'OPTIONS', requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-a$b, x-ok' }, status: 403, responseHeaders: gcsHeaders('x.ts') },
    ]);
    const [finding] = runRule(rule, records).findings;
    expect(finding!.fix).toContain("gcloud storage buckets update 'gs://<bucket>' --cors-file=cors.json");
    const azure = runRule(rule, makeRecords([
      ...stream('https://mediaacct.blob.core.windows.net/hls', azureHeaders, ['segment0.ts']),
      { url: 'https://mediaacct.blob.core.windows.net/hls/segment1.ts', method: 'OPTIONS', requestHeaders: { ...corsRequest(), 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-a$b, x-ok' }, status: 403, responseHeaders: azureHeaders('x.ts') },
    ])).findings[0]!;
    expect(azure.fix).toContain('--allowed-headers Range x-ok --exposed-headers');
    expect(azure.fix).not.toContain('x-a$b');
  });
});

describe('origin-without-cors: exports redact the signed URL its check quotes', () => {
  test('the curl of the fix names the URL in full, and redactReport takes the signature out', () => {
    const signed = 'https://media-bucket.s3.amazonaws.com/hls/stream.m3u8?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=5f1c0ffee';
    const report = analyze(makeRecords([{ url: signed, requestHeaders: corsRequest(), responseHeaders: s3Plain() }]));
    const finding = report.findings.find((candidate) => candidate.ruleId === 'origin-without-cors');
    expect(finding?.fix).toContain('X-Amz-Signature=5f1c0ffee');
    const redacted = redactReport(report).findings.find((candidate) => candidate.ruleId === 'origin-without-cors');
    expect(redacted?.fix).toContain('https://media-bucket.s3.amazonaws.com/hls/stream.m3u8?');
    expect(redacted?.fix).not.toContain('5f1c0ffee');
  });
});
