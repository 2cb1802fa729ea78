import { describe, expect, test } from 'vitest';
import { analyze, headerValue, verdictForRecord } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { Recorder } from '../../src/background/recorder.ts';
import { loadRecordedEvents, replay } from './replay.ts';

const fileOf = (record: RequestRecord) => record.url.split('/').pop();
const mediaOnly = (records: RequestRecord[]) => records.filter((record) => record.media.kind !== 'other');

describe('Chromium 156 recorded events (hls.js, segment2 without ACAO)', () => {
  const { records, recorder } = replay(loadRecordedEvents('chromium-hls-segment2-no-acao.json'), 'chromium');
  const media = mediaOnly(records);

  test('one record per requestId, nothing left in flight', () => {
    expect(recorder.inFlightCount).toBe(0);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(media.map(fileOf)).toEqual(['stream.m3u8', 'segment0.ts', 'segment1.ts', 'segment2.ts', 'segment2.ts']);
  });

  test('onHeadersReceived → onErrorOccurred net::ERR_FAILED keeps the status and headers of the blocked response', () => {
    const blocked = media.filter((r) => fileOf(r) === 'segment2.ts');
    for (const record of blocked) {
      expect(record.state).toBe('error');
      expect(record.error).toBe('net::ERR_FAILED');
      expect(record.status).toBe(200);
      expect(headerValue(record.responseHeaders, 'access-control-allow-origin')).toBeNull();
      expect(headerValue(record.responseHeaders, 'x-cache')).toBe('Hit from cloudfront');
      expect(headerValue(record.requestHeaders, 'origin')).toBe('http://127.0.0.1:8000');
      expect(headerValue(record.requestHeaders, 'sec-fetch-mode')).toBe('cors');
      expect(record.pageOrigin).toBe('http://127.0.0.1:8000');
      expect(record.media).toMatchObject({ kind: 'segment', format: 'hls' });
      expect(record.timings.headersReceived).toBeGreaterThanOrEqual(record.timings.start);
      expect(record.timings.end).toBeGreaterThanOrEqual(record.timings.headersReceived!);
      expect(verdictForRecord(record)).toMatchObject({ outcome: 'fail', chromiumError: 'MissingAllowOriginHeader' });
    }
    expect(blocked[0]!.id).not.toBe(blocked[1]!.id);
  });

  test('the playlist and the good segments pass, with ip and lower-cased header names', () => {
    const good = media.filter((r) => fileOf(r) !== 'segment2.ts');
    for (const record of good) {
      expect(record.state).toBe('complete');
      expect(record.ip).toBeTruthy();
      expect(record.responseHeaders!.every(([name]) => name === name.toLowerCase())).toBe(true);
      expect(verdictForRecord(record).outcome).toBe('pass');
    }
    expect(good[0]!.media.kind).toBe('playlist');
  });

  test('the report counts exactly the two blocked tries', () => {
    expect(analyze(media).counts).toMatchObject({ media: 5, failing: 2, passing: 3 });
  });
});

describe('Firefox 153 recorded events (same stream)', () => {
  const { records, recorder } = replay(loadRecordedEvents('firefox-hls-segment2-no-acao.json'), 'firefox');
  const media = mediaOnly(records);

  test('the blocked segment is a plain onCompleted 200: the headers are the only evidence', () => {
    expect(recorder.inFlightCount).toBe(0);
    const blocked = media.filter((r) => fileOf(r) === 'segment2.ts');
    expect(blocked).toHaveLength(2);
    for (const record of blocked) {
      expect(record.state).toBe('complete');
      expect(record.error).toBeNull();
      expect(record.status).toBe(200);
      expect(record.browser).toBe('firefox');
      // Firefox reports originUrl/documentUrl (full URLs); the page origin is derived from them.
      expect(record.pageOrigin).toBe('http://127.0.0.1:8000');
      expect(record.documentUrl).toMatch(/^http:\/\/127\.0\.0\.1:8000\/hls\.html/);
      // Firefox 153's console key (docs/cors-reference.md#firefox-keys).
      expect(verdictForRecord(record)).toMatchObject({ outcome: 'fail', firefoxError: 'CORSMissingAllowOrigin2' });
    }
  });

  test('ACAO "*" with credentials not visible stays unknown in Firefox (its ending proves nothing); two failures', () => {
    expect(media.map(fileOf).sort()).toEqual(['segment0.ts', 'segment1.ts', 'segment2.ts', 'segment2.ts', 'stream.m3u8']);
    const good = media.filter((r) => fileOf(r) !== 'segment2.ts');
    expect(good.map((r) => verdictForRecord(r).outcome)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(analyze(media).counts).toMatchObject({ media: 5, failing: 2, unknown: 3, passing: 0 });
  });
});

describe('event correlation edge cases', () => {
  const base = { method: 'GET', type: 'xmlhttprequest', tabId: 3, frameId: 0, initiator: 'http://page.test' };

  test('a redirect keeps the hop (status, Location target, headers) and the final URL', () => {
    const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
    const id = { ...base, requestId: '9' };
    recorder.handle('beforeRequest', { ...id, url: 'http://cdn.test/a/seg.ts', timeStamp: 1 });
    recorder.handle('headersReceived', { ...id, url: 'http://cdn.test/a/seg.ts', timeStamp: 2, statusCode: 302, responseHeaders: [{ name: 'Location', value: 'http://edge.test/seg.ts' }] });
    recorder.handle('beforeRedirect', { ...id, url: 'http://cdn.test/a/seg.ts', timeStamp: 3, statusCode: 302, redirectUrl: 'http://edge.test/seg.ts', responseHeaders: [{ name: 'Location', value: 'http://edge.test/seg.ts' }] });
    recorder.handle('beforeRequest', { ...id, url: 'http://edge.test/seg.ts', timeStamp: 4 });
    const done = recorder.handle('completed', { ...id, url: 'http://edge.test/seg.ts', timeStamp: 5, statusCode: 200, fromCache: false, ip: '127.0.0.1', responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: '*' }] });
    expect(done).toMatchObject({ url: 'http://edge.test/seg.ts', status: 200, state: 'complete' });
    expect(done!.redirects).toEqual([{ url: 'http://cdn.test/a/seg.ts', status: 302, redirectUrl: 'http://edge.test/seg.ts', headers: [['location', 'http://edge.test/seg.ts']] }]);
  });

  test('a request seen from its middle (worker restarted) still yields one record', () => {
    const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
    const done = recorder.handle('completed', { ...base, requestId: '1', url: 'http://cdn.test/x.m3u8', timeStamp: 9, statusCode: 200 });
    expect(done).toMatchObject({ id: '1', state: 'complete', status: 200, requestHeaders: null });
    expect(verdictForRecord(done!).outcome).toBe('unknown'); // no request headers seen: mode unknown, never 'fail'
  });

  test('binary header values are kept (Latin-1), not dropped', () => {
    const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true });
    const done = recorder.handle('completed', { ...base, requestId: '2', url: 'http://cdn.test/x.ts', timeStamp: 1, statusCode: 200, responseHeaders: [{ name: 'X-Odd', binaryValue: [0xe9, 0x41] }] });
    expect(done!.responseHeaders).toEqual([['x-odd', 'éA']]);
  });

  test('Chromium without extraHeaders: a missing Origin proves nothing, the verdict is unknown', () => {
    const { records } = replay(loadRecordedEvents('chromium-hls-segment2-no-acao.json'), 'chromium', false);
    const stripped = records
      .filter((r) => r.media.kind !== 'other')
      .map((r) => ({ ...r, requestHeaders: r.requestHeaders!.filter(([name]) => name !== 'origin' && !name.startsWith('sec-fetch')) }));
    expect(stripped.map((r) => verdictForRecord(r).outcome)).toEqual(stripped.map(() => 'unknown'));
  });

  test('forgetTab drops requests that will never finish', () => {
    const recorder = new Recorder({ browser: 'firefox', requestHeadersComplete: true });
    recorder.handle('beforeRequest', { ...base, requestId: '5', url: 'http://cdn.test/x.ts', timeStamp: 1 });
    recorder.forgetTab(3);
    expect(recorder.inFlightCount).toBe(0);
  });
});
