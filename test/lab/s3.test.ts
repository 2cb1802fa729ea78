/** The lab bucket answers as docs/cdn-behaviour.md#s3 records S3 (LocalStack snapshots recorded against AWS). */
import { describe, expect, test } from 'vitest';
import { LabClock } from './clock.ts';
import type { BucketObject, S3CorsRule } from './config.ts';
import { headerOf, headersOf, type LabRequest } from './http.ts';
import { S3Bucket, S3_VARY } from './s3.ts';

const OBJECT: BucketObject = { body: Buffer.from('#EXTM3U\n'), contentType: 'application/vnd.apple.mpegurl', lastModified: Date.UTC(2025, 3, 25) };
const SPECIFIC: S3CorsRule[] = [{ AllowedOrigins: ['https://localhost:4200'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], MaxAgeSeconds: 3000 }];
const ANY: S3CorsRule[] = [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], MaxAgeSeconds: 3000 }];

function bucket(cors: S3CorsRule[] | null): S3Bucket {
  return new S3Bucket(new LabClock(0), new Map([['/v/stream.m3u8', OBJECT]]), cors);
}
const req = (method: string, headers: Record<string, string> = {}, url = '/v/stream.m3u8'): LabRequest => ({ method, url, headers });
const corsNames = (headers: Array<[string, string]>) => headers.map(([name]) => name).filter((name) => name.startsWith('access-control-') || name === 'vary');

describe('GET', () => {
  test('no Origin: 200 without CORS headers and without Vary (get-no-origin)', async () => {
    const response = await bucket(SPECIFIC).handle(req('GET'));
    expect(response.status).toBe(200);
    expect(corsNames(response.headers)).toEqual([]);
    expect(headerOf(response, 'server')).toBe('AmazonS3');
  });

  test('a listed origin is echoed with credentials, methods, max-age and the three-part Vary (get-right-origin)', async () => {
    const response = await bucket(SPECIFIC).handle(req('GET', { origin: 'https://localhost:4200' }));
    expect(response.headers.filter(([name]) => corsNames([[name, '']]).length > 0)).toEqual([
      ['access-control-allow-origin', 'https://localhost:4200'],
      ['access-control-allow-credentials', 'true'],
      ['access-control-allow-methods', 'GET, PUT'],
      ['access-control-max-age', '3000'],
      ['vary', S3_VARY],
    ]);
  });

  test('a wrong origin (scheme differs): 200 with the body, no CORS, no Vary (get-wrong-origin)', async () => {
    const response = await bucket(SPECIFIC).handle(req('GET', { origin: 'http://localhost:4200' }));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('#EXTM3U\n');
    expect(corsNames(response.headers)).toEqual([]);
  });

  test('AllowedOrigins "*": "*" is sent, not the origin, and no credentials header', async () => {
    const response = await bucket(ANY).handle(req('GET', { origin: 'http://random:1234' }));
    expect(headerOf(response, 'access-control-allow-origin')).toBe('*');
    expect(headerOf(response, 'access-control-allow-credentials')).toBeNull();
    expect(headerOf(response, 'vary')).toBe(S3_VARY);
  });

  test('a GET carrying Access-Control-Request-Method is judged on that method (get-wrong-op)', async () => {
    const rules: S3CorsRule[] = [{ AllowedOrigins: ['https://localhost:4200'], AllowedMethods: ['GET'] }];
    const response = await bucket(rules).handle(req('GET', { origin: 'https://localhost:4200', 'access-control-request-method': 'PUT' }));
    expect(response.status).toBe(200);
    expect(corsNames(response.headers)).toEqual([]);
  });

  test('a wildcard in an AllowedOrigin matches a subdomain, not a trailing slash', async () => {
    const rules: S3CorsRule[] = [{ AllowedOrigins: ['http://*.origin.com'], AllowedMethods: ['GET'] }];
    expect(headerOf(await bucket(rules).handle(req('GET', { origin: 'http://test.origin.com' })), 'access-control-allow-origin')).toBe('http://test.origin.com');
    expect(headerOf(await bucket(rules).handle(req('GET', { origin: 'http://test.origin.com/' })), 'access-control-allow-origin')).toBeNull();
  });

  test('a missing key: 404 NoSuchKey, XML, no CORS headers', async () => {
    const response = await bucket(ANY).handle(req('GET', { origin: 'http://random:1234' }, '/v/segment9.ts'));
    expect(response.status).toBe(404);
    expect(response.body.toString()).toContain('<Code>NoSuchKey</Code>');
    expect(corsNames(response.headers)).toEqual([]);
  });

  test('If-None-Match with the ETag: 304; a Range: 206 with Content-Range', async () => {
    const b = bucket(ANY);
    const etag = headerOf(await b.handle(req('GET')), 'etag')!;
    expect((await b.handle(req('GET', { 'if-none-match': etag }))).status).toBe(304);
    const partial = await b.handle(req('GET', { range: 'bytes=0-2' }));
    expect([partial.status, partial.body.toString(), headerOf(partial, 'content-range')]).toEqual([206, '#EX', 'bytes 0-2/8']);
  });
});

describe('OPTIONS', () => {
  test('without Origin: 400 "Origin request header needed" (options-no-origin)', async () => {
    const response = await bucket(ANY).handle(req('OPTIONS'));
    expect(response.status).toBe(400);
    expect(response.body.toString()).toContain('<Code>BadRequest</Code><Message>Insufficient information. Origin request header needed.</Message>');
  });

  test('no CORS configuration: 403 "CORS is not enabled for this bucket" (options-with-origin-and-method)', async () => {
    const response = await bucket(null).handle(req('OPTIONS', { origin: 'http://x', 'access-control-request-method': 'PUT' }));
    expect(response.status).toBe(403);
    expect(response.body.toString()).toContain('<Message>CORSResponse: CORS is not enabled for this bucket.</Message><Method>PUT</Method><ResourceType>BUCKET</ResourceType>');
  });

  test('no matching rule: 403 "This CORS request is not allowed" (opt-wrong-origin)', async () => {
    const response = await bucket(SPECIFIC).handle(req('OPTIONS', { origin: 'http://localhost:4200', 'access-control-request-method': 'PUT' }));
    expect(response.status).toBe(403);
    expect(response.body.toString()).toContain('CORSResponse: This CORS request is not allowed.');
    expect(response.body.toString()).toContain('<ResourceType>OBJECT</ResourceType>');
    expect(corsNames(response.headers)).toEqual([]);
  });

  test('requested headers are echoed lower-cased when AllowedHeaders is "*" (opt-get-two)', async () => {
    const response = await bucket(ANY).handle(req('OPTIONS', { origin: 'http://x', 'access-control-request-method': 'GET', 'access-control-request-headers': 'X-Amz-Request-Payer, x-amz-expected-bucket-owner' }));
    expect(response.status).toBe(200);
    expect(headerOf(response, 'access-control-allow-headers')).toBe('x-amz-request-payer, x-amz-expected-bucket-owner');
    expect(headersOf(response, 'vary')).toEqual([S3_VARY]);
  });

  test('a requested header while the rule lists no AllowedHeaders: 403 (opt-get-headers)', async () => {
    const rules: S3CorsRule[] = [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }];
    const response = await bucket(rules).handle(req('OPTIONS', { origin: 'http://x', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-player-session' }));
    expect(response.status).toBe(403);
  });

  test('default values: no Max-Age without MaxAgeSeconds; ExposeHeaders are listed (test_put_cors_default_values, test_cors_expose_headers)', async () => {
    const rules: S3CorsRule[] = [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], ExposeHeaders: ['x-amz-id-2', 'x-amz-request-id'] }];
    const response = await bucket(rules).handle(req('OPTIONS', { origin: 'http://x', 'access-control-request-method': 'GET' }));
    expect(headerOf(response, 'access-control-max-age')).toBeNull();
    expect(headerOf(response, 'access-control-allow-methods')).toBe('GET');
    expect(headerOf(response, 'access-control-expose-headers')).toBe('x-amz-id-2, x-amz-request-id');
  });
});
