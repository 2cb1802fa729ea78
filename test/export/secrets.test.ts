import { describe, expect, it } from 'vitest';
import { isSecretHeader, isSecretParam, urlCarriesSecret } from '../../src/export/secrets.ts';

describe('the secret catalogue', () => {
  it('names the signed-URL and credential query parameters of every vendor it knows', () => {
    const secret = [
      'Policy', 'Signature', 'Key-Pair-Id', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'X-Goog-Signature',
      'X-Goog-Credential', 'GoogleAccessId', 'sig', 'hdnts', 'md5', 'ks', 'sign', 'lsig', 'hmac', 'x-hmac', '__token__', 'token', 'access_token', 'api_key', 'apikey', 'apiKey',
      'auth_key', 'client_secret', 'jwt', 'sessionid', 'password', 'key',
    ];
    for (const name of secret) expect(isSecretParam(name), name).toBe(true);
    for (const name of ['v', 'bitrate', 'start', 'expires', 'lang', 'segment']) expect(isSecretParam(name), name).toBe(false);
  });

  it('names the secret headers', () => {
    for (const name of ['Cookie', 'set-cookie', 'Authorization', 'proxy-authorization', 'x-api-key', 'X-Amz-Security-Token', 'x-auth-token', 'x-session-id', 'X-Client-Secret'])
      expect(isSecretHeader(name), name).toBe(true);
    for (const name of ['origin', 'access-control-allow-origin', 'content-range', 'x-cache', 'vary']) expect(isSecretHeader(name), name).toBe(false);
  });

  it('tells a signed or keyed URL from a plain one', () => {
    expect(urlCarriesSecret('https://d1.cloudfront.net/a.ts?Expires=1&Signature=abc&Key-Pair-Id=K')).toBe(true);
    expect(urlCarriesSecret('https://b.s3.amazonaws.com/a.ts?X-Amz-Signature=abc')).toBe(true);
    expect(urlCarriesSecret('https://user:pw@media.example/a.ts')).toBe(true);
    expect(urlCarriesSecret('https://media.example/a.ts?v=2')).toBe(false);
    expect(urlCarriesSecret('https://media.example/a.ts')).toBe(false);
    expect(urlCarriesSecret('not a url ?token=1')).toBe(false);
  });
});
