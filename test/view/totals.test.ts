import { describe, expect, test } from 'vitest';
import { verdictForRecord } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { StreamKeys } from '../../src/engine/streams.ts';
import { MAX_PLAYLIST_FOLDERS, countRecord, emptyTotals, mergeTotals, streamsOfTotals, totalsFromStorage, totalsOf, type VerdictCounts } from '../../src/view/totals.ts';
import { workloadRecords } from '../../scripts/bench/workload.ts';

const records: RequestRecord[] = workloadRecords(900, 21);
const verdicts = new Map(records.map((record) => [record, verdictForRecord(record)]));
const verdictOf = (record: RequestRecord) => verdicts.get(record)!;

/** Totals counted one record at a time, as the store does while records arrive. */
function countedInTurn(list: readonly RequestRecord[]) {
  const totals = emptyTotals();
  const keys = new StreamKeys([], MAX_PLAYLIST_FOLDERS);
  for (const record of list) countRecord(totals, keys, record, verdictOf(record));
  return totals;
}

describe('tab totals', () => {
  test('counted as records arrive, they equal the totals of all the records at once', () => {
    const all = totalsOf(records, verdictOf);
    const inTurn = countedInTurn(records);
    expect(all.requests).toBe(900);
    expect(all.byOutcome.fail).toBeGreaterThan(0);
    expect({ ...inTurn, byStream: null }).toEqual({ ...all, byStream: null });
    // Streams: the same keys; a record that came before its playlist may count in its parent folder (see StreamKeys).
    const sum = (totals: typeof all) => streamsOfTotals(totals).reduce((count, stream) => count + stream.total, 0);
    expect(Object.keys(inTurn.byStream).sort()).toEqual(Object.keys(all.byStream).sort());
    expect(sum(inTurn)).toBe(sum(all));
  });

  test('two halves merged give the totals of the whole', () => {
    const merged = countedInTurn(records.slice(0, 450));
    mergeTotals(merged, countedInTurn(records.slice(450)));
    const whole = countedInTurn(records);
    expect(merged.requests).toBe(whole.requests);
    expect(merged.byOutcome).toEqual(whole.byOutcome);
    expect(merged.byKind).toEqual(whole.byKind);
    expect(merged.failuresByCause).toEqual(whole.failuresByCause);
    expect(streamsOfTotals(merged).map((stream) => [stream.key, stream.total, stream.failing])).toEqual(streamsOfTotals(whole).map((stream) => [stream.key, stream.total, stream.failing]));
  });

  test('read back from storage: complete totals as stored; older ones get their missing tallies from the records', () => {
    const counted = countedInTurn(records);
    expect(totalsFromStorage(JSON.parse(JSON.stringify(counted)), [])).toEqual(counted);
    const { requests, byOutcome, byKind } = counted;
    // Stored before byStream and failuresByCause existed, with 900 requests of which 300 are still held.
    const older = totalsFromStorage({ requests, byOutcome, byKind }, records.slice(600));
    expect(older).toMatchObject({ requests: 900, byOutcome, byKind });
    expect(older.failuresByCause).toEqual(totalsOf(records.slice(600), verdictOf).failuresByCause);
    expect(totalsFromStorage(undefined, records.slice(600))).toEqual(totalsOf(records.slice(600), verdictOf));
    expect(totalsFromStorage({ requests: 'many' }, [])).toEqual(emptyTotals());
  });

  test('a CORS request cancelled before any check counts under cancelled as well as not-applicable; merging and storage keep it', () => {
    const [a, b, c] = records as [RequestRecord, RequestRecord, RequestRecord];
    const given = new Map<RequestRecord, VerdictCounts>([
      [a, { outcome: 'not-applicable', cancelled: true }],
      [b, { outcome: 'not-applicable' }],
      [c, { outcome: 'pass' }],
    ]);
    const totals = emptyTotals();
    const keys = new StreamKeys([], MAX_PLAYLIST_FOLDERS);
    for (const record of [a, b, c]) countRecord(totals, keys, record, given.get(record)!);
    expect(totals).toMatchObject({ requests: 3, cancelled: 1, byOutcome: { 'not-applicable': 2, pass: 1, fail: 0, unknown: 0 } });
    expect(totalsOf([a, b, c], (record) => given.get(record)!).cancelled).toBe(1);
    // Merged (records that arrived while a restore was reading) into totals with none.
    const merged = countedInTurn(records.slice(3, 10));
    const before = merged.cancelled;
    mergeTotals(merged, totals);
    expect(merged.cancelled).toBe(before + 1);
    // Stored and read back; a meta stored before the count existed reads as none cancelled.
    expect(totalsFromStorage(JSON.parse(JSON.stringify(totals)), [])).toEqual(totals);
    const { cancelled: _cancelled, ...older } = totals;
    expect(totalsFromStorage(JSON.parse(JSON.stringify(older)), [a, b, c])).toEqual({ ...totals, cancelled: 0 });
  });
});
