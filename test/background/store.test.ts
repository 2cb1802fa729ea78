import { describe, expect, test } from 'vitest';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import type { RequestRecord } from '../../src/engine/model.ts';

/** An in-memory storage.session with a byte quota that, like the real one, rejects an over-quota write whole. */
class FakeSessionArea implements KeyValueArea {
  data = new Map<string, string>();
  sets = 0;
  constructor(private quotaBytes = Infinity) {}
  bytesInUse(): number {
    let total = 0;
    for (const [key, value] of this.data) total += key.length + value.length;
    return total;
  }
  async get(keys: string | string[] | null): Promise<Record<string, unknown>> {
    const wanted = keys === null ? [...this.data.keys()] : Array.isArray(keys) ? keys : [keys];
    const out: Record<string, unknown> = {};
    for (const key of wanted) if (this.data.has(key)) out[key] = JSON.parse(this.data.get(key)!);
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    this.sets++;
    const next = new Map(this.data);
    for (const [key, value] of Object.entries(items)) next.set(key, JSON.stringify(value));
    let total = 0;
    for (const [key, value] of next) total += key.length + value.length;
    if (total > this.quotaBytes) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
    this.data = next;
  }
  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) this.data.delete(key);
  }
}

const isQuotaError = (error: unknown) => /quota/i.test(String(error));

let nextId = 0;
function record(tabId: number, padding = 0): RequestRecord {
  const id = String(++nextId);
  return {
    id,
    browser: 'chromium',
    tabId,
    frameId: 0,
    method: 'GET',
    url: `http://cdn.test/seg${id}.ts${padding ? `?pad=${'x'.repeat(padding)}` : ''}`,
    resourceType: 'xmlhttprequest',
    pageOrigin: 'http://page.test',
    documentUrl: null,
    requestHeaders: [['origin', 'http://page.test']],
    requestHeadersComplete: true,
    status: 200,
    statusLine: null,
    responseHeaders: [['access-control-allow-origin', '*']],
    fromCache: false,
    ip: null,
    redirects: [],
    error: null,
    timings: { start: nextId },
    state: 'complete',
    media: { kind: 'segment', format: 'hls', container: 'ts' },
  };
}

describe('TabLogStore', () => {
  test('batches: many adds, one write; then only the newest chunk is rewritten', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10 });
    for (let i = 0; i < 25; i++) store.add(record(1), 'pass');
    expect(store.dirty).toBe(true);
    await store.flush();
    expect(area.sets).toBe(1);
    expect(store.dirty).toBe(false);
    expect([...area.data.keys()].sort()).toEqual(['log:1:0', 'log:1:1', 'log:1:2', 'log:1:meta']);
    store.add(record(1), 'pass');
    const before = new Map(area.data);
    await store.flush();
    expect(area.data.get('log:1:0')).toBe(before.get('log:1:0'));
    expect(area.data.get('log:1:2')).not.toBe(before.get('log:1:2'));
    await store.flush(); // nothing to write
    expect(area.sets).toBe(2);
  });

  test('restores every record after a restart, and keeps records that arrived meanwhile after them', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    store.startPage(7, 'http://page.test/watch');
    const originals = Array.from({ length: 11 }, () => record(7));
    originals.forEach((r) => store.add(r, 'pass'));
    await store.flush();

    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    const early = record(7);
    restarted.add(early, 'pass');
    await restarted.restore();
    expect(restarted.records(7).map((r) => r.id)).toEqual([...originals, early].map((r) => r.id));
    expect(restarted.tab(7)?.pageUrl).toBe('http://page.test/watch');
    await restarted.flush();
    const again = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    await again.restore();
    expect(again.records(7)).toHaveLength(12);
  });

  test('caps each tab: the oldest chunk goes, the eviction count is exact, storage holds no orphan', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 5, maxRecordsPerTab: 20 });
    const all = Array.from({ length: 33 }, () => record(2));
    for (const r of all) {
      store.add(r, 'pass');
      await store.flush();
    }
    expect(store.records(2).length).toBeLessThanOrEqual(20);
    expect(store.evictedCount(2) + store.records(2).length).toBe(33);
    expect(store.records(2).at(-1)!.id).toBe(all.at(-1)!.id);
    const restored = new TabLogStore(area, { isQuotaError, chunkSize: 5, maxRecordsPerTab: 20 });
    await restored.restore();
    expect(restored.records(2).map((r) => r.id)).toEqual(store.records(2).map((r) => r.id));
    expect(restored.evictedCount(2)).toBe(store.evictedCount(2));
    const chunkKeys = [...area.data.keys()].filter((key) => key.startsWith('log:2:') && key !== 'log:2:meta');
    const first = store.evictedCount(2);
    const expectedChunks = new Set(store.records(2).map((_, index) => `log:2:${Math.floor((first + index) / 5)}`));
    expect(new Set(chunkKeys)).toEqual(expectedChunks);
  });

  test('a write over quota is rejected whole: what was stored survives, the store evicts and retries', async () => {
    const area = new FakeSessionArea(40_000);
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
    for (let i = 0; i < 20; i++) store.add(record(3, 500), 'pass');
    await store.flush();
    const storedBefore = area.bytesInUse();
    expect(storedBefore).toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) store.add(record(3, 500), 'pass');
    await store.flush();
    expect(area.bytesInUse()).toBeLessThanOrEqual(40_000);
    expect(store.evictedCount(3)).toBeGreaterThan(0);
    expect(store.lastWriteError).toBeNull();
    const restored = new TabLogStore(area, { isQuotaError, chunkSize: 10 });
    await restored.restore();
    expect(restored.records(3).map((r) => r.id)).toEqual(store.records(3).map((r) => r.id));
  });

  test('a non-quota storage error is reported and loses nothing in memory', async () => {
    const area = new FakeSessionArea();
    area.set = async () => {
      throw new Error('storage is gone');
    };
    const store = new TabLogStore(area, { isQuotaError });
    store.add(record(4), 'pass');
    await expect(store.flush()).rejects.toThrow('storage is gone');
    expect(store.lastWriteError).toBe('storage is gone');
    expect(store.records(4)).toHaveLength(1);
    expect(store.dirty).toBe(true);
  });

  test('a new top-level page starts an empty log and removes the old keys', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 2 });
    for (let i = 0; i < 5; i++) store.add(record(5), 'pass');
    await store.flush();
    store.startPage(5, 'http://page.test/next');
    await store.flush();
    expect(store.records(5)).toHaveLength(0);
    expect([...area.data.keys()]).toEqual(['log:5:meta']);
    store.remove(5);
    await store.flush();
    expect(area.data.size).toBe(0);
  });

  test('preserve log: a navigation keeps the records and the setting survives a restart', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 2 });
    store.add(record(6), 'pass');
    store.setPreserveLog(6, true);
    expect(store.navigated(6, 'http://page.test/second')).toBe(false);
    store.add(record(6), 'pass');
    await store.flush();
    const restored = new TabLogStore(area, { isQuotaError, chunkSize: 2 });
    await restored.restore();
    expect(restored.records(6)).toHaveLength(2);
    expect(restored.tab(6)).toMatchObject({ preserveLog: true, pageUrl: 'http://page.test/second' });
    restored.setPreserveLog(6, false);
    expect(restored.navigated(6, 'http://page.test/third')).toBe(true);
    expect(restored.records(6)).toHaveLength(0);
  });

  test('totals stay exact beyond eviction and across a restart', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 30 });
    for (let i = 0; i < 100; i++) store.add(record(8), i % 4 === 0 ? 'fail' : 'pass');
    await store.flush();
    expect(store.records(8).length).toBeLessThanOrEqual(30);
    expect(store.totals(8)).toEqual({ requests: 100, byOutcome: { pass: 75, fail: 25, unknown: 0, 'not-applicable': 0 }, byKind: { segment: 100 } });
    const restored = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 30 });
    restored.add(record(8), 'fail'); // arrives while the restore is still reading
    await restored.restore();
    expect(restored.totals(8)).toEqual({ requests: 101, byOutcome: { pass: 75, fail: 26, unknown: 0, 'not-applicable': 0 }, byKind: { segment: 101 } });
    expect(restored.records(8).length).toBeLessThanOrEqual(30);
    restored.startPage(8, null);
    expect(restored.totals(8).requests).toBe(0);
  });
});
