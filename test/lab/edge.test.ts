/** The lab edge behaves like CloudFront as docs/cdn-behaviour.md (sections 1–2) records it, over real loopback servers. */
import { afterEach, describe, expect, test } from 'vitest';
import { LabClock, SECOND } from './clock.ts';
import type { BehaviorConfig, LabConfig } from './config.ts';
import { incidentConfig } from './config.ts';
import { pathPatternMatches } from './edge.ts';
import { headerOf, headersOf } from './http.ts';
import { startLab, type Lab, type LabOptions } from './lab.ts';
import { S3_VARY } from './s3.ts';
import { S3_ANY_ORIGIN, behavior, labConfig } from './scenarios/types.ts';

const VIDEO = '/v/a/';
const PAGE = 'http://127.0.0.1:3010';
let lab: Lab | undefined;

afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

async function start(config: LabConfig, options: Partial<LabOptions> = {}): Promise<Lab> {
  lab = await startLab({ config, videos: [VIDEO], clock: new LabClock(Date.UTC(2025, 3, 25, 4)), ...options });
  return lab;
}
const only = (...behaviors: BehaviorConfig[]) => labConfig('test', behaviors, S3_ANY_ORIGIN);
const xCache = (response: { headers: Array<[string, string]> }) => headerOf(response, 'x-cache');

describe('behaviors and cache keys', () => {
  test('path patterns: * crosses slashes, ? is one character, case-sensitive', () => {
    expect(pathPatternMatches('/*.ts', '/public/movie/x/segment0.ts')).toBe(true);
    expect(pathPatternMatches('/*.ts', '/public/movie/x/stream.m3u8')).toBe(false);
    expect(pathPatternMatches('/segment?.ts', '/segment1.ts')).toBe(true);
    expect(pathPatternMatches('/*.TS', '/a.ts')).toBe(false);
  });

  test('the incident: .m3u8 is never cached and gets "*" from the policy only with Origin; .ts keys on Origin', async () => {
    const l = await start(incidentConfig());
    const plain = await l.request(`${VIDEO}stream.m3u8`);
    expect(headerOf(plain, 'access-control-allow-origin')).toBeNull();
    expect(headerOf(plain, 'vary')).toBe('Origin'); // the failing capture's Vary ([S], docs/cdn-behaviour.md#cloudfront-added-vary)
    const withOrigin = await l.request(`${VIDEO}stream.m3u8`, { headers: { origin: PAGE } });
    expect(headerOf(withOrigin, 'access-control-allow-origin')).toBe('*');
    expect(headerOf(withOrigin, 'access-control-allow-methods')).toBeNull(); // policy, not S3 (docs/cdn-behaviour.md#s3-fingerprint)
    expect(headerOf(withOrigin, 'x-content-type-options')).toBe('nosniff');
    expect(xCache(withOrigin)).toBe('Miss from cloudfront');
    expect(xCache(await l.request(`${VIDEO}stream.m3u8`, { headers: { origin: PAGE } }))).toBe('Miss from cloudfront');
    // CachingDisabled + no ORP: S3 never saw Origin.
    expect(l.bucket.received.filter((r) => r.url.endsWith('.m3u8')).every((r) => r.headers.origin === undefined)).toBe(true);

    await l.request(`${VIDEO}segment0.ts`); // fills the no-Origin variant
    const segment = await l.request(`${VIDEO}segment0.ts`, { headers: { origin: PAGE } });
    expect([xCache(segment), headerOf(segment, 'access-control-allow-origin'), headerOf(segment, 'vary')]).toEqual(['Miss from cloudfront', '*', S3_VARY]);
    expect(headerOf(segment, 'server')).toBe('AmazonS3');
    expect(xCache(await l.request(`${VIDEO}segment0.ts`, { headers: { origin: PAGE } }))).toBe('Hit from cloudfront');
  });

  test('Origin not in the key: the first request decides for everyone, Vary notwithstanding', async () => {
    const l = await start(only(behavior('/*.ts', 'CachingOptimized', 'CORS-S3Origin')));
    const first = await l.request(`${VIDEO}segment1.ts`, { headers: { origin: 'https://partner.example' } });
    expect(headerOf(first, 'vary')).toBe(S3_VARY);
    const second = await l.request(`${VIDEO}segment1.ts`, { headers: { origin: PAGE } });
    expect(xCache(second)).toBe('Hit from cloudfront');
    expect(headerOf(second, 'access-control-allow-origin')).toBe('*'); // the copy made for partner.example
    expect(l.bucket.received.length).toBe(1);
    await l.request(`${VIDEO}segment2.ts`); // without Origin: poisons
    const poisoned = await l.request(`${VIDEO}segment2.ts`, { headers: { origin: PAGE } });
    expect([xCache(poisoned), headerOf(poisoned, 'access-control-allow-origin')]).toEqual(['Hit from cloudfront', null]);
  });

  test('origin request policies decide which viewer headers reach S3', async () => {
    const l = await start(only(behavior('/a/*', 'CachingDisabled'), behavior('/b/*', 'CachingDisabled', 'CORS-S3Origin'), behavior('/c/*', 'CachingDisabled', 'AllViewerExceptHostHeader')), { videos: ['/a/', '/b/', '/c/'] });
    const headers = { origin: PAGE, 'access-control-request-method': 'GET', referer: `${PAGE}/` };
    for (const folder of ['/a/', '/b/', '/c/']) await l.request(`${folder}segment0.ts`, { headers });
    const seen = l.bucket.received.map((r) => [r.headers.origin ?? null, r.headers['access-control-request-method'] ?? null, r.headers.referer ?? null, r.headers.host]);
    expect(seen).toEqual([
      [null, null, null, 'lab-bucket.s3.amazonaws.com'],
      [PAGE, 'GET', null, 'lab-bucket.s3.amazonaws.com'],
      [PAGE, 'GET', `${PAGE}/`, 'lab-bucket.s3.amazonaws.com'],
    ]);
  });

  test('query strings: Elemental-MediaPackage keys on its four names only', async () => {
    const l = await start(only(behavior('/*', 'Elemental-MediaPackage')));
    await l.request(`${VIDEO}segment0.ts?start=1&token=a`);
    expect(xCache(await l.request(`${VIDEO}segment0.ts?token=b&start=1`))).toBe('Hit from cloudfront');
    expect(xCache(await l.request(`${VIDEO}segment0.ts?start=2&token=a`))).toBe('Miss from cloudfront');
    expect(l.bucket.received.map((r) => r.url)).toEqual([`${VIDEO}segment0.ts?start=1`, `${VIDEO}segment0.ts?start=2`]);
  });
});

describe('response headers', () => {
  test('x-cache, via, x-amz-cf-pop, x-amz-cf-id; age from the lab clock on hits', async () => {
    const l = await start(only(behavior('/*', 'CachingOptimized')));
    const miss = await l.request(`${VIDEO}segment0.ts`);
    expect(headerOf(miss, 'via')).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(headerOf(miss, 'x-amz-cf-pop')).toBe('ICN80-P3');
    expect(headerOf(miss, 'x-amz-cf-id')).toMatch(/^[A-Za-z0-9+/]{56}$/);
    expect(headerOf(miss, 'age')).toBeNull();
    l.clock.advance(125 * SECOND);
    const hit = await l.request(`${VIDEO}segment0.ts`);
    expect([xCache(hit), headerOf(hit, 'age')]).toEqual(['Hit from cloudfront', '125']);
    expect(headerOf(hit, 'date')).toBe(headerOf(miss, 'date'));
  });

  test('the response headers policy keeps the origin\'s ACAO (override off) and adds none without Origin', async () => {
    const l = await start(only(behavior('/*', 'Elemental-MediaPackage', null, 'CORS-With-Preflight')), { config: labConfig('echo', [behavior('/*', 'Elemental-MediaPackage', null, 'CORS-With-Preflight')], [{ AllowedOrigins: [PAGE], AllowedMethods: ['GET'] }]) });
    const cors = await l.request(`${VIDEO}segment0.ts`, { headers: { origin: PAGE } });
    expect(headersOf(cors, 'access-control-allow-origin')).toEqual([PAGE]);
    const other = await l.request(`${VIDEO}segment0.ts`, { headers: { origin: 'https://other.example' } });
    expect(headersOf(other, 'access-control-allow-origin')).toEqual(['*']);
    expect(headerOf(await l.request(`${VIDEO}segment0.ts`), 'access-control-allow-origin')).toBeNull();
  });

  test('an appending edge function duplicates ACAO', async () => {
    const l = await start(only(behavior('/*', 'Elemental-MediaPackage', null, null, { edgeFunction: { appendResponseHeaders: [['access-control-allow-origin', '*']] } })));
    expect(headersOf(await l.request(`${VIDEO}segment0.ts`, { headers: { origin: PAGE } }), 'access-control-allow-origin')).toEqual(['*', '*']);
  });
});

describe('TTLs, POPs, invalidation, errors', () => {
  test('Default TTL without Cache-Control; max-age within Min/Max; expiry revalidates (RefreshHit); CachingDisabled never caches', async () => {
    const l = await start(only(behavior('/*.m3u8', 'CachingOptimized'), behavior('/*.ts', 'CachingDisabled')), { cacheControl: { '.m3u8': 'max-age=60' } });
    await l.request(`${VIDEO}stream.m3u8`);
    l.clock.advance(59 * SECOND);
    expect(xCache(await l.request(`${VIDEO}stream.m3u8`))).toBe('Hit from cloudfront');
    l.clock.advance(2 * SECOND);
    const refreshed = await l.request(`${VIDEO}stream.m3u8`);
    expect([xCache(refreshed), headerOf(refreshed, 'age')]).toEqual(['RefreshHit from cloudfront', '0']);
    expect(l.bucket.received.at(-1)!.headers['if-none-match']).toMatch(/^"[0-9a-f]{32}"$/);
    await l.request(`${VIDEO}segment0.ts`);
    expect(xCache(await l.request(`${VIDEO}segment0.ts`))).toBe('Miss from cloudfront');
  });

  test('each POP has its own cache; a host name picks the POP', async () => {
    const l = await start(only(behavior('/*', 'CachingOptimized')));
    await l.request(`${VIDEO}segment0.ts`, { pop: 'NRT57-P1' });
    expect(headerOf(await l.request(`${VIDEO}segment0.ts`, { pop: 'NRT57-P1' }), 'x-amz-cf-pop')).toBe('NRT57-P1');
    expect(xCache(await l.request(`${VIDEO}segment0.ts`, { pop: 'NRT57-P1' }))).toBe('Hit from cloudfront');
    expect(xCache(await l.request(`${VIDEO}segment0.ts`, { pop: 'ICN80-P3' }))).toBe('Miss from cloudfront');
    expect(l.edge.cached('ICN80-P3').length).toBe(1);
    expect(l.edge.cached('NRT57-P1').length).toBe(1);
  });

  test('invalidation removes every variant at every POP; the HTTP endpoint does the same', async () => {
    const l = await start(only(behavior('/*', 'Elemental-MediaPackage')));
    for (const pop of ['ICN80-P3', 'NRT57-P1']) {
      await l.request(`${VIDEO}segment0.ts`, { pop });
      await l.request(`${VIDEO}segment0.ts`, { pop, headers: { origin: PAGE } });
    }
    await l.request(`${VIDEO}stream.m3u8`);
    expect(l.edge.invalidate([`${VIDEO}segment*`])).toBe(4);
    expect(l.edge.cached('ICN80-P3').map((entry) => entry.path)).toEqual([`${VIDEO}stream.m3u8`]);
    const response = await l.request(`/__lab/invalidate?path=${encodeURIComponent(`${VIDEO}*`)}`, { method: 'POST' });
    expect(JSON.parse(response.body.toString())).toEqual({ removed: 1, paths: [`${VIDEO}*`] });
    expect(l.edge.cached('ICN80-P3')).toEqual([]);
  });

  test('a 404 is cached for the 10 s error-caching TTL, then the object is fetched again', async () => {
    const l = await start(only(behavior('/*', 'Elemental-MediaPackage')), { missing: [`${VIDEO}segment2.ts`] });
    const first = await l.request(`${VIDEO}segment2.ts`, { headers: { origin: PAGE } });
    expect([first.status, xCache(first), headerOf(first, 'access-control-allow-origin')]).toEqual([404, 'Error from cloudfront', null]);
    l.upload(`${VIDEO}segment2.ts`);
    l.clock.advance(9 * SECOND);
    const cached = await l.request(`${VIDEO}segment2.ts`, { headers: { origin: PAGE } });
    expect([cached.status, xCache(cached), headerOf(cached, 'age')]).toEqual([404, 'Error from cloudfront', '9']);
    l.clock.advance(2 * SECOND);
    const fixed = await l.request(`${VIDEO}segment2.ts`, { headers: { origin: PAGE } });
    expect([fixed.status, xCache(fixed), headerOf(fixed, 'access-control-allow-origin')]).toEqual([200, 'Miss from cloudfront', '*']);
  });

  test('a 403 without Cache-Control is not cached; OPTIONS on a GET/HEAD behavior is refused at the edge', async () => {
    const l = await start(
      labConfig('t', [behavior('/x/*', 'CachingOptimized'), behavior('/*', 'CachingOptimized', 'CORS-S3Origin', null, { allowedMethods: ['GET', 'HEAD', 'OPTIONS'], cachedMethods: ['GET', 'HEAD', 'OPTIONS'] })], null),
    );
    const preflight = { origin: PAGE, 'access-control-request-method': 'GET' };
    expect((await l.request(`${VIDEO}segment0.ts`, { method: 'OPTIONS', headers: preflight })).status).toBe(403);
    expect((await l.request(`${VIDEO}segment0.ts`, { method: 'OPTIONS', headers: preflight })).status).toBe(403);
    expect(l.bucket.received.length).toBe(2);
    const refused = await l.request('/x/segment0.ts', { method: 'OPTIONS', headers: preflight });
    expect([refused.status, xCache(refused), l.bucket.received.length]).toEqual([403, 'Error from cloudfront', 2]);
  });

  test('a copy cached before Origin entered the key is still served after the change (R5)', async () => {
    const l = await start(only(behavior('/*.ts', 'CachingOptimized', 'CORS-S3Origin')));
    await l.request(`${VIDEO}segment1.ts`);
    l.apply(only(behavior('/*.ts', 'Elemental-MediaPackage')));
    l.clock.advance(3600 * SECOND);
    const stale = await l.request(`${VIDEO}segment1.ts`, { headers: { origin: PAGE } });
    expect([xCache(stale), headerOf(stale, 'age'), headerOf(stale, 'access-control-allow-origin')]).toEqual(['Hit from cloudfront', '3600', null]);
    const fresh = await l.request(`${VIDEO}segment0.ts`, { headers: { origin: PAGE } });
    expect([xCache(fresh), headerOf(fresh, 'access-control-allow-origin')]).toEqual(['Miss from cloudfront', '*']);
  });
});
