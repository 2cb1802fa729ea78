import { describe, expect, test } from 'vitest';
import { parse } from 'shell-quote';
import { bucketOf, curlWithOrigin, invalidationPathOf, purgeInstruction, s3CorsFix, varyFixFor } from '../../../src/engine/cdn/index.ts';
import { MAX_NAMED_PURGE_PATHS, PLACEHOLDER_ALLOWED_ORIGIN, isS3BucketName, purgePathsOf, s3CorsFixRef } from '../../../src/engine/cdn/fixes.ts';
import { vendorPurgeRef } from '../../../src/engine/cdn/vendor-fixes.ts';

describe('fix building blocks', () => {
  test.each([
    [['https://d.cloudfront.net/public/movie/a/seg1.ts', 'https://d.cloudfront.net/public/movie/b/seg9.ts'], '/public/movie/*'],
    [['https://d.cloudfront.net/public/movie/a/seg1.ts', 'https://d.cloudfront.net/public/movie/a/seg2.ts'], '/public/movie/a/*'],
    [['https://d.cloudfront.net/public/movie/a/seg1.ts', 'https://d.cloudfront.net/public/movie/a/seg1.ts?x=1'], '/public/movie/a/seg1.ts'],
    [['https://d.cloudfront.net/a.ts', 'https://d.cloudfront.net/b.ts'], '/*'],
    // No http(s) URL: there is no path to name, and "/*" (everything) would be a guess.
    [['not a url'], '<path>'],
    [['data:video/mp2t;base64,AAAA'], '<path>'],
    // CloudFront takes `*` only as the last character: a literal `*` inside the path cannot be named.
    [['https://d.cloudfront.net/a*b/seg1.ts'], '<path>'],
    [[`https://d.cloudfront.net/${'a'.repeat(4000)}.ts`], '<path>'],
  ])('invalidation path of %j', (urls, expected) => {
    expect(invalidationPathOf(urls)).toBe(expected);
  });

  test('a purge names exactly the failing URLs, not the folder of their stream; past the cap, the folder covering them', () => {
    const segment = (index: number) => `https://d.cloudfront.net/public/movie/a/seg${index}.ts`;
    expect(purgePathsOf([segment(2), segment(4), `${segment(2)}?token=1`])).toEqual(['/public/movie/a/seg2.ts', '/public/movie/a/seg4.ts']);
    const many = Array.from({ length: MAX_NAMED_PURGE_PATHS + 1 }, (_, index) => segment(index));
    expect(purgePathsOf(many.slice(0, MAX_NAMED_PURGE_PATHS))).toHaveLength(MAX_NAMED_PURGE_PATHS);
    expect(purgePathsOf(many)).toEqual(['/public/movie/a/*']);
    expect(purgePathsOf(['not a url'])).toEqual(['<path>']);
    expect(purgePathsOf([`https://d.cloudfront.net/a*b.ts`, segment(1)])).toEqual(['<path>', '/public/movie/a/seg1.ts']);
  });

  test('curl always sends Origin and quotes safely', () => {
    expect(curlWithOrigin("https://x.example/a'b.ts", 'http://localhost:3010')).toBe(`curl -sS -D - -o /dev/null -H 'Origin: http://localhost:3010' 'https://x.example/a'\\''b.ts'`);
  });

  test('the Check curl reads naturally: a signed URL in single quotes, no backslash', () => {
    const url = 'https://d.cloudfront.net/a.ts?Policy=eyJ&Signature=abc~def&Key-Pair-Id=K2J';
    const line = curlWithOrigin(url, 'https://site.example');
    expect(line).toBe(`curl -sS -D - -o /dev/null -H 'Origin: https://site.example' '${url}'`);
    expect(line).not.toContain('\\');
    expect(curlWithOrigin('https://d.cloudfront.net/a.ts', null)).toBe("curl -sS -D - -o /dev/null -H 'Origin: https://your-site.example' https://d.cloudfront.net/a.ts");
  });

  test.each([
    ['https://site.example/', 'https://site.example'],
    ['HTTPS://Site.Example:8443', 'https://site.example:8443'],
    ['null', 'null'],
    ['https://evil.example;id', 'https://your-site.example'],
    ["https://a'b.example", 'https://your-site.example'],
    ['$(id)', 'https://your-site.example'],
    ['chrome-extension://abc', 'https://your-site.example'],
  ])('the Check curl sends page origin %j as %j', (pageOrigin, sent) => {
    const words = parse(curlWithOrigin('https://d.cloudfront.net/a.ts', pageOrigin));
    expect(words).toContain(`Origin: ${sent}`);
  });

  test('a URL with no server to ask becomes the placeholder', () => {
    expect(curlWithOrigin('data:video/mp2t;base64,AAAA', 'https://site.example')).toMatch(/ '<url>'$/);
  });

  test.each([
    ['https://my-bucket.s3.ap-northeast-2.amazonaws.com/a.ts', 'my-bucket'],
    ['https://my.dotted.bucket.s3.amazonaws.com/a.ts', 'my.dotted.bucket'],
    ['https://my-bucket.s3-us-west-2.amazonaws.com/a.ts', 'my-bucket'],
    ['https://s3.amazonaws.com/other-bucket/a.ts', 'other-bucket'],
    ['https://s3.eu-west-1.amazonaws.com/other-bucket/a.ts', 'other-bucket'],
    // Legacy us-east-1 names (before 1 March 2018) live on only path-style on a us-east-1 endpoint.
    ['https://s3.amazonaws.com/Legacy_Bucket/a.ts', 'Legacy_Bucket'],
    ['https://s3.eu-west-1.amazonaws.com/Legacy_Bucket/a.ts', '<bucket>'],
    ['https://d.cloudfront.net/a.ts', '<bucket>'],
    ['https://s3.amazonaws.com/x;id;/seg.ts', '<bucket>'],
    ['https://s3.amazonaws.com/x%3Bid/seg.ts', '<bucket>'],
    ['https://s3.amazonaws.com/$(id)/seg.ts', '<bucket>'],
    ["https://x'y.s3.amazonaws.com/seg.ts", '<bucket>'],
    ['https://x$(id).s3.amazonaws.com/seg.ts', '<bucket>'],
    ['https://192.168.5.4.s3.amazonaws.com/seg.ts', '<bucket>'],
    ['https://s3.amazonaws.com/', '<bucket>'],
    ['https://name-123456789012.s3-accesspoint.us-east-1.amazonaws.com/a.ts', '<bucket>'],
    ['not a url', '<bucket>'],
  ])('bucket of %s', (url, bucket) => {
    expect(bucketOf(url)).toBe(bucket);
  });

  test.each([
    ['abc', true],
    ['my-bucket.example', true],
    ['ab', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-abc', false],
    ['abc-', false],
    ['Abc', false],
    ['a_b', false],
    ['a..b', false],
    ['192.168.5.4', false],
    ['xn--abc', false],
    ['sthree-abc', false],
    ['amzn-s3-demo-abc', false],
    ['abc-s3alias', false],
    ['abc--ol-s3', false],
    ['abc.mrap', false],
    ['abc--x-s3', false],
  ])('S3 bucket name %j is valid: %s', (name, valid) => {
    expect(isS3BucketName(name)).toBe(valid);
  });

  test('legacy names: upper-case and underscores, up to 255 characters, only when asked for', () => {
    expect(isS3BucketName('Legacy_Bucket', true)).toBe(true);
    expect(isS3BucketName(`A${'b'.repeat(254)}`, true)).toBe(true);
    expect(isS3BucketName(`A${'b'.repeat(255)}`, true)).toBe(false);
    expect(isS3BucketName('a;b', true)).toBe(false);
  });

  test('S3 CORS JSON is valid and lists the origin', () => {
    const text = s3CorsFix('https://my-bucket.s3.amazonaws.com/a.ts', { origins: ['http://localhost:3010'] });
    const json = /console JSON\): (.*)/.exec(text)?.[1];
    expect(JSON.parse(json!)).toEqual([{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['http://localhost:3010'], ExposeHeaders: [], MaxAgeSeconds: 3000 }]);
    expect(text).toContain('--bucket my-bucket');
  });

  test('the S3 CLI line is one command whose bucket and configuration are single arguments', () => {
    const { data } = s3CorsFixRef('https://s3.amazonaws.com/x;id;/seg.ts', { origins: ['https://site.example'] });
    const words = parse(data!['cli'] as string);
    expect(words.every((word) => typeof word === 'string')).toBe(true);
    expect(words.slice(0, 5)).toEqual(['aws', 's3api', 'put-bucket-cors', '--bucket', '<bucket>']);
    expect(JSON.parse(words[6] as string)).toEqual({ CORSRules: [expect.objectContaining({ AllowedOrigins: ['https://site.example'] })] });
    expect(words).toHaveLength(7);
  });

  test('AllowedOrigins: a page origin that is not an http(s) origin becomes the placeholder; none gives "*"', () => {
    const originsOf = (origins: string[]): unknown => JSON.parse(s3CorsFixRef('https://b.s3.amazonaws.com/a.ts', { origins }).data!['json'] as string)[0].AllowedOrigins;
    expect(originsOf(['https://Site.Example/'])).toEqual(['https://site.example']);
    expect(originsOf(['null'])).toEqual([PLACEHOLDER_ALLOWED_ORIGIN]);
    expect(originsOf(["https://x';id;'"])).toEqual([PLACEHOLDER_ALLOWED_ORIGIN]);
    expect(originsOf([PLACEHOLDER_ALLOWED_ORIGIN])).toEqual([PLACEHOLDER_ALLOWED_ORIGIN]);
    expect(originsOf([])).toEqual(['*']);
  });

  test('purge wording per vendor', () => {
    expect(purgeInstruction('cloudfront', '/a/*')).toContain("aws cloudfront create-invalidation --distribution-id '<DISTRIBUTION_ID>' --paths '/a/*'");
    expect(purgeInstruction('cloudfront', '/a/seg1.ts')).toContain('--paths /a/seg1.ts (');
    expect(purgeInstruction('keycdn', '/a/*')).toContain('the KeyCDN cache');
    expect(purgeInstruction('fastly', '/a/*')).toContain("fastly purge --key '<SURROGATE_KEY>'");
  });

  test('Cloud Storage CORS is set with gcloud storage buckets update, the bucket a quoted placeholder', () => {
    const text = varyFixFor('google');
    expect(text).toContain("gcloud storage buckets update 'gs://<bucket>' --cors-file=cors.json");
    expect(text).not.toContain('gsutil');
  });
});

describe('Cloudflare purges the copy kept for the request’s Origin', () => {
  const url = 'https://media.example-cf.com/hls/seg1.ts';
  const commandOf = (step: ReturnType<typeof vendorPurgeRef>): string => String((step?.data as { command?: string } | undefined)?.command);

  test('a file purge names the Origin the copy was asked for with, as Cloudflare’s purge by file takes it', () => {
    const step = vendorPurgeRef('cloudflare', '/hls/seg1.ts', 'https://media.example-cf.com', 'https://player.example.com');
    expect(step?.id).toBe('fix.purge.cloudflare.fileOrigin');
    const args = parse(commandOf(step));
    const body = JSON.parse(String(args[args.indexOf('--data') + 1])) as unknown;
    expect(body).toEqual({ files: [{ url, headers: { Origin: 'https://player.example.com' } }] });
  });

  test('without a request Origin, a prefix purge, or another vendor: as before', () => {
    expect(vendorPurgeRef('cloudflare', '/hls/seg1.ts', 'https://media.example-cf.com')?.id).toBe('fix.purge.cloudflare.file');
    expect(vendorPurgeRef('cloudflare', '/hls/*', 'https://media.example-cf.com', 'https://player.example.com')?.id).toBe('fix.purge.cloudflare.prefix');
    expect(commandOf(vendorPurgeRef('fastly', '/hls/seg1.ts', 'https://media.example-cf.com', 'https://player.example.com'))).not.toContain('player.example.com');
  });

  test('a hostile Origin stays inside the one quoted JSON argument', () => {
    const hostile = "https://x.example'; rm -rf / #\"}";
    const args = parse(commandOf(vendorPurgeRef('cloudflare', '/hls/seg1.ts', 'https://media.example-cf.com', hostile)));
    expect(args.every((arg) => typeof arg === 'string')).toBe(true);
    const body = JSON.parse(String(args[args.indexOf('--data') + 1])) as { files: Array<{ headers: { Origin: string } }> };
    expect(body.files[0]!.headers.Origin).toBe(hostile);
  });
});
