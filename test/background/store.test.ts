import { describe, expect, test } from 'vitest';
import { TabLogStore, type KeyValueArea } from '../../src/background/store.ts';
import {
  MAX_TALLIED_CAUSES,
  MAX_TALLIED_STREAMS,
  OTHER_CAUSES,
  OTHER_STREAMS,
  UNSPECIFIED_CAUSE,
  streamsOfTotals,
  totalsOf,
} from '../../src/view/totals.ts';
import type { CorsVerdict, RequestRecord } from '../../src/engine/model.ts';
import { classifyRequest } from '../../src/engine/media/classify.ts';
import { NO_VERSION, currentStoredSummary, firstReadKeys, firstScreenView, withArrangementKept, isStoredMeta, storedSummaryText, storedViewData, type StoredMeta } from '../../src/view/stored-log.ts';
import { RequestList } from '../../src/view/list.ts';
import { packRows, unpackRows } from '../../src/view/row-facts.ts';
import { applyViewUpdate, type LiveView } from '../../src/view/updates.ts';
import type { TabViewResponse } from '../../src/view/protocol.ts';
import { TabViews } from '../../src/background/view.ts';
import { verdictForRecord } from '../../src/engine/analyze.ts';
import { summariseStreams } from '../../src/engine/streams.ts';

/** An in-memory storage.session with a byte quota that, like the real one, rejects an over-quota write whole. */
class FakeSessionArea implements KeyValueArea {
  data = new Map<string, string>();
  sets = 0;
  constructor(public quotaBytes = Infinity) {}
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

/** The keys of every get() of `area` from now on, in order (null: everything). */
function readsOf(area: FakeSessionArea): Array<string[] | null> {
  const reads: Array<string[] | null> = [];
  const get = area.get.bind(area);
  area.get = (keys) => {
    reads.push(keys === null ? null : Array.isArray(keys) ? keys : [keys]);
    return get(keys);
  };
  return reads;
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

/** `count` records of `tabId` (URLs padded by `padding` characters), added to `store` as passing; returns them. */
function addPassing(store: TabLogStore, tabId: number, count: number, padding = 0): RequestRecord[] {
  const added = Array.from({ length: count }, () => record(tabId, padding));
  for (const r of added) store.add(r, { outcome: 'pass', needsPreflight: false, explanation: '' });
  return added;
}

describe('TabLogStore', () => {
  test('batches: many adds, one write; then only the newest chunk is rewritten', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10 });
    for (let i = 0; i < 25; i++) store.add(record(1), { outcome: 'pass', needsPreflight: false, explanation: '' });
    expect(area.sets).toBe(0);
    await store.flush();
    expect(area.sets).toBe(1);
    // Nothing is left to write.
    await store.flush();
    expect(area.sets).toBe(1);
    expect([...area.data.keys()].sort()).toEqual(['log:1:0', 'log:1:0:rows', 'log:1:1', 'log:1:1:rows', 'log:1:2', 'log:1:2:rows', 'log:1:first', 'log:1:meta']);
    store.add(record(1), { outcome: 'pass', needsPreflight: false, explanation: '' });
    const before = new Map(area.data);
    await store.flush();
    expect(area.data.get('log:1:0')).toBe(before.get('log:1:0'));
    expect(area.data.get('log:1:0:rows')).toBe(before.get('log:1:0:rows'));
    expect(area.data.get('log:1:2')).not.toBe(before.get('log:1:2'));
    expect(area.data.get('log:1:2:rows')).not.toBe(before.get('log:1:2:rows'));
    await store.flush(); // nothing to write
    expect(area.sets).toBe(2);
  });

  test('counts the requests whose headers were not seen whole as they arrive, per page load, and again after a restart', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    const pass: CorsVerdict = { outcome: 'pass', needsPreflight: false, explanation: '' };
    store.startPage(7, 'http://page.test/watch');
    store.add({ ...record(7), requestHeadersComplete: false }, { outcome: 'unknown', needsPreflight: false, explanation: '' });
    for (let i = 0; i < 5; i++) store.add(record(7), pass);
    // Firefox never marks one; an incomplete Firefox record is not a request that started before the listeners.
    store.add({ ...record(7), browser: 'firefox', requestHeadersComplete: false }, pass);
    expect(store.headersNotSeen(7)).toBe(1);
    expect(store.headersNotSeen(8)).toBe(0);
    await store.flush();
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    restarted.add({ ...record(7), requestHeadersComplete: false }, { outcome: 'unknown', needsPreflight: false, explanation: '' });
    await restarted.restore();
    expect(restarted.headersNotSeen(7)).toBe(2);
    restarted.navigated(7, 'http://page.test/next');
    expect(restarted.headersNotSeen(7)).toBe(0);
  });

  test('the request that switched header reading on counts at once, and once, whether or not it is ever recorded', () => {
    const store = new TabLogStore(new FakeSessionArea(), { isQuotaError, chunkSize: 4 });
    store.startPage(7, 'http://page.test/watch');
    const playlist = { ...record(7), requestHeadersComplete: false };
    store.switchedOnBy(7, playlist.id);
    store.switchedOnBy(7, playlist.id);
    expect(store.headersNotSeen(7)).toBe(1);
    store.add(playlist, { outcome: 'unknown', needsPreflight: false, explanation: '' });
    expect(store.headersNotSeen(7)).toBe(1);
    // Another one, never recorded (all its events came before the listeners).
    store.switchedOnBy(7, 'never-recorded');
    expect(store.headersNotSeen(7)).toBe(2);
    store.navigated(7, 'http://page.test/next');
    expect(store.headersNotSeen(7)).toBe(0);
  });

  test('restores every record after a restart, and keeps records that arrived meanwhile after them', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    store.startPage(7, 'http://page.test/watch');
    const originals = Array.from({ length: 11 }, () => record(7));
    originals.forEach((r) => store.add(r, { outcome: 'pass', needsPreflight: false, explanation: '' }));
    await store.flush();

    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    const early = record(7);
    restarted.add(early, { outcome: 'pass', needsPreflight: false, explanation: '' });
    await restarted.restore();
    expect(restarted.records(7).map((r) => r.id)).toEqual([...originals, early].map((r) => r.id));
    expect(restarted.tab(7)?.pageUrl).toBe('http://page.test/watch');
    await restarted.flush();
    const again = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    await again.restore();
    expect(again.records(7)).toHaveLength(12);
  });

  test('ready(tab) reads back that tab\'s log only (its meta, then its chunks), once, with records that arrived meanwhile after it', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    store.startPage(7, 'http://page.test/watch');
    const originals = Array.from({ length: 11 }, () => record(7));
    originals.forEach((r) => store.add(r, { outcome: 'fail', needsPreflight: false, explanation: '' }));
    const other = addPassing(store, 9, 6);
    await store.flush();

    const reads = readsOf(area);
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    const early = record(7);
    restarted.add(early, { outcome: 'pass', needsPreflight: false, explanation: '' });
    await Promise.all([restarted.ready(7), restarted.ready(7)]);
    await restarted.ready(7);
    expect(reads).toEqual([['log:7:meta'], ['log:7:0', 'log:7:0:rows', 'log:7:1', 'log:7:1:rows', 'log:7:2', 'log:7:2:rows']]);
    expect(restarted.records(7).map((r) => r.id)).toEqual([...originals, early].map((r) => r.id));
    expect(restarted.totals(7)).toMatchObject({ requests: 12, byOutcome: { fail: 11, pass: 1 } });
    expect(restarted.tab(7)?.pageUrl).toBe('http://page.test/watch');
    // The other tab is not read until asked for; a tab with nothing stored costs one read of its meta.
    expect(restarted.records(9)).toHaveLength(0);
    await restarted.ready(9);
    expect(restarted.records(9).map((r) => r.id)).toEqual(other.map((r) => r.id));
    await restarted.ready(11);
    expect(reads.slice(4)).toEqual([['log:11:meta']]);
    expect(restarted.records(11)).toHaveLength(0);
    // restore() reads everything else but leaves the tabs already read as they are.
    await restarted.restore();
    expect(restarted.records(7)).toHaveLength(12);
  });

  test('over quota with nothing to evict in memory, the logs not read since the restart are read and the largest is evicted from', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
    const big = addPassing(store, 3, 50, 500);
    await store.flush();
    // Room for a few more records only: the new tab's twenty do not fit beside the stored log.
    area.quotaBytes = area.bytesInUse() + 5_000;

    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
    await restarted.ready(4);
    const fresh = addPassing(restarted, 4, 20, 500);
    await restarted.flush();
    expect(restarted.lastWriteError).toBeNull();
    expect(area.bytesInUse()).toBeLessThanOrEqual(area.quotaBytes);
    expect(restarted.evictedCount(3)).toBeGreaterThan(0);
    const again = new TabLogStore(area, { isQuotaError, chunkSize: 10 });
    await again.restore();
    expect(again.records(4).map((r) => r.id)).toEqual(fresh.map((r) => r.id));
    expect(again.records(3).map((r) => r.id)).toEqual(big.slice(restarted.evictedCount(3)).map((r) => r.id));
  });

  test('after a restart, every log is read once for the quota; a tab read then is not read again by ready(), and a tab closed after ready() leaves no keys', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
    addPassing(store, 3, 50, 500);
    const small = addPassing(store, 5, 5);
    addPassing(store, 6, 12);
    await store.flush();
    area.quotaBytes = area.bytesInUse() + 5_000;

    const reads = readsOf(area);
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
    await Promise.all([restarted.restore(), restarted.restore()]);
    await restarted.restore();
    expect(reads.filter((keys) => keys === null)).toHaveLength(1);

    const again = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
    await again.ready(4);
    addPassing(again, 4, 20, 500);
    await again.flush();
    expect(again.evictedCount(3)).toBeGreaterThan(0);
    // Tab 5 came into memory with the quota's read: asking for it does not add its stored records twice.
    await again.ready(5);
    expect(again.records(5).map((r) => r.id)).toEqual(small.map((r) => r.id));
    await again.ready(6);
    again.remove(6);
    await again.flush();
    expect([...area.data.keys()].filter((key) => key.startsWith('log:6:'))).toEqual([]);
  });

  test('a tab closed before its log was read back since a restart: only its meta is read, and every key of it goes', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    addPassing(store, 6, 11);
    addPassing(store, 8, 3);
    await store.flush();
    await store.saveSummary(6, { firstSeq: 0, endSeq: 11, logId: 'a', revision: 1, rejudged: packRows([]) }, '{}', JSON.parse(area.data.get('log:6:first')!) as never);
    expect([...area.data.keys()].filter((key) => key.startsWith('log:6:'))).toContain('log:6:summary');

    const reads = readsOf(area);
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    restarted.closing(6);
    restarted.closing(6);
    await restarted.ready(6);
    expect(reads).toEqual([['log:6:meta']]);
    restarted.remove(6);
    await restarted.flush();
    expect([...area.data.keys()].filter((key) => key.startsWith('log:6:'))).toEqual([]);
    expect([...area.data.keys()].filter((key) => key.startsWith('log:8:')).length).toBeGreaterThan(0);
    // A tab already read back is removed from memory as before.
    await restarted.ready(8);
    restarted.closing(8);
    restarted.remove(8);
    await restarted.flush();
    expect([...area.data.keys()].filter((key) => key.startsWith('log:'))).toEqual([]);
  });

  test('a tab removed while a write of a new chunk of it is under way leaves no key behind', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    addPassing(store, 6, 6);
    const set = area.set.bind(area);
    let release = (): void => undefined;
    area.set = (items) => new Promise<void>((resolve) => (release = () => resolve(set(items))));
    const writing = store.flush(); // chunks 0 and 1, not yet known stored
    store.remove(6);
    release();
    await writing;
    area.set = set;
    await store.flush();
    expect([...area.data.keys()].filter((key) => key.startsWith('log:6:'))).toEqual([]);
  });

  test('a tab whose chunks cannot be read back goes on with what arrives, and its unreadable chunks do not stay behind', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    addPassing(store, 6, 9);
    await store.flush();
    const get = area.get.bind(area);
    area.get = (keys) => (Array.isArray(keys) && keys.includes('log:6:0') ? Promise.reject(new Error('storage is gone')) : get(keys));
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      await restarted.ready(6);
    } finally {
      console.error = error;
    }
    expect(errors).toHaveLength(1);
    const later = record(6);
    restarted.add(later, { outcome: 'pass', needsPreflight: false, explanation: '' });
    await restarted.flush();
    area.get = get;
    expect([...area.data.keys()].filter((key) => key.startsWith('log:6:')).sort()).toEqual(['log:6:0', 'log:6:0:rows', 'log:6:first', 'log:6:meta']);
    const again = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    await again.ready(6);
    expect(again.records(6).map((r) => r.id)).toEqual([later.id]);
  });

  test('a closed tab\'s read-back entry goes once its keys are removed: a long-lived worker keeps none per tab ever seen', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    addPassing(store, 6, 5);
    await store.flush();
    const reads = readsOf(area);
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    // A tab with nothing stored, closed: its entry goes at once (asked again, its meta is read again).
    await restarted.ready(12);
    restarted.remove(12);
    restarted.closed(12);
    await restarted.ready(12);
    expect(reads).toEqual([['log:12:meta'], ['log:12:meta']]);
    // A tab with a stored log, closed: its entry stays until its keys are removed, so nothing is read back meanwhile.
    restarted.closing(6);
    await restarted.ready(6);
    restarted.remove(6);
    restarted.closed(6);
    await restarted.ready(6);
    expect(reads.slice(2)).toEqual([['log:6:meta']]);
    await restarted.flush();
    expect([...area.data.keys()].filter((key) => key.startsWith('log:6:'))).toEqual([]);
    await restarted.ready(6);
    expect(reads.slice(3)).toEqual([['log:6:meta']]);
    expect(restarted.records(6)).toHaveLength(0);
  });

  test('chunks are stored as JSON text; chunks stored as arrays (earlier versions) are still restored', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    store.startPage(3, 'http://page.test/');
    const records = Array.from({ length: 6 }, () => record(3));
    for (const each of records) store.add(each, { outcome: 'pass', needsPreflight: false, explanation: '' });
    await store.flush();
    const stored = await area.get(['log:3:0', 'log:3:1']);
    expect(typeof stored['log:3:0']).toBe('string');
    expect(JSON.parse(stored['log:3:0'] as string)).toEqual(records.slice(0, 4));
    // The first chunk as an earlier version wrote it.
    await area.set({ 'log:3:0': records.slice(0, 4) });
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    await restarted.restore();
    expect(restarted.records(3)).toEqual(records);
  });

  test('caps each tab: the oldest chunk goes, the eviction count is exact, storage holds no orphan', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 5, maxRecordsPerTab: 20 });
    const all = Array.from({ length: 33 }, () => record(2));
    for (const r of all) {
      store.add(r, { outcome: 'pass', needsPreflight: false, explanation: '' });
      await store.flush();
    }
    expect(store.records(2).length).toBeLessThanOrEqual(20);
    expect(store.evictedCount(2) + store.records(2).length).toBe(33);
    expect(store.records(2).at(-1)!.id).toBe(all.at(-1)!.id);
    const restored = new TabLogStore(area, { isQuotaError, chunkSize: 5, maxRecordsPerTab: 20 });
    await restored.restore();
    expect(restored.records(2).map((r) => r.id)).toEqual(store.records(2).map((r) => r.id));
    expect(restored.evictedCount(2)).toBe(store.evictedCount(2));
    const chunkKeys = [...area.data.keys()].filter((key) => key.startsWith('log:2:') && key !== 'log:2:meta' && key !== 'log:2:first');
    const first = store.evictedCount(2);
    // Each chunk of records with its rows (the list's row facts, stored beside it).
    const expectedChunks = new Set(store.records(2).flatMap((_, index) => [`log:2:${Math.floor((first + index) / 5)}`, `log:2:${Math.floor((first + index) / 5)}:rows`]));
    expect(new Set(chunkKeys)).toEqual(expectedChunks);
  });

  test('a write over quota is rejected whole: what was stored survives, the store evicts and retries', async () => {
    const area = new FakeSessionArea(40_000);
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
    for (let i = 0; i < 20; i++) store.add(record(3, 500), { outcome: 'pass', needsPreflight: false, explanation: '' });
    await store.flush();
    const storedBefore = area.bytesInUse();
    expect(storedBefore).toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) store.add(record(3, 500), { outcome: 'pass', needsPreflight: false, explanation: '' });
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
    const working = area.set.bind(area);
    area.set = async () => {
      throw new Error('storage is gone');
    };
    const store = new TabLogStore(area, { isQuotaError });
    store.add(record(4), { outcome: 'pass', needsPreflight: false, explanation: '' });
    await expect(store.flush()).rejects.toThrow('storage is gone');
    expect(store.lastWriteError).toBe('storage is gone');
    expect(store.records(4)).toHaveLength(1);
    // Still unsaved: once storage works again, the next flush writes it.
    area.set = working;
    await store.flush();
    const restored = new TabLogStore(area, { isQuotaError });
    await restored.restore();
    expect(restored.records(4).map((r) => r.id)).toEqual(store.records(4).map((r) => r.id));
  });

  test('a new top-level page starts an empty log and removes the old keys', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 2 });
    for (let i = 0; i < 5; i++) store.add(record(5), { outcome: 'pass', needsPreflight: false, explanation: '' });
    await store.flush();
    store.startPage(5, 'http://page.test/next');
    await store.flush();
    expect(store.records(5)).toHaveLength(0);
    // The meta and the first screen of the empty log (a view draws its empty state from them).
    expect([...area.data.keys()].sort()).toEqual(['log:5:first', 'log:5:meta']);
    store.remove(5);
    await store.flush();
    expect(area.data.size).toBe(0);
  });

  test('preserve log: a navigation keeps the records and the setting survives a restart', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 2 });
    store.add(record(6), { outcome: 'pass', needsPreflight: false, explanation: '' });
    store.setPreserveLog(6, true);
    expect(store.navigated(6, 'http://page.test/second')).toBe(false);
    store.add(record(6), { outcome: 'pass', needsPreflight: false, explanation: '' });
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
    for (let i = 0; i < 100; i++) store.add(record(8), { outcome: i % 4 === 0 ? 'fail' : 'pass', needsPreflight: false, explanation: '' });
    await store.flush();
    expect(store.records(8).length).toBeLessThanOrEqual(30);
    expect(store.totals(8)).toMatchObject({ requests: 100, byOutcome: { pass: 75, fail: 25, unknown: 0, 'not-applicable': 0 }, byKind: { segment: 100 } });
    const restored = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 30 });
    restored.add(record(8), { outcome: 'fail', needsPreflight: false, explanation: '' }); // arrives while the restore is still reading
    await restored.restore();
    expect(restored.totals(8)).toMatchObject({ requests: 101, byOutcome: { pass: 75, fail: 26, unknown: 0, 'not-applicable': 0 }, byKind: { segment: 101 } });
    expect(restored.records(8).length).toBeLessThanOrEqual(30);
    restored.startPage(8, null);
    expect(restored.totals(8).requests).toBe(0);
  });

  test('cancelled requests are counted across eviction and a restart; a meta stored before that count existed restores with none', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10 });
    const cancelled: CorsVerdict = { outcome: 'not-applicable', cancelled: true, needsPreflight: false, explanation: '' };
    for (let i = 0; i < 30; i++) store.add(record(16), i % 10 === 0 ? cancelled : { outcome: 'pass', needsPreflight: false, explanation: '' });
    await store.flush();
    expect(store.totals(16)).toMatchObject({ requests: 30, cancelled: 3, byOutcome: { pass: 27, 'not-applicable': 3 } });
    const restored = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10 });
    restored.add(record(16), cancelled); // arrives while the restore is still reading
    await restored.restore();
    expect(restored.totals(16)).toMatchObject({ requests: 31, cancelled: 4, byOutcome: { pass: 27, 'not-applicable': 4 } });

    // An older version stored complete totals without the field: they restore, and count on from none.
    const items = await area.get(null);
    const meta = items['log:16:meta'] as StoredMeta;
    const { cancelled: _cancelled, ...olderTotals } = meta.totals!;
    await area.set({ 'log:16:meta': { ...meta, totals: olderTotals } });
    // A view drawing from storage reads them so too.
    expect(storedViewData({ ...meta, totals: olderTotals }, await area.get(null), 16)?.data.totals).toMatchObject({ requests: 30, cancelled: 0 });
    const older = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10 });
    await older.restore();
    expect(older.totals(16)).toMatchObject({ requests: 30, cancelled: 0, byOutcome: { pass: 27, 'not-applicable': 3 } });
    older.add(record(16), cancelled);
    expect(older.totals(16).cancelled).toBe(1);
    await older.flush();
    expect(((await area.get('log:16:meta'))['log:16:meta'] as StoredMeta).totals).toMatchObject({ cancelled: 1 });
  });

  describe('per-stream and per-cause tallies', () => {
    /** A record at `url`, classified from it like a captured one. */
    const at = (tabId: number, url: string, padding = 0): RequestRecord => {
      const base = record(tabId, padding);
      return { ...base, url: padding ? `${url}?pad=${'x'.repeat(padding)}` : url, media: classifyRequest(url, 'GET', null) };
    };
    const failing = (cause?: string): CorsVerdict => (cause === undefined ? { outcome: 'fail', needsPreflight: false, explanation: '' } : { outcome: 'fail', chromiumError: cause, needsPreflight: false, explanation: '' });
    const pass: CorsVerdict = { outcome: 'pass', needsPreflight: false, explanation: '' };

    /** A master, two variants (480p rejected: no ACAO on every 3rd segment), `segments` segments each. */
    function stream(tabId: number, segments: number, padding = 0): Array<[RequestRecord, CorsVerdict]> {
      const fed: Array<[RequestRecord, CorsVerdict]> = [[at(tabId, 'https://cdn.test/live/master.m3u8'), pass]];
      for (const variant of ['720p', '480p']) fed.push([at(tabId, `https://cdn.test/live/${variant}/index.m3u8`), pass]);
      for (let i = 0; i < segments; i++) {
        fed.push([at(tabId, `https://cdn.test/live/720p/s${i}.ts`, padding), i % 10 === 0 ? { outcome: 'unknown', needsPreflight: false, explanation: '' } : pass]);
        fed.push([at(tabId, `https://cdn.test/live/480p/s${i}.ts`, padding), i % 3 === 0 ? failing('MissingAllowOriginHeader') : pass]);
      }
      fed.push([at(tabId, 'https://keys.test/k/1.key'), failing('AllowOriginMismatch')]);
      return fed;
    }
    const byKey = (totals: { byStream: Record<string, { total: number; failing: number; unknown: number }> }) =>
      Object.fromEntries(Object.entries(totals.byStream).map(([key, s]) => [key, [s.total, s.failing, s.unknown]]));

    test('agree with summariseStreams, stay exact beyond eviction and across a restart', async () => {
      const area = new FakeSessionArea();
      const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 40 });
      const fed = stream(11, 150);
      for (const [r, verdict] of fed) store.add(r, verdict);
      await store.flush();
      // Independent count of what was fed, and the batch summary of all of it.
      const verdicts = fed.map(([r, v]) => ({ recordId: r.id, verdict: v }));
      const expected = summariseStreams(fed.map(([r]) => r), verdicts);
      expect(expected.map((s) => [s.key, s.total, s.failing, s.unknown])).toEqual([
        ['cdn.test/live/480p/', 151, 50, 0],
        ['keys.test/k/', 1, 1, 0],
        ['cdn.test/live/', 1, 0, 0],
        ['cdn.test/live/720p/', 151, 0, 15],
      ]);
      expect(store.evictedCount(11)).toBeGreaterThan(250);
      expect(streamsOfTotals(store.totals(11))).toEqual(expected);
      expect(store.totals(11).failuresByCause).toEqual({ MissingAllowOriginHeader: 50, AllowOriginMismatch: 1 });

      const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 40 });
      await restarted.restore();
      expect(streamsOfTotals(restarted.totals(11))).toEqual(expected);
      expect(restarted.totals(11).failuresByCause).toEqual({ MissingAllowOriginHeader: 50, AllowOriginMismatch: 1 });
      // The playlist folders came back too: a segment after the restart keys to its variant's stream.
      restarted.add(at(11, 'https://cdn.test/live/480p/s999.ts'), failing('MissingAllowOriginHeader'));
      expect(restarted.totals(11).byStream['cdn.test/live/480p/']).toMatchObject({ total: 152, failing: 51 });
    });

    test('a segment before its variant playlist counts where the known playlists put it, and stays there', () => {
      const store = new TabLogStore(new FakeSessionArea(), { isQuotaError });
      store.add(at(12, 'https://cdn.test/v/master.m3u8'), pass);
      store.add(at(12, 'https://cdn.test/v/hd/s0.ts'), pass); // before hd/index.m3u8: keyed to the master's folder
      store.add(at(12, 'https://cdn.test/v/hd/index.m3u8'), pass);
      store.add(at(12, 'https://cdn.test/v/hd/s1.ts'), pass);
      store.add(at(12, 'https://other.test/a/b/s0.ts'), pass); // no playlist above it: its own folder
      expect(byKey(store.totals(12))).toEqual({ 'cdn.test/v/': [2, 0, 0], 'cdn.test/v/hd/': [2, 0, 0], 'other.test/a/b/': [1, 0, 0] });
      // The batch summary, which sees every playlist first, puts that segment with its variant.
      const records = store.records(12);
      const batch = summariseStreams(records, records.map((r) => ({ recordId: r.id, verdict: { outcome: 'pass', needsPreflight: false, explanation: '' } })));
      expect(Object.fromEntries(batch.map((s) => [s.key, s.total]))).toEqual({ 'cdn.test/v/': 1, 'cdn.test/v/hd/': 3, 'other.test/a/b/': 1 });
    });

    test('are capped: further streams and causes count in an "other" bucket, sums stay exact', () => {
      const store = new TabLogStore(new FakeSessionArea(), { isQuotaError });
      const folders = MAX_TALLIED_STREAMS + 50;
      for (let i = 0; i < folders; i++) {
        store.add(at(13, `https://evil.test/f${i}/x.m3u8`), pass);
        store.add(at(13, `https://evil.test/f${i}/s.ts`), failing(`Cause${i}`));
      }
      store.add(at(13, 'https://evil.test/f0/s2.ts'), failing()); // an already tallied stream keeps its own key
      const totals = store.totals(13);
      expect(Object.keys(totals.byStream)).toHaveLength(MAX_TALLIED_STREAMS + 1);
      expect(totals.byStream[OTHER_STREAMS]).toMatchObject({ total: 100, failing: 50 });
      expect(totals.byStream['evil.test/f0/']).toMatchObject({ total: 3, failing: 2 });
      expect(Object.values(totals.byStream).reduce((sum, s) => sum + s.total, 0)).toBe(totals.requests);
      expect(Object.keys(totals.failuresByCause)).toHaveLength(MAX_TALLIED_CAUSES + 1);
      expect(totals.failuresByCause[OTHER_CAUSES]).toBe(folders - MAX_TALLIED_CAUSES + 1);
      expect(totals.failuresByCause['Cause0']).toBe(1);
      expect(totals.failuresByCause[UNSPECIFIED_CAUSE]).toBeUndefined(); // the cap was full: it went to "other"
      expect(Object.values(totals.failuresByCause).reduce((sum, n) => sum + n, 0)).toBe(totals.byOutcome.fail);
    });

    test('quota overruns evict detail but keep the tallies exact, in memory and in what a restart reads', async () => {
      const area = new FakeSessionArea(30_000);
      const store = new TabLogStore(area, { isQuotaError, chunkSize: 10, maxRecordsPerTab: 10_000 });
      const fed = stream(14, 120, 300);
      for (const [index, [r, verdict]] of fed.entries()) {
        store.add(r, verdict);
        if (index % 25 === 0) await store.flush();
      }
      await store.flush();
      expect(store.lastWriteError).toBeNull();
      expect(area.bytesInUse()).toBeLessThanOrEqual(30_000);
      expect(store.evictedCount(14)).toBeGreaterThan(100); // by the quota, not the cap
      const expected = totalsOf(fed.map(([r]) => r), (r) => fed.find(([f]) => f === r)![1]);
      expect(store.totals(14)).toEqual(expected);
      expect(byKey(expected)).toEqual({
        'cdn.test/live/': [1, 0, 0],
        'cdn.test/live/720p/': [121, 0, 12],
        'cdn.test/live/480p/': [121, 40, 0],
        'keys.test/k/': [1, 1, 0],
      });
      const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 10 });
      await restarted.restore();
      expect(restarted.totals(14)).toEqual(expected);
    });

    test('a meta stored before the tallies existed still loads; they are rebuilt from the stored records', async () => {
      const area = new FakeSessionArea();
      const kept = [at(15, 'https://cdn.test/old/index.m3u8'), at(15, 'https://cdn.test/old/s1.ts')];
      await area.set({
        'log:15:meta': { pageUrl: 'https://page.test/', firstSeq: 0, chunks: [0], totals: { requests: 2, byOutcome: { pass: 2, fail: 0, unknown: 0, 'not-applicable': 0 }, byKind: { playlist: 1, segment: 1 } } },
        'log:15:0': kept,
      });
      const store = new TabLogStore(area, { isQuotaError });
      await store.restore();
      expect(store.totals(15)).toMatchObject({ requests: 2, byKind: { playlist: 1, segment: 1 }, failuresByCause: {} });
      expect(Object.keys(store.totals(15).byStream)).toEqual(['cdn.test/old/']);
      store.add(at(15, 'https://cdn.test/old/s2.ts'), pass);
      expect(store.totals(15).byStream['cdn.test/old/']!.total).toBe(3);
      await store.flush();
      const again = new TabLogStore(area, { isQuotaError });
      await again.restore();
      expect(again.totals(15)).toEqual(store.totals(15));
    });
  });
});

describe('rows stored with the records', () => {
  test('a restarted store and a view reading storage get the rows made when each record was judged, without judging again', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4, maxRecordsPerTab: 8 });
    store.startPage(9, 'http://page.test/watch');
    const fed = Array.from({ length: 11 }, () => record(9));
    const judged: CorsVerdict[] = fed.map((_, index) => ({ outcome: index % 3 === 0 ? 'fail' : 'pass', chromiumError: index % 3 === 0 ? 'MissingAllowOriginHeader' : undefined, needsPreflight: false, explanation: `verdict ${index}` }));
    fed.forEach((each, index) => store.add(each, judged[index]!));
    await store.flush();
    const held = store.tab(9)!.rows;
    expect(held.map((row) => row.seq)).toEqual(store.records(9).map((_, index) => store.evictedCount(9) + index));
    // A verdict no fresh judgement would give: the stored row must be what comes back.
    expect(held.map((row) => row.verdict.explanation)).toEqual(judged.slice(store.evictedCount(9)).map((verdict) => verdict.explanation));
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4, maxRecordsPerTab: 8 });
    await restarted.restore();
    expect(restarted.tab(9)!.rows).toEqual(held);
    const items = await area.get(null);
    const meta = items['log:9:meta'];
    expect(isStoredMeta(meta)).toBe(true);
    const stored = storedViewData(meta as StoredMeta, items, 9);
    expect(stored?.data.rows).toEqual(held);
    expect(stored?.data).toMatchObject({ pageUrl: 'http://page.test/watch', evicted: store.evictedCount(9), summary: null, totals: store.totals(9), provisional: true });
    expect(stored?.version).toBe(NO_VERSION);
  });

  test('a chunk stored without rows (an older version) is judged again on restore, and a view reading storage waits for the background', async () => {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    for (let i = 0; i < 6; i++) store.add(record(10), { outcome: 'pass', needsPreflight: false, explanation: 'stored' });
    await store.flush();
    area.data.delete('log:10:1:rows');
    const restarted = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    await restarted.restore();
    const rows = restarted.tab(10)!.rows;
    expect(rows.map((row) => row.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.slice(0, 4).every((row) => row.verdict.explanation === 'stored')).toBe(true);
    expect(rows.slice(4).every((row) => row.verdict.explanation !== 'stored')).toBe(true);
    const items = await area.get(null);
    expect(storedViewData(items['log:10:meta'] as StoredMeta, items, 10)).toBeNull();
  });
});

describe('the diagnosis stored for the view', () => {
  /** Segments of one stream, every other one without ACAO (rejected). */
  function feed(store: TabLogStore, tabId: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const each = record(tabId);
      const rejected = i % 2 === 1;
      const withHeaders: RequestRecord = rejected ? { ...each, responseHeaders: [] } : each;
      store.add(withHeaders, verdictForRecord(withHeaders));
    }
  }

  /** A log of `count` such segments on the tab, flushed to a fresh storage. */
  async function flushedLog(tabId: number, count: number): Promise<{ area: FakeSessionArea; store: TabLogStore }> {
    const area = new FakeSessionArea();
    const store = new TabLogStore(area, { isQuotaError, chunkSize: 4 });
    store.startPage(tabId, 'http://page.test/watch');
    feed(store, tabId, count);
    await store.flush();
    return { area, store };
  }

  /**
   * Five such segments, then one judged at arrival as passed that the whole-log analysis rejects (no
   * ACAO: a re-judged row, the sixth), then `after` more segments, flushed to a fresh storage.
   */
  async function rejudgedLog(tabId: number, after: number): Promise<{ area: FakeSessionArea; store: TabLogStore }> {
    const { area, store } = await flushedLog(tabId, 5);
    store.add({ ...record(tabId), responseHeaders: [] }, { outcome: 'pass', needsPreflight: false, explanation: 'judged at arrival' });
    feed(store, tabId, after);
    await store.flush();
    return { area, store };
  }

  test('a view asking for the analysis gets it in its first answer; the worker stores it, and a view reading storage draws it while it names the same records', async () => {
    const { area, store } = await flushedLog(21, 5);
    const views = new TabViews(store, 'worker-1');
    expect(views.answer(21)).toMatchObject({ analysed: false, summary: null });
    const restartedViews = new TabViews(store, 'worker-2');
    const answer = restartedViews.answer(21, undefined, true);
    expect(answer.analysed).toBe(true);
    expect(answer.summary?.streams.length).toBeGreaterThan(0);
    await Promise.resolve(); // the summary is written without waiting for a flush
    const items = await area.get(null);
    const stored = storedViewData(items['log:21:meta'] as StoredMeta, items, 21);
    expect(stored?.data.summary).toEqual(JSON.parse(JSON.stringify(answer.summary)));
    expect(stored?.data.rows.length).toBe(5);

    // One more record flushed: the stored summary is of fewer records than the meta names, so not shown.
    feed(store, 21, 1);
    await store.flush();
    const later = await area.get(null);
    expect(storedViewData(later['log:21:meta'] as StoredMeta, later, 21)?.data).toMatchObject({ summary: null });
    expect(storedViewData(later['log:21:meta'] as StoredMeta, later, 21)?.data.rows.length).toBe(6);
    expect(storedViewData(later['log:21:meta'] as StoredMeta, later, 21)?.version).toBe(NO_VERSION);

    // A new page load removes it with the log.
    restartedViews.answer(21, undefined, true);
    await Promise.resolve();
    expect(Object.keys(await area.get(null))).toContain('log:21:summary');
    store.startPage(21, 'http://page.test/next');
    await store.flush();
    expect(Object.keys(await area.get(null))).not.toContain('log:21:summary');
  });

  test('a view drawn from storage holds the worker\'s view at the stored version, re-judged rows included: the running worker sends it nothing more, a restarted one everything', async () => {
    const { area, store } = await rejudgedLog(22, 2);
    const views = new TabViews(store, 'worker-1');
    const answer = views.answer(22, undefined, true);
    const workerRows = unpackRows(answer.rows);
    expect(workerRows[5]!.verdict.outcome).toBe('fail');
    expect(store.tab(22)!.rows[5]!.verdict.explanation).toBe('judged at arrival');
    await Promise.resolve();
    const items = await area.get(null);
    const stored = storedViewData(items['log:22:meta'] as StoredMeta, items, 22)!;
    expect(stored.version).toEqual({ logId: answer.logId, revision: answer.revision });
    expect(stored.data.rows).toEqual(JSON.parse(JSON.stringify(workerRows)));
    expect(stored.data.rows[5]!.verdict.outcome).toBe('fail');

    const since = views.answer(22, stored.version);
    expect(since).toMatchObject({ full: false, summary: null });
    expect(since.rows.rows).toHaveLength(0);
    expect(applyViewUpdate(stored, since).data.rows).toBe(stored.data.rows);

    // A record the worker holds but had not analysed: the answer since the stored version carries it alone.
    feed(store, 22, 1);
    const newer = views.answer(22, stored.version);
    expect(newer.full).toBe(false);
    expect(unpackRows(newer.rows).map((row) => row.seq)).toEqual([8]);
    expect(applyViewUpdate(stored, newer).data.rows.map((row) => row.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);

    // Another worker knows nothing of that version: everything.
    expect(new TabViews(store, 'worker-2').answer(22, stored.version).full).toBe(true);
  });

  test('the first screen: the store writes it as rows change, the worker rewrites it with its diagnosis and re-judged rows, and it is the top of the whole stored view', async () => {
    // Its re-judged row: the worker's first screen lists it with the rejected.
    const { area, store } = await rejudgedLog(24, 0);
    const read = async () => {
      const items = await area.get(firstReadKeys(24));
      const meta = items['log:24:meta'] as StoredMeta;
      const stored = currentStoredSummary(meta, items['log:24:summary']);
      return { first: firstScreenView(meta, items['log:24:first'], stored), whole: storedViewData(meta, await area.get(null), 24, stored) };
    };
    const ids = (view: LiveView | null | undefined) => view?.data.firstScreen?.groups.map((group) => [group.key, group.rows.map((row) => row.id)]);
    const listed = (view: LiveView | null) => {
      const list = new RequestList();
      list.update(view!.data.rows, view!.data.summary?.findings ?? [], { filter: 'all', sort: null, groupedAt: 0 });
      return list.groups().map((group) => [group.key, group.rows.map((row) => row.id)]);
    };
    const fromStore = await read();
    expect(fromStore.first).toMatchObject({ data: { summary: null }, version: NO_VERSION });
    expect(ids(fromStore.first)).toEqual(listed(fromStore.whole));

    const answer = new TabViews(store, 'worker-1').answer(24, undefined, true);
    await Promise.resolve();
    const fromWorker = await read();
    expect(fromWorker.first?.version).toEqual({ logId: answer.logId, revision: answer.revision });
    expect(fromWorker.first?.data.summary).toEqual(JSON.parse(JSON.stringify(answer.summary)));
    expect(ids(fromWorker.first)).toEqual(listed(fromWorker.whole));
    expect(ids(fromWorker.first)).not.toEqual(ids(fromStore.first));
    // A flush that changes no record leaves the worker's first screen; one that adds a record replaces it.
    store.setPreserveLog(24, true);
    await store.flush();
    expect((await read()).first?.version).toEqual(fromWorker.first?.version);
    feed(store, 24, 1);
    await store.flush();
    const later = await read();
    expect(later.first).toMatchObject({ data: { summary: null, firstScreen: { rowCount: 7 } }, version: NO_VERSION });
    expect(ids(later.first)).toEqual(listed(later.whole));
  });

  test('the list drawn from storage stays as arranged when the first answer changes no row; any other first answer regroups it', async () => {
    const { area, store } = await flushedLog(23, 3);
    const views = new TabViews(store, 'worker-1');
    views.answer(23, undefined, true);
    await Promise.resolve();
    const items = await area.get(null);
    const stored = storedViewData(items['log:23:meta'] as StoredMeta, items, 23)!;
    const apply = (held: LiveView, answer: TabViewResponse, first: boolean) => withArrangementKept(held, answer, applyViewUpdate(held, answer), first);

    const nothingNew = apply(stored, views.answer(23, stored.version), true);
    expect(nothingNew.data.provisional).toBe(true);
    expect(nothingNew.data.rows).toBe(stored.data.rows);
    // Kept as arranged: later requests are arrivals, not regrouped.
    feed(store, 23, 1);
    expect(apply(nothingNew, views.answer(23, nothingNew.version), false).data.provisional).toBe(true);

    // A first answer with a row the storage did not have yet: regrouped.
    expect(apply(stored, views.answer(23, stored.version), true).data.provisional).toBeUndefined();
    // A full first answer (another worker): regrouped.
    expect(apply(stored, new TabViews(store, 'worker-2').answer(23, stored.version, true), true).data.provisional).toBeUndefined();
  });

  test('a summary of another page load with as many records is not shown as this one\'s', () => {
    const meta: StoredMeta = { pageUrl: null, firstSeq: 0, endSeq: 3, chunks: [] };
    const summary = { findings: [], streams: [], ruleErrors: [] };
    const of = (firstSeq: number, endSeq: number) => ({ firstSeq, endSeq, logId: 'w:1', revision: 4, rejudged: packRows([]) });
    expect(currentStoredSummary(meta, storedSummaryText(of(0, 3), JSON.stringify(summary)))).toMatchObject({ summary, logId: 'w:1', revision: 4 });
    expect(currentStoredSummary(meta, storedSummaryText(of(0, 2), JSON.stringify(summary)))).toBeNull();
    expect(currentStoredSummary({ ...meta, endSeq: undefined }, storedSummaryText(of(0, 3), JSON.stringify(summary)))).toBeNull();
    expect(currentStoredSummary(meta, 'not json')).toBeNull();
  });
});
