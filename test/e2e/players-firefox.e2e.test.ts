/**
 * hls.js and dash.js in real Firefox ESR with CORS Lens (docs/lab.md#players-in-firefox): HLS with TS,
 * HLS with fMP4 and DASH (audio and video), each with a failing file (served without
 * Access-Control-Allow-Origin) and a clean control. Firefox gives automation no CORS verdict and
 * completes a blocked response normally, so the ground truth is the player's own report: the popup
 * must flag exactly the URLs the player saw fail, and never one it loaded. With ACAO `*` and no
 * credentials visible on the wire the other requests are decided from the page's evidence (passed,
 * inferred) or stay "unknown", never red.
 * One browser launch, the cases in sequence.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchFirefoxWithExtension, type FirefoxWithExtension } from './support/firefox.ts';
import { artifactPath } from './support/artifacts.ts';
import type { RunningServer } from './support/servers.ts';
import { startPlayerServers, type PlayerServers } from './support/players-servers.ts';
import { PLAYERS, STREAMS, reportedFiles, streamPath, type PlayerId, type StreamId } from './support/players.ts';
import { playInFirefox } from './support/players-firefox.ts';

const CASES: ReadonlyArray<{ player: PlayerId; stream: StreamId }> = [
  { player: 'hlsjs', stream: 'hls-ts' },
  { player: 'hlsjs', stream: 'hls-fmp4' },
  { player: 'dashjs', stream: 'dash' },
];

let firefox: FirefoxWithExtension;
let servers: PlayerServers;
const matrix: string[] = [];

beforeAll(async () => {
  servers = await startPlayerServers();
  firefox = await launchFirefoxWithExtension();
});

afterAll(async () => {
  if (matrix.length > 0) console.info(`[players] Firefox, popup vs the player's own report:\n${matrix.join('\n')}`);
  await firefox?.close();
  await servers?.close();
});

const servedUnder = (server: RunningServer, folder: string) => () => server.requests.filter((request) => request.path.startsWith(`/${folder}/`)).length;
const tally = (rows: ReadonlyArray<{ outcome: string; chromiumError: string | null }>) => {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const key = row.outcome === 'fail' ? `fail ${row.chromiumError ?? ''}` : row.outcome;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return JSON.stringify(counts);
};

describe('players in Firefox: the popup flags exactly what the player saw fail', () => {
  for (const { player, stream: streamId } of CASES) {
    const stream = STREAMS[streamId];
    const name = `${PLAYERS[player].label}, ${stream.about}`;

    test(`${name}: ${stream.failingFile} without ACAO`, async () => {
      const folder = `ff-${player}-${streamId}-fail`;
      const src = `${servers.failingMedia.origin}${streamPath(folder, streamId)}`;
      const play = await playInFirefox(firefox, servers.pageServer.origin, player, src, servedUnder(servers.failingMedia, folder));
      const failingUrl = new URL(stream.failingFile, src).href;
      const reported = reportedFiles(play.state);
      matrix.push(`${name}, failing: ${play.rows.length} rows ${tally(play.rows)}; the player failed ${[...reported.failed].join(', ')}`);
      await play.popup.screenshot({ path: artifactPath(`players-firefox-${folder}-${streamId}.png`) });
      // The player itself saw the file fail (Firefox blocked it) and gave up.
      expect(play.state.fatal).not.toBeNull();
      expect(reported.failed).toContain(stream.failingFile);
      // The popup flags that URL, with its reason, and nothing else; nothing the player loaded is red.
      const failing = play.rows.filter((row) => row.outcome === 'fail');
      expect(failing.length).toBeGreaterThan(0);
      expect(new Set(failing.map((row) => row.url))).toEqual(new Set([failingUrl]));
      expect(failing.every((row) => row.chromiumError === 'MissingAllowOriginHeader')).toBe(true);
      const loadedUrls = new Set(play.state.events.filter((event) => event.event === 'loaded').map((event) => event.url));
      expect(play.rows.filter((row) => loadedUrls.has(row.url) && row.outcome === 'fail')).toEqual([]);
      // Firefox: ACAO * passes only without credentials, which the wire does not show: the page's own
      // evidence decides them (passed, inferred; firefox-players.e2e holds the 0-undetermined target).
      expect(play.rows.filter((row) => row.outcome !== 'fail').every((row) => row.outcome === 'pass' || row.outcome === 'unknown')).toBe(true);
      await play.popup.close();
      await play.player.close();
    });

    test(`${name}: clean control`, async () => {
      const folder = `ff-${player}-${streamId}-clean`;
      const src = `${servers.cleanMedia.origin}${streamPath(folder, streamId)}`;
      const play = await playInFirefox(firefox, servers.pageServer.origin, player, src, servedUnder(servers.cleanMedia, folder));
      matrix.push(`${name}, clean: ${play.rows.length} rows ${tally(play.rows)}`);
      expect(play.state, JSON.stringify(play.state.events)).toMatchObject({ ended: true, fatal: null });
      expect(reportedFiles(play.state).loaded).toEqual(new Set(stream.files));
      expect(play.state.events.filter((event) => event.event === 'failed')).toEqual([]);
      expect(play.rows.length).toBeGreaterThanOrEqual(stream.files.length);
      expect(play.rows.every((row) => row.outcome === 'pass' || row.outcome === 'unknown')).toBe(true);
      await play.popup.close();
      await play.player.close();
    });
  }
});
