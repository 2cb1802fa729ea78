import { describe, expect, test } from 'vitest';
import { TabLogStore } from '../../src/background/store.ts';
import type { TabLogResponse } from '../../src/view/protocol.ts';
import { analyze, verdictForRecord } from '../../src/engine/index.ts';
import { classifyRequest } from '../../src/engine/media/classify.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { mediaRequestCount, streamAndCauseCounts } from '../../src/view/counts.ts';
import { emptyTotals } from '../../src/view/totals.ts';
import { exportedCountsOf } from '../../src/ui/components/exactCounts.ts';

const memoryArea = () => {
  const data: Record<string, unknown> = {};
  return {
    get: async () => ({ ...data }),
    set: async (items: Record<string, unknown>) => void Object.assign(data, items),
    remove: async () => undefined,
  };
};

function rec(id: number, url: string, allowOrigin: string | null): RequestRecord {
  return {
    id: String(id), browser: 'chromium', tabId: 1, frameId: 0, method: 'GET', url, resourceType: 'xmlhttprequest', pageOrigin: 'https://site.test', documentUrl: null,
    requestHeaders: [['origin', 'https://site.test'], ['sec-fetch-mode', 'cors']], requestHeadersComplete: true, status: 200, statusLine: null,
    responseHeaders: allowOrigin === null ? [] : [['access-control-allow-origin', allowOrigin]], fromCache: false, ip: null, redirects: [],
    error: allowOrigin === null ? 'net::ERR_FAILED' : null, timings: { start: id }, state: allowOrigin === null ? 'error' : 'complete', media: classifyRequest(url, 'GET', null),
  };
}

/** The view's log of a tab, as the background answers it. */
function logOf(store: TabLogStore): TabLogResponse {
  const records = store.records(1);
  return { tabId: 1, pageUrl: null, records, report: analyze(records), totals: store.totals(1), evicted: store.evictedCount(1), preserveLog: false, storageError: null };
}

describe('exact stream and cause counts for the view', () => {
  const feed = (store: TabLogStore, count: number) => {
    store.add(rec(0, 'https://cdn.test/a/index.m3u8', '*'), { outcome: 'pass', needsPreflight: false, explanation: '' });
    for (let i = 1; i <= count; i++) {
      const record = rec(i, `https://cdn.test/a/s${i}.ts`, i % 5 === 0 ? null : '*');
      store.add(record, verdictForRecord(record));
    }
  };

  test('from the report while nothing was evicted: the same figures as the tallies', () => {
    const store = new TabLogStore(memoryArea(), { isQuotaError: () => false });
    feed(store, 20);
    const counts = streamAndCauseCounts(logOf(store));
    expect(counts.exact).toBe(false);
    expect(counts.streams.map((s) => [s.key, s.total, s.failing])).toEqual([['cdn.test/a/', 21, 4]]);
    expect(counts.causes).toEqual([['MissingAllowOriginHeader', 4]]);
  });

  test('from the tallies once detail was evicted; the export carries the same', () => {
    const store = new TabLogStore(memoryArea(), { isQuotaError: () => false, chunkSize: 10, maxRecordsPerTab: 30 });
    feed(store, 200);
    const log = logOf(store);
    expect(log.evicted).toBeGreaterThan(150);
    // What the held records alone would say: only the newest ≤ 30.
    expect(log.report.streams[0]!.total).toBeLessThanOrEqual(30);
    const counts = streamAndCauseCounts(log);
    expect(counts.exact).toBe(true);
    expect(counts.streams.map((s) => [s.key, s.total, s.failing])).toEqual([['cdn.test/a/', 201, 40]]);
    expect(counts.causes).toEqual([['MissingAllowOriginHeader', 40]]);
    expect(exportedCountsOf(log)).toMatchObject({ evicted: log.evicted, requests: 201, failuresByCause: { MissingAllowOriginHeader: 40 }, streams: [{ total: 201, failing: 40 }] });
  });
});

describe('media requests counted in the summary', () => {
  test('every media kind counts, preflights and other requests do not (the engine\'s isMedia)', () => {
    const totals = { ...emptyTotals(), byKind: { playlist: 3, 'dash-manifest': 1, segment: 20, 'init-segment': 2, key: 1, subtitles: 2, audio: 4, preflight: 5, other: 7 } };
    expect(mediaRequestCount(totals)).toBe(33);
    expect(mediaRequestCount(emptyTotals())).toBe(0);
  });
});
