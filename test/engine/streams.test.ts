import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { FolderReader, streamFolderOf, summariseStreams } from '../../src/engine/streams.ts';
import { classifyRequest } from '../../src/engine/media/classify.ts';
import type { CorsOutcome, RecordVerdict, RequestRecord } from '../../src/engine/model.ts';

function rec(id: string, url: string): RequestRecord {
  return {
    id, browser: 'chromium', tabId: 1, frameId: 0, method: 'GET', url, resourceType: 'xmlhttprequest', pageOrigin: 'https://site.test', documentUrl: null,
    requestHeaders: [], requestHeadersComplete: true, status: 200, statusLine: null, responseHeaders: [], fromCache: false, ip: null, redirects: [], error: null,
    timings: { start: 0 }, state: 'complete', media: classifyRequest(url, 'GET', null),
  };
}
const verdict = (recordId: string, outcome: CorsOutcome): RecordVerdict => ({ recordId, verdict: { outcome, needsPreflight: false, explanation: '' } });

describe('summariseStreams', () => {
  test('variants and their segments form streams; the master keeps its folder; failures sort first', () => {
    const records = [
      rec('m', 'https://cdn.test/v/1/master.m3u8'),
      rec('a', 'https://cdn.test/v/1/720p/index.m3u8'),
      rec('a1', 'https://cdn.test/v/1/720p/seg1.ts'),
      rec('a2', 'https://cdn.test/v/1/720p/seg2.ts?x=1'),
      rec('b', 'https://cdn.test/v/1/480p/index.m3u8'),
      rec('b1', 'https://cdn.test/v/1/480p/seg1.ts'),
      rec('k', 'https://cdn.test/v/1/keys/k1.key'),
      rec('o', 'https://other.test/x/y.ts'),
      rec('n', 'data:video/mp2t;base64,AA'),
    ];
    const verdicts = records.map((r) => verdict(r.id, r.id === 'a2' ? 'fail' : r.id === 'o' ? 'unknown' : 'pass'));
    const streams = summariseStreams(records, verdicts);
    // Verdicts out of record order are paired by id.
    expect(summariseStreams(records, [...verdicts].reverse())).toEqual(streams);
    expect(streams.map((s) => [s.key, s.total, s.failing, s.unknown])).toEqual([
      ['cdn.test/v/1/720p/', 3, 1, 0],
      ['cdn.test/v/1/', 2, 0, 0],
      ['cdn.test/v/1/480p/', 2, 0, 0],
      ['other.test/x/', 1, 0, 1],
    ]);
    expect(streams[0]!.byKind).toEqual({ playlist: 1, segment: 2 });
    expect(streams[1]!.byKind).toEqual({ 'master-playlist': 1, key: 1 });
  });
});

describe('FolderReader', () => {
  test('gives each record the folder streamFolderOf gives, also when directories repeat', () => {
    const piece = fc.constantFrom('http', 'https', 'HTTPS', 'ftp', '://', ':/', '/', '//', '?', '#', 'cdn.test', 'CDN.Test', 'a', 'v1', 'seg.ts', 'index.m3u8', 'x=1/2', '.', '..');
    const url = fc.array(piece, { maxLength: 9 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.array(url, { minLength: 1, maxLength: 12 }), (urls) => {
        const reader = new FolderReader();
        // Each URL twice: the second time the directory is remembered.
        for (const target of [...urls, ...urls]) {
          const record = rec('r', target);
          expect(reader.of(record)).toEqual(streamFolderOf(record));
        }
      }),
      { numRuns: 1500 },
    );
  });
});
