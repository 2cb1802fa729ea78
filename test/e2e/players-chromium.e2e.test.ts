/**
 * Every major player in real Chromium with CORS Lens (docs/lab.md#players): hls.js, Shaka Player,
 * dash.js, video.js (VHS) and a native <video> play HLS with TS, HLS with fMP4 (init segments), HLS by
 * byte ranges, DASH (MPD, audio and video, init + m4s) and a progressive MP4 (Range requests). Each
 * case plays once with a failing file (served without Access-Control-Allow-Origin) and once clean.
 * For every request to the media origin the popup's verdict and error name must equal Chromium's own
 * (CDP Network.loadingFailed.corsErrorStatus; no error for the passing ones). One browser launch, the
 * cases in sequence.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium.ts';
import { artifactPath } from './support/artifacts.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import { FAILING_FILES, PLAYERS, STREAMS, reportedFiles, streamPath, type PlayerId, type PlayerPageOptions, type StreamId } from './support/players.ts';
import { playAndCompare } from './support/players-chromium.ts';

interface PlayerCase {
  player: PlayerId;
  stream: StreamId;
  options?: PlayerPageOptions;
}

/** Which player plays which stream (a player's page is the same for every stream it plays). */
const CASES: readonly PlayerCase[] = [
  { player: 'hlsjs', stream: 'hls-ts' },
  { player: 'hlsjs', stream: 'hls-fmp4' },
  { player: 'hlsjs', stream: 'hls-range' },
  { player: 'shaka', stream: 'dash' },
  { player: 'shaka', stream: 'hls-fmp4' },
  { player: 'dashjs', stream: 'dash' },
  { player: 'videojs', stream: 'hls-ts' },
  { player: 'videojs', stream: 'dash' },
  { player: 'native', stream: 'hls-ts', options: { crossOrigin: 'anonymous' } },
  { player: 'native', stream: 'mp4', options: { crossOrigin: 'anonymous' } },
  { player: 'native', stream: 'mp4' },
];

let browser: ChromiumWithExtension;
let pageServer: RunningServer;
/** Serves every stream's failing file without ACAO. */
let failingMedia: RunningServer;
/** The clean control: every file with ACAO. */
let cleanMedia: RunningServer;
const matrix: string[] = [];
const ranged = (play: { requests: ReadonlyArray<{ range: string | null }> }) => play.requests.filter((request) => request.range !== null).length;

beforeAll(async () => {
  pageServer = await startPageServer();
  failingMedia = await startMediaServer({ withoutAllowOrigin: FAILING_FILES });
  cleanMedia = await startMediaServer({ withoutAllowOrigin: new Set() });
  browser = await launchChromiumWithExtension();
});

afterAll(async () => {
  if (matrix.length > 0) console.info(`[players] Chromium, popup vs Chromium per request:\n${matrix.join('\n')}`);
  await browser?.close();
  await pageServer?.close();
  await failingMedia?.close();
  await cleanMedia?.close();
});

const caseName = (playerCase: PlayerCase) =>
  `${PLAYERS[playerCase.player].label}${playerCase.options?.crossOrigin ? ` crossorigin=${playerCase.options.crossOrigin}` : ''}, ${STREAMS[playerCase.stream].about}`;
const caseFolder = (playerCase: PlayerCase, variant: string) => `${playerCase.player}-${playerCase.stream}-${playerCase.options?.crossOrigin ?? 'plain'}-${variant}`;

describe('players in Chromium: the popup agrees with Chromium on every request', () => {
  for (const playerCase of CASES) {
    const stream = STREAMS[playerCase.stream];
    const corsMode = playerCase.player !== 'native' || playerCase.options?.crossOrigin !== undefined;

    test(`${caseName(playerCase)}: ${stream.failingFile} without ACAO`, async () => {
      const src = `${failingMedia.origin}${streamPath(caseFolder(playerCase, 'fail'), playerCase.stream)}`;
      const play = await playAndCompare(browser, pageServer.origin, failingMedia.origin, playerCase.player, src, playerCase.options);
      const failingUrl = new URL(stream.failingFile, src).href;
      const blocked = play.requests.filter((request) => request.end.kind === 'cors-error');
      matrix.push(`${caseName(playerCase)}, failing: ${play.comparison.compared} requests (${ranged(play)} with Range), ${play.comparison.compared - play.comparison.disagreements.length} agree ${JSON.stringify(play.comparison.tally)}`);
      await play.popup.screenshot({ path: artifactPath(`players-chromium-${caseFolder(playerCase, 'fail')}.png`) });
      expect(play.comparison.disagreements).toEqual([]);
      if (corsMode) {
        // The scenario did what it says: the player itself saw the file fail, and Chromium blocked it, and nothing else.
        expect(play.state.fatal).not.toBeNull();
        // A native <video> reports only on its src.
        expect(reportedFiles(play.state).failed).toContain(playerCase.player === 'native' ? stream.entry : stream.failingFile);
        expect(blocked.length).toBeGreaterThan(0);
        expect(new Set(blocked.map((request) => request.url))).toEqual(new Set([failingUrl]));
      } else {
        // No crossorigin: no CORS check, so the file without ACAO plays and nothing may be red.
        expect(play.state).toMatchObject({ ended: true, fatal: null });
        expect(blocked).toEqual([]);
        expect(play.rows.map((row) => row.outcome)).toEqual(play.rows.map(() => 'not-applicable'));
      }
      await play.popup.close();
      await play.player.close();
    });

    test(`${caseName(playerCase)}: clean control`, async () => {
      const src = `${cleanMedia.origin}${streamPath(caseFolder(playerCase, 'clean'), playerCase.stream)}`;
      const play = await playAndCompare(browser, pageServer.origin, cleanMedia.origin, playerCase.player, src, playerCase.options);
      matrix.push(`${caseName(playerCase)}, clean: ${play.comparison.compared} requests (${ranged(play)} with Range), ${play.comparison.compared - play.comparison.disagreements.length} agree ${JSON.stringify(play.comparison.tally)}`);
      expect(play.comparison.disagreements).toEqual([]);
      expect(play.state, JSON.stringify(play.state.events)).toMatchObject({ ended: true, fatal: null });
      expect(reportedFiles(play.state).failed).toEqual(new Set());
      expect(play.rows.some((row) => row.outcome === 'fail')).toBe(false);
      if (playerCase.player !== 'native') {
        // The player's own API reported every file of the stream as loaded.
        expect(reportedFiles(play.state).loaded, JSON.stringify(play.state.events)).toEqual(new Set(stream.files));
      }
      expect(play.rows.length).toBeGreaterThan(0);
      // The byte-range streams are read with Range requests (hls.js and Shaka set them, the media element adds bytes=0-).
      if (playerCase.stream === 'hls-range' || playerCase.stream === 'mp4') expect(play.requests.filter((request) => request.range !== null).length).toBeGreaterThan(0);
      expect(play.rows.every((row) => row.outcome === (corsMode ? 'pass' : 'not-applicable'))).toBe(true);
      await play.popup.close();
      await play.player.close();
    });
  }
});
