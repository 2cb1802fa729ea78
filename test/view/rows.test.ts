import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/engine/index.ts';
import type { CorsVerdict, MediaKind } from '../../src/engine/model.ts';
import { filterCounts, matchesFilter, namedByOf, rowsOf, sortRows, type RequestRow } from '../../src/view/rows.ts';
import { groupRows, groupRowsInPlace } from '../../src/view/groups.ts';
import { rowFactsOfRecords } from '../../src/view/row-facts.ts';
import { loadRecordedEvents, replay } from '../background/replay.ts';

const { records } = replay(loadRecordedEvents('chromium-hls-segment2-no-acao.json'), 'chromium');
const media = records.filter((record) => record.media.kind !== 'other');
const report = analyze(media);
const rows = rowsOf(rowFactsOfRecords(media, report), report.findings);

describe('request rows', () => {
  test('failing first, then request order', () => {
    expect(rows.map((row) => [row.fileName, row.verdict.outcome])).toEqual([
      ['segment2.ts', 'fail'],
      ['segment2.ts', 'fail'],
      ['stream.m3u8', 'pass'],
      ['segment0.ts', 'pass'],
      ['segment1.ts', 'pass'],
    ]);
  });

  test('rejected requests form the first group; the rest are grouped by kind', () => {
    expect(groupRows(rows).map((group) => [group.key, group.rows.length])).toEqual([
      ['rejected', 2],
      ['playlists', 1],
      ['segments', 2],
    ]);
  });

  test('a view open while requests arrive: what it grouped stays put, later rows follow in arrival order', () => {
    // The view grouped when only the playlist and segment0 were there; the rest arrived later.
    const grouped = new Set(rows.filter((row) => row.fileName === 'stream.m3u8' || row.fileName === 'segment0.ts').map((row) => row.id));
    const groups = groupRowsInPlace(rows, grouped);
    expect(groups.map((group) => [group.key, group.rows.map((row) => row.fileName)])).toEqual([
      ['playlists', ['stream.m3u8']],
      ['segments', ['segment0.ts']],
      ['arrived', ['segment1.ts', 'segment2.ts', 'segment2.ts']],
    ]);
    // Grouped again with every row: the usual groups, rejected first, nothing left in 'arrived'.
    expect(groupRowsInPlace(rows, new Set(rows.map((row) => row.id)))).toEqual(groupRows(rows));
  });

  test('filters and their counts agree', () => {
    const counts = filterCounts(rows);
    expect(counts).toEqual({ all: 5, failing: 2, warnings: 0, playlists: 1, segments: 4 });
    expect(rows.filter((row) => matchesFilter(row, 'failing')).every((row) => row.verdict.outcome === 'fail')).toBe(true);
  });

  test('evidence for the row: ACAO, cache status, age', () => {
    expect(rows[0]).toMatchObject({ allowOrigin: null, cacheStatus: 'Hit from cloudfront', age: '42', status: 200, error: 'net::ERR_FAILED' });
    expect(rows[2]).toMatchObject({ allowOrigin: '*', cacheStatus: 'Miss from cloudfront' });
  });
});

describe('media kinds in the list (the engine\'s isPlaylist and isMedia)', () => {
  const PASS: CorsVerdict = { outcome: 'pass', needsPreflight: false, explanation: '' };
  const kinds: MediaKind[] = ['master-playlist', 'media-playlist', 'playlist', 'dash-manifest', 'segment', 'init-segment', 'audio', 'progressive', 'key', 'subtitles', 'preflight', 'cors-request', 'other'];
  const kindRows: RequestRow[] = kinds.map((kind, index) => ({ ...rows[2]!, id: kind, kind, verdict: PASS, position: index }));
  const shown = (filter: 'playlists' | 'segments') => kindRows.filter((row) => matchesFilter(row, filter)).map((row) => row.kind);

  test('playlists: HLS playlists of every sort and DASH manifests', () => {
    expect(shown('playlists')).toEqual(['master-playlist', 'media-playlist', 'playlist', 'dash-manifest']);
  });

  test('segments: every other media request, as the rules count segments (keys and subtitles too), never a preflight', () => {
    expect(shown('segments')).toEqual(['segment', 'init-segment', 'audio', 'progressive', 'key', 'subtitles']);
  });

  test('groups: playlists together, then each other kind where it belongs', () => {
    expect(groupRows(kindRows).map((group) => [group.key, group.rows.map((row) => row.kind)])).toEqual([
      ['playlists', ['master-playlist', 'media-playlist', 'playlist', 'dash-manifest']],
      ['segments', ['segment', 'audio', 'progressive']],
      ['init', ['init-segment']],
      ['keys', ['key']],
      ['subtitles', ['subtitles']],
      ['preflights', ['preflight']],
      ['requests', ['cors-request']],
      ['other', ['other']],
    ]);
  });

  test('other CORS requests are in neither filter of media, and a rejected one stays in its own group below the media', () => {
    expect(shown('segments')).not.toContain('cors-request');
    const FAIL: CorsVerdict = { outcome: 'fail', chromiumError: 'MissingAllowOriginHeader', needsPreflight: false, explanation: '' };
    const licence: RequestRow = { ...kindRows.find((row) => row.kind === 'cors-request')!, id: 'licence', verdict: FAIL };
    const segment: RequestRow = { ...kindRows.find((row) => row.kind === 'segment')!, id: 'seg', verdict: FAIL };
    expect(groupRows([licence, ...kindRows, segment]).map((group) => [group.key, group.rows.map((row) => row.id)]).filter(([key]) => key === 'rejected' || key === 'requests')).toEqual([
      ['rejected', ['seg']],
      ['requests', ['licence', 'cors-request']],
    ]);
  });
});

describe('sorting (DevTools panel)', () => {
  test('by file ascending and descending, stable on ties', () => {
    const ascending = sortRows(rows, { key: 'file', descending: false }).map((row) => row.fileName);
    expect(ascending).toEqual(['segment0.ts', 'segment1.ts', 'segment2.ts', 'segment2.ts', 'stream.m3u8']);
    const descending = sortRows(rows, { key: 'file', descending: true }).map((row) => row.fileName);
    expect(descending).toEqual(['stream.m3u8', 'segment2.ts', 'segment2.ts', 'segment1.ts', 'segment0.ts']);
  });

  test('by time restores request order', () => {
    expect(sortRows(rows, { key: 'time', descending: false }).map((row) => row.fileName)).toEqual(media.map((record) => record.url.split('/').pop()));
  });
});

test('what the findings say of the records a view holds, and of no other', () => {
  const all = namedByOf(report.findings);
  const named = [...all.keys()];
  expect(named.length).toBeGreaterThan(0);
  const held = new Set([named[0]!, 'not-a-record']);
  const some = namedByOf(report.findings, held);
  expect([...some.keys()]).toEqual([named[0]]);
  expect(some.get(named[0]!)).toEqual(all.get(named[0]!));
});
