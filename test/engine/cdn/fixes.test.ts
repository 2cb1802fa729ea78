import { describe, expect, test } from 'vitest';
import { bucketOf, curlWithOrigin, invalidationPathOf, purgeInstruction, s3CorsFix } from '../../../src/engine/cdn/index.ts';

describe('fix building blocks', () => {
  test.each([
    [['https://d.cloudfront.net/public/movie/a/seg1.ts', 'https://d.cloudfront.net/public/movie/b/seg9.ts'], '/public/movie/*'],
    [['https://d.cloudfront.net/public/movie/a/seg1.ts', 'https://d.cloudfront.net/public/movie/a/seg2.ts'], '/public/movie/a/*'],
    [['https://d.cloudfront.net/public/movie/a/seg1.ts', 'https://d.cloudfront.net/public/movie/a/seg1.ts?x=1'], '/public/movie/a/seg1.ts'],
    [['https://d.cloudfront.net/a.ts', 'https://d.cloudfront.net/b.ts'], '/*'],
    [['not a url'], '/*'],
  ])('invalidation path of %j', (urls, expected) => {
    expect(invalidationPathOf(urls)).toBe(expected);
  });

  test('curl always sends Origin and quotes safely', () => {
    expect(curlWithOrigin("https://x.example/a'b.ts", 'http://localhost:3010')).toBe(`curl -sS -o /dev/null -D - -H 'Origin: http://localhost:3010' 'https://x.example/a'\\''b.ts'`);
  });

  test.each([
    ['https://my-bucket.s3.ap-northeast-2.amazonaws.com/a.ts', 'my-bucket'],
    ['https://s3.amazonaws.com/other-bucket/a.ts', 'other-bucket'],
    ['https://d.cloudfront.net/a.ts', '<bucket>'],
  ])('bucket of %s', (url, bucket) => {
    expect(bucketOf(url)).toBe(bucket);
  });

  test('S3 CORS JSON is valid and lists the origin', () => {
    const text = s3CorsFix('https://my-bucket.s3.amazonaws.com/a.ts', { origins: ['http://localhost:3010'] });
    const json = /console JSON\): (.*)/.exec(text)?.[1];
    expect(JSON.parse(json!)).toEqual([{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['http://localhost:3010'], ExposeHeaders: [], MaxAgeSeconds: 3000 }]);
    expect(text).toContain('--bucket my-bucket');
  });

  test('purge wording per vendor', () => {
    expect(purgeInstruction('cloudfront', '/a/*')).toContain("aws cloudfront create-invalidation --distribution-id <DISTRIBUTION_ID> --paths '/a/*'");
    expect(purgeInstruction('fastly', '/a/*')).toContain('the fastly cache');
  });
});
