import { describe, expect, test, vi } from 'vitest';
import type { RequestRecord } from '../../src/engine/model.ts';
import { ENTRY_GRACE_MS, PageEvidence } from '../../src/background/page-evidence.ts';
import type { ResourceEntryReading } from '../../src/platform/scripting.ts';
import { BASE_TIME_MS, makeRecord } from '../engine/rules/support/make-record.ts';

const URL_A = 'http://localhost:4000/a.ts';
const URL_B = 'http://localhost:4000/b.ts';

function record(id: string, url: string, start: number, frameId = 0): RequestRecord {
  return { ...makeRecord({ id, url, start }), frameId, browser: 'firefox' };
}

/** A page whose Resource Timing holds `entries`; counts the reads and what they asked for. */
function fakePage(entries: ResourceEntryReading[]) {
  const reads: Array<{ frameIds: number[]; urls: string[] }> = [];
  return {
    reads,
    read: async (_tabId: number, frameIds: number[], urls: string[]): Promise<ResourceEntryReading[]> => {
      reads.push({ frameIds, urls });
      return entries.filter(([url]) => urls.includes(url));
    },
  };
}

describe('PageEvidence', () => {
  test('reads only the undetermined records’ URLs and frames, and each settled record once', async () => {
    const page = fakePage([[URL_A, BASE_TIME_MS + 3, 200, -1]]);
    const evidence = new PageEvidence(page.read);
    const a = record('a', URL_A, BASE_TIME_MS, 2);
    const b = record('b', URL_B, BASE_TIME_MS + 10);
    const log = { records: [a, b] };
    const later = BASE_TIME_MS + 10 * ENTRY_GRACE_MS;
    expect(await evidence.refresh(7, log, [a, b], later)).toBe(true);
    expect(page.reads).toEqual([{ frameIds: [2, 0], urls: [URL_A, URL_B] }]);
    expect(evidence.of(7, log)?.get('a')).toMatchObject({ ending: 'allowed', detail: 'Resource Timing responseStatus 200' });
    expect(evidence.of(7, log)?.has('b')).toBe(false);
    // a has its evidence and b ended long ago without an entry: nothing is read again.
    expect(await evidence.refresh(7, log, [a, b], later)).toBe(false);
    expect(page.reads).toHaveLength(1);
    expect(evidence.version(7, log)).toBe(1);
  });

  test('a record that just ended is asked about again, and the view is told to ask once', async () => {
    vi.useFakeTimers();
    const entries: ResourceEntryReading[] = [];
    const page = fakePage(entries);
    const asked: number[] = [];
    const evidence = new PageEvidence(page.read, (tabId) => asked.push(tabId));
    const fresh = record('fresh', URL_A, BASE_TIME_MS);
    const log = { records: [fresh] };
    expect(await evidence.refresh(3, log, [fresh], BASE_TIME_MS + 100)).toBe(false);
    entries.push([URL_A, BASE_TIME_MS + 1, 0, -1]);
    expect(await evidence.refresh(3, log, [fresh], BASE_TIME_MS + 200)).toBe(true);
    // One network error alone decides nothing (a load cancelled as its response arrived leaves one too).
    expect(evidence.of(3, log)?.get('fresh')?.ending).toBe('error-once');
    vi.advanceTimersByTime(ENTRY_GRACE_MS - 1);
    expect(asked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(asked).toEqual([3]);
    vi.useRealTimers();
  });

  test('a new log starts afresh; entries without a responseStatus prove nothing', async () => {
    const page = fakePage([[URL_A, BASE_TIME_MS, -1, -1]]);
    const evidence = new PageEvidence(page.read);
    const a = record('a', URL_A, BASE_TIME_MS);
    const first = { records: [a] };
    expect(await evidence.refresh(1, first, [a], BASE_TIME_MS + 10 * ENTRY_GRACE_MS)).toBe(false);
    expect(evidence.of(1, { records: [a] })).toBeUndefined();
    expect(evidence.version(1, first)).toBe(0);
  });

  test('a load the page cancelled keeps its own entry: a completed load of the URL whose entry is not there yet gets nothing', async () => {
    // dash.js stopping: one load of the URL cancelled before its headers (onErrorOccurred, status 0 in
    // the page), another completed whose entry the page has not added yet.
    const cancelled = { ...record('cancelled', URL_A, BASE_TIME_MS), status: null, error: 'NS_BINDING_ABORTED', state: 'error' as const };
    const completed = record('completed', URL_A, BASE_TIME_MS + 300);
    const entries: ResourceEntryReading[] = [[URL_A, BASE_TIME_MS + 2, 0, -1]];
    const page = fakePage(entries);
    const evidence = new PageEvidence(page.read);
    const log = { records: [cancelled, completed] };
    expect(await evidence.refresh(5, log, [completed], BASE_TIME_MS + 400)).toBe(false);
    expect(evidence.of(5, log)?.has('completed')).toBe(false);
    // Its own entry arrives: read.
    entries.push([URL_A, BASE_TIME_MS + 301, 200, -1]);
    expect(await evidence.refresh(5, log, [completed], BASE_TIME_MS + 600)).toBe(true);
    expect(evidence.of(5, log)?.get('completed')?.ending).toBe('allowed');
  });

  test('a later load of the same URL failing too turns the first one’s single network error into "blocked"', async () => {
    const entries: ResourceEntryReading[] = [[URL_A, BASE_TIME_MS + 2, 0, -1]];
    const page = fakePage(entries);
    const evidence = new PageEvidence(page.read);
    const first = record('first', URL_A, BASE_TIME_MS);
    const retry = record('retry', URL_A, BASE_TIME_MS + 500);
    const log = { records: [first] };
    const later = BASE_TIME_MS + 10 * ENTRY_GRACE_MS;
    expect(await evidence.refresh(4, log, [first], later)).toBe(true);
    expect(evidence.of(4, log)?.get('first')).toMatchObject({ ending: 'error-once', detail: 'Resource Timing responseStatus 0' });
    // Nothing new: the page is not read again for the undecided record.
    expect(await evidence.refresh(4, log, [first], later)).toBe(false);
    expect(page.reads).toHaveLength(1);
    log.records = [first, retry];
    entries.push([URL_A, BASE_TIME_MS + 502, 0, -1]);
    expect(await evidence.refresh(4, log, [first, retry], later)).toBe(true);
    for (const id of ['first', 'retry']) expect(evidence.of(4, log)?.get(id)).toMatchObject({ ending: 'blocked', detail: 'Resource Timing responseStatus 0 ×2' });
  });

  test('Firefox: the status its isolated world read decides a single network error either way', async () => {
    // The measured race: both loads completed in webRequest with a status-0 entry in the page; the
    // blocked one reached the page (received 200), the cancelled one did not (received 0).
    const blocked = record('blocked', URL_A, BASE_TIME_MS);
    const cancelled = record('cancelled', URL_B, BASE_TIME_MS);
    const page = fakePage([
      [URL_A, BASE_TIME_MS + 2, 0, 200],
      [URL_B, BASE_TIME_MS + 2, 0, 0],
    ]);
    const evidence = new PageEvidence(page.read);
    const log = { records: [blocked, cancelled] };
    expect(await evidence.refresh(6, log, [blocked, cancelled], BASE_TIME_MS + 10 * ENTRY_GRACE_MS)).toBe(true);
    expect(evidence.of(6, log)?.get('blocked')).toMatchObject({ ending: 'blocked', detail: 'Resource Timing responseStatus 0 for the page, 200 received' });
    expect(evidence.of(6, log)?.get('cancelled')).toMatchObject({ ending: 'not-received' });
  });

  test('Firefox: a load aborted before any response is read about too, and said not to be a rejection', async () => {
    const aborted: RequestRecord = { ...record('aborted', URL_A, BASE_TIME_MS), status: null, error: 'NS_BINDING_ABORTED', state: 'error' };
    const refused: RequestRecord = { ...record('refused', URL_B, BASE_TIME_MS), status: null, error: 'NS_ERROR_CONNECTION_REFUSED', state: 'error' };
    const page = fakePage([
      [URL_A, BASE_TIME_MS + 2, 0, 0],
      [URL_B, BASE_TIME_MS + 2, 0, 0],
    ]);
    const evidence = new PageEvidence(page.read);
    const log = { records: [aborted, refused] };
    expect(await evidence.refresh(8, log, [aborted, refused], BASE_TIME_MS + 10 * ENTRY_GRACE_MS)).toBe(true);
    // Only the abort's URL is asked about: a refused connection's entry tells nothing new.
    expect(page.reads).toEqual([{ frameIds: [0], urls: [URL_A] }]);
    expect(evidence.of(8, log)?.get('aborted')?.ending).toBe('not-received');
  });
});

