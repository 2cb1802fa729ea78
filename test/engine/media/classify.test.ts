import { describe, expect, test } from 'vitest';
import { classifyRequest, fileKindOf, fileNameOf, isMedia, isPlaylist, isSegment } from '../../../src/engine/media/classify.ts';

describe('classifyRequest by URL', () => {
  test.each([
    ['https://cdn.test/v/master.m3u8', 'master-playlist', 'hls'],
    ['https://cdn.test/v/origin.m3u8?sig=1', 'master-playlist', 'hls'],
    ['https://cdn.test/v/720p.m3u8', 'playlist', 'hls'],
    ['https://cdn.test/v/seg_00012.ts', 'segment', 'hls'],
    ['https://cdn.test/v/chunk-3.m4s', 'segment', 'unknown'],
    ['https://cdn.test/v/init.mp4', 'init-segment', 'unknown'],
    ['https://cdn.test/v/video_init.m4s', 'init-segment', 'unknown'],
    ['https://cdn.test/v/header.m4s', 'init-segment', 'unknown'],
    ['https://cdn.test/v/manifest.mpd', 'dash-manifest', 'dash'],
    ['https://cdn.test/v/movie.mp4', 'progressive', 'progressive'],
    ['https://cdn.test/v/audio_1.aac', 'audio', 'hls'],
    ['https://cdn.test/v/subs_en.vtt', 'subtitles', 'unknown'],
    ['https://cdn.test/v/enc.key', 'key', 'hls'],
  ])('%s → %s', (url, kind, format) => {
    expect(classifyRequest(url, 'GET', null)).toMatchObject({ kind, format });
  });
});

describe('classifyRequest by Content-Type when the URL says nothing', () => {
  test.each([
    ['application/vnd.apple.mpegurl', 'playlist'],
    ['application/x-mpegURL; charset=utf-8', 'playlist'],
    ['video/MP2T', 'segment'],
    ['application/dash+xml', 'dash-manifest'],
    ['text/vtt', 'subtitles'],
    ['video/mp4', 'progressive'],
    ['audio/mp4', 'audio'],
  ])('%s → %s', (contentType, kind) => {
    expect(classifyRequest('https://cdn.test/api/stream?id=1', 'GET', [['content-type', contentType]]).kind).toBe(kind);
  });

  test('ordinary API and page traffic is not media', () => {
    expect(classifyRequest('https://api.test/v1/items', 'GET', [['content-type', 'application/json']]).kind).toBe('other');
    expect(classifyRequest('https://site.test/app.js', 'GET', null).kind).toBe('other');
  });
});

describe('odd input', () => {
  test.each(['data:video/mp2t;base64,AAAA', 'blob:https://site.test/1234', 'chrome-extension://abc/x.ts', '', 'not a url.ts'])(
    'non-http URL %j is not media',
    (url) => {
      expect(isMedia(classifyRequest(url, 'GET', [['content-type', 'video/mp2t']]))).toBe(false);
    },
  );

  test('a preflight for a media URL is kept as a preflight; for anything else it is other', () => {
    expect(classifyRequest('https://cdn.test/a/seg1.ts', 'OPTIONS', null)).toMatchObject({ kind: 'preflight', format: 'hls' });
    expect(classifyRequest('https://api.test/v1', 'OPTIONS', null).kind).toBe('other');
  });

  test('fileNameOf decodes and falls back to the URL', () => {
    expect(fileNameOf('https://cdn.test/a/my%20seg.ts?x=1#y')).toBe('my seg.ts');
    expect(fileNameOf('https://cdn.test/a/bad%E0.ts')).toBe('bad%E0.ts');
    expect(fileNameOf('https://cdn.test/')).toBe('https://cdn.test/');
  });
});

describe('media kind predicates', () => {
  const KINDS = ['master-playlist', 'media-playlist', 'playlist', 'segment', 'init-segment', 'dash-manifest', 'progressive', 'audio', 'subtitles', 'key', 'preflight', 'other'] as const;

  test('every kind is a playlist, a segment or neither, and media is exactly the first two', () => {
    for (const kind of KINDS) {
      const media = { kind, format: 'unknown' } as const;
      const named = [isPlaylist(media), isSegment(media)].filter(Boolean).length;
      expect(named, kind).toBeLessThanOrEqual(1);
      expect(isMedia(media), kind).toBe(named === 1);
    }
  });

  test('fileKindOf words each kind as the rules do', () => {
    expect(KINDS.map((kind) => fileKindOf({ kind, format: 'unknown' }))).toEqual([
      'playlist', 'playlist', 'playlist', 'segment', 'segment', 'playlist', 'segment', 'segment', 'segment', 'segment', 'other', 'other',
    ]);
  });
});

describe('other CORS requests (what a player depends on besides media)', () => {
  const page = 'https://player.test';
  const sent = (headers: Record<string, string>, pageOrigin: string | null = page) => ({ headers: Object.entries(headers), pageOrigin });

  test.each([
    ['a DRM licence POST', 'https://license.test/widevine', 'POST', { origin: page, 'sec-fetch-mode': 'cors', 'content-type': 'application/octet-stream' }],
    ['a FairPlay certificate', 'https://drm.test/fps/cert', 'GET', { 'sec-fetch-mode': 'cors' }],
    ['a key URL without a .key name', 'https://keys.test/k?id=7', 'GET', { origin: page, 'sec-fetch-mode': 'cors' }],
    ['a playback API', 'https://api.test/v1/playback/123', 'GET', { origin: page }],
    ['a CMCD beacon', 'https://cmcd.test/report?CMCD=bl%3D2000', 'POST', { origin: page, 'sec-fetch-mode': 'cors' }],
  ])('%s is a cors-request', (_what, url, method, headers) => {
    expect(classifyRequest(url, method, [['content-type', 'application/json']], sent(headers))).toEqual({ kind: 'cors-request', format: 'unknown' });
    expect(isMedia({ kind: 'cors-request', format: 'unknown' })).toBe(false);
    expect(fileKindOf({ kind: 'cors-request', format: 'unknown' })).toBe('other');
  });

  test('not CORS, or not cross-origin, is not one: no-cors, same-origin fetch, same-origin POST', () => {
    expect(classifyRequest('https://img.test/thumb.jpg', 'GET', null, sent({ 'sec-fetch-mode': 'no-cors' })).kind).toBe('other');
    expect(classifyRequest('https://player.test/api/me', 'GET', null, sent({ 'sec-fetch-mode': 'cors' })).kind).toBe('other');
    expect(classifyRequest('https://player.test/api/log', 'POST', null, sent({ origin: page, 'sec-fetch-mode': 'cors' })).kind).toBe('other');
    // Without what was sent (an importer that does not say), nothing changes.
    expect(classifyRequest('https://api.test/v1', 'GET', null).kind).toBe('other');
  });

  test('a CORS request from an unknown page origin, or an opaque one, is one', () => {
    expect(classifyRequest('https://api.test/v1', 'GET', null, sent({ 'sec-fetch-mode': 'cors' }, null)).kind).toBe('cors-request');
    expect(classifyRequest('https://api.test/v1', 'GET', null, sent({ origin: 'null' })).kind).toBe('cors-request');
  });

  test('media stays media whatever was sent; the preflight of another CORS request is a preflight', () => {
    expect(classifyRequest('https://cdn.test/v/seg1.ts', 'GET', null, sent({ origin: page })).kind).toBe('segment');
    expect(classifyRequest('https://license.test/widevine', 'OPTIONS', null, sent({ origin: page, 'access-control-request-method': 'POST' }))).toEqual({ kind: 'preflight', format: 'unknown' });
    expect(classifyRequest('https://license.test/widevine', 'OPTIONS', null, sent({ origin: page })).kind).toBe('other');
  });
});
