import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { cdnFactsOf, storageFactsOf } from '../../../src/engine/cdn/index.ts';
import type { HeaderList } from '../../../src/engine/model.ts';
import { storageFactsOfReader } from '../../../src/engine/cdn/storage.ts';
import { ResponseHeaders } from '../../../src/engine/cdn/response-headers.ts';

const S3_CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD', vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method', server: 'AmazonS3' };
const SECURITY = { 'x-xss-protection': '1; mode=block', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'strict-origin-when-cross-origin', 'x-content-type-options': 'nosniff', 'strict-transport-security': 'max-age=31536000' };
const CLOUDFRONT = { 'x-cache': 'Miss from cloudfront', 'x-amz-cf-pop': 'ICN80-P3' };
const headers = (record: Record<string, string>): HeaderList => Object.entries(record);

describe('storage fingerprints', () => {
  test("S3's CORS answer on a GET", () => {
    const facts = storageFactsOf(headers(S3_CORS), 'GET');
    expect(facts.service).toBe('s3');
    expect(facts.s3CorsFingerprint).toBe(true);
  });

  test('Allow-Methods means nothing on an OPTIONS (every preflight answer has it)', () => {
    expect(storageFactsOf(headers(S3_CORS), 'OPTIONS').s3CorsFingerprint).toBe(false);
  });

  test('a two-part Vary is not S3', () => {
    expect(storageFactsOf(headers({ ...S3_CORS, vary: 'Origin' }), 'GET').s3CorsFingerprint).toBe(false);
  });

  test.each([
    [{ 'x-goog-generation': '1700000000000000' }, 'gcs'],
    [{ server: 'UploadServer' }, 'gcs'],
    [{ 'x-ms-blob-type': 'BlockBlob' }, 'azure-blob'],
    [{ 'x-amz-server-side-encryption': 'AES256' }, 's3'],
    [{ server: 'nginx' }, null],
  ])('service of %j', (input, service) => {
    expect(storageFactsOf(headers(input), 'GET').service).toBe(service);
  });

  test('the SecurityHeadersPolicy needs at least four of its five headers', () => {
    expect(storageFactsOf(headers(SECURITY), 'GET').securityHeadersPolicy).toHaveLength(5);
    const { 'x-xss-protection': _xss, 'x-frame-options': _frame, ...two } = SECURITY;
    expect(storageFactsOf(headers({ ...two }), 'GET').securityHeadersPolicy).toEqual([]);
  });
});

describe('which layer wrote ACAO', () => {
  test('S3 through CloudFront', () => {
    expect(cdnFactsOf(headers({ ...S3_CORS, ...CLOUDFRONT })).corsLayer).toBe('storage');
  });
  test('a CloudFront response headers policy over an S3 object', () => {
    expect(cdnFactsOf(headers({ server: 'AmazonS3', 'access-control-allow-origin': '*', ...CLOUDFRONT, ...SECURITY })).corsLayer).toBe('cdn-policy');
  });
  test('an unknown origin', () => {
    expect(cdnFactsOf(headers({ 'access-control-allow-origin': '*' })).corsLayer).toBe('unknown');
  });
  test('no ACAO', () => {
    expect(cdnFactsOf(headers({ server: 'AmazonS3', ...CLOUDFRONT })).corsLayer).toBeNull();
  });
});

describe('storage facts shared between records', () => {
  test('the shared (frozen) facts equal the facts worked out on their own, response after response', () => {
    const name = fc.constantFrom('server', 'Server', 'x-amz-server-side-encryption', 'x-goog-generation', 'x-ms-blob-type', 'access-control-allow-origin', 'access-control-allow-methods', 'vary', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'x-xss-protection', 'strict-transport-security');
    const value = fc.constantFrom('AmazonS3', 'UploadServer', 'nginx', 'AES256', '1', 'BlockBlob', '*', 'GET, HEAD', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method', 'Origin', 'SAMEORIGIN', 'nosniff', 'strict-origin-when-cross-origin', '1; mode=block', 'max-age=31536000');
    const response = fc.tuple(fc.array(fc.tuple(name, value), { maxLength: 10 }), fc.constantFrom('GET', 'HEAD', 'OPTIONS'));
    fc.assert(
      fc.property(fc.array(response, { minLength: 1, maxLength: 8 }), (responses) => {
        for (const [list, method] of responses) {
          const lowered: HeaderList = list.map(([n, v]) => [n.toLowerCase(), v]);
          expect(storageFactsOfReader(new ResponseHeaders(lowered), method, true)).toEqual(storageFactsOf(lowered, method));
        }
      }),
      { numRuns: 1500 },
    );
  });
});
