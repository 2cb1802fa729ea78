/**
 * The player harness: one test page per player (hls.js, Shaka Player, dash.js, video.js/VHS and a
 * native <video>), served by the e2e page server under /players/, and the committed test streams
 * they play (test/fixtures/media, written by scripts/make-test-media.sh). Each page records, per URL,
 * what the player itself reported (loaded / failed, from the player's own API) in `window.__player`
 * (`PlayerState`), and sets `done` when playback ended or the player gave up. docs/lab.md#players.
 *
 * Browser-neutral: Chromium (Playwright) and Firefox (Puppeteer) tests use the same pages.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const pageScripts = fileURLToPath(new URL('./players', import.meta.url));

export type PlayerId = 'hlsjs' | 'shaka' | 'dashjs' | 'videojs' | 'native';

export interface PlayerPage {
  id: PlayerId;
  /** How reports and tests name it. */
  label: string;
  /** The player library's script (from node_modules), served as /players/vendor/<file name>. */
  vendorScript: string | null;
}

export const PLAYERS: Readonly<Record<PlayerId, PlayerPage>> = {
  hlsjs: { id: 'hlsjs', label: 'hls.js', vendorScript: 'node_modules/hls.js/dist/hls.min.js' },
  shaka: { id: 'shaka', label: 'Shaka Player', vendorScript: 'node_modules/shaka-player/dist/shaka-player.compiled.js' },
  dashjs: { id: 'dashjs', label: 'dash.js', vendorScript: 'node_modules/dashjs/dist/modern/umd/dash.all.min.js' },
  videojs: { id: 'videojs', label: 'video.js (VHS)', vendorScript: 'node_modules/video.js/dist/video.min.js' },
  native: { id: 'native', label: 'native <video>', vendorScript: null },
};

export type StreamId = 'hls-ts' | 'hls-fmp4' | 'hls-range' | 'dash' | 'mp4';

export interface StreamFixture {
  id: StreamId;
  /** Its folder under test/fixtures/media; in a URL, the folder right above the file names it. */
  folder: string;
  /** The file a player is given (playlist, MPD or progressive file). */
  entry: string;
  /** Every file of the stream. */
  files: readonly string[];
  /** The file the failing variant serves without Access-Control-Allow-Origin. */
  failingFile: string;
  about: string;
}

export const STREAMS: Readonly<Record<StreamId, StreamFixture>> = {
  'hls-ts': {
    id: 'hls-ts',
    folder: 'hls',
    entry: 'stream.m3u8',
    files: ['stream.m3u8', 'segment0.ts', 'segment1.ts', 'segment2.ts', 'segment3.ts'],
    failingFile: 'segment2.ts',
    about: 'HLS, MPEG-TS segments',
  },
  'hls-fmp4': {
    id: 'hls-fmp4',
    folder: 'hls-fmp4',
    entry: 'stream.m3u8',
    files: ['stream.m3u8', 'init.mp4', 'part0.m4s', 'part1.m4s', 'part2.m4s', 'part3.m4s'],
    failingFile: 'part2.m4s',
    about: 'HLS, fMP4 segments after an init segment (EXT-X-MAP)',
  },
  'hls-range': {
    id: 'hls-range',
    folder: 'hls-range',
    entry: 'range.m3u8',
    files: ['range.m3u8', 'range.mp4'],
    failingFile: 'range.mp4',
    about: 'HLS, one fMP4 file read with Range requests (EXT-X-BYTERANGE)',
  },
  dash: {
    id: 'dash',
    folder: 'dash',
    entry: 'stream.mpd',
    files: [
      'stream.mpd',
      'init-0.m4s',
      'chunk-0-00001.m4s',
      'chunk-0-00002.m4s',
      'chunk-0-00003.m4s',
      'chunk-0-00004.m4s',
      'init-1.m4s',
      'chunk-1-00001.m4s',
      'chunk-1-00002.m4s',
      'chunk-1-00003.m4s',
      'chunk-1-00004.m4s',
    ],
    failingFile: 'chunk-0-00002.m4s',
    about: 'DASH, video and audio adaptation sets, init + m4s segments',
  },
  mp4: {
    id: 'mp4',
    folder: 'mp4',
    entry: 'clip.mp4',
    files: ['clip.mp4'],
    failingFile: 'clip.mp4',
    about: 'a progressive MP4 read with Range requests',
  },
};

/** The media folders a media server may serve (their names are the URL folder right above a file). */
export const MEDIA_FOLDERS: ReadonlySet<string> = new Set(Object.values(STREAMS).map((stream) => stream.folder));

/** Every stream's failing file: what a media server started with `withoutAllowOrigin: FAILING_FILES` leaves without ACAO. */
export const FAILING_FILES: ReadonlySet<string> = new Set(Object.values(STREAMS).map((stream) => stream.failingFile));

export const mediaRoot = path.join(root, 'test/fixtures/media');

/**
 * The path of a stream's entry on a media server, under a folder of the test's own (so no cache,
 * the browser's or the extension's log, mixes two cases): `/<caseFolder>/<stream folder>/<entry>`.
 */
export function streamPath(caseFolder: string, stream: StreamId): string {
  const fixture = STREAMS[stream];
  return `/${caseFolder}/${fixture.folder}/${fixture.entry}`;
}

export interface PlayerPageOptions {
  /** Native <video> only: its crossorigin attribute ('anonymous' makes its requests CORS requests). */
  crossOrigin?: 'anonymous' | 'use-credentials';
}

/** The URL of a player's page on the page server, playing `src` (an absolute URL). */
export function playerPageUrl(pageOrigin: string, player: PlayerId, src: string, options: PlayerPageOptions = {}): string {
  const query = new URLSearchParams({ src });
  if (options.crossOrigin) query.set('crossorigin', options.crossOrigin);
  return `${pageOrigin}/players/${player}.html?${query.toString()}`;
}

function pageHtml(player: PlayerPage): string {
  const vendor = player.vendorScript ? `<script src="/players/vendor/${path.basename(player.vendorScript)}"></script>\n` : '';
  return `<!doctype html>
<html data-player="${player.id}"><head><meta charset="utf-8"><title>${player.label}</title></head>
<body><video id="video" muted playsinline width="320" height="180"></video>
<script src="/players/record.js"></script>
${vendor}<script src="/players/${player.id}.js"></script>
</body></html>`;
}

export interface PlayerAsset {
  contentType: string;
  body: string | Buffer;
}

const SCRIPT_NAMES: ReadonlySet<string> = new Set(['record.js', ...Object.keys(PLAYERS).map((id) => `${id}.js`)]);
const VENDOR_SCRIPTS: ReadonlyMap<string, string> = new Map(
  Object.values(PLAYERS).flatMap((player) => (player.vendorScript ? [[path.basename(player.vendorScript), player.vendorScript] as const] : [])),
);

/** What the page server answers for a path under /players/, or null when the path is not one of the harness's. */
export async function playerAsset(pathname: string): Promise<PlayerAsset | null> {
  const match = /^\/players\/(?:(vendor)\/)?([\w.-]+)$/.exec(pathname);
  if (!match) return null;
  const [, vendor, name] = match as unknown as [string, string | undefined, string];
  if (vendor) {
    const file = VENDOR_SCRIPTS.get(name);
    return file ? { contentType: 'text/javascript', body: await readFile(path.join(root, file)) } : null;
  }
  const page = /^(\w+)\.html$/.exec(name)?.[1];
  if (page && page in PLAYERS) return { contentType: 'text/html; charset=utf-8', body: pageHtml(PLAYERS[page as PlayerId]) };
  if (SCRIPT_NAMES.has(name)) return { contentType: 'text/javascript', body: await readFile(path.join(pageScripts, name)) };
  return null;
}

/** One thing the player reported about a URL, through its own API. */
export interface PlayerEvent {
  event: 'loaded' | 'failed';
  /** Absolute URL. */
  url: string;
  /** The player's own words (event name, error code). */
  detail: string;
}

/** `window.__player` of a player page. */
export interface PlayerState {
  player: PlayerId;
  src: string;
  /** Playback ended, or the player gave up (then `fatal` says why). */
  done: boolean;
  fatal: string | null;
  ended: boolean;
  events: PlayerEvent[];
}

/** Plain JavaScript, evaluated in the page as an expression (works with Playwright and Puppeteer). */
export const READ_PLAYER_STATE_EXPRESSION = 'JSON.parse(JSON.stringify(window.__player ?? null))';

interface EvaluatingPage {
  evaluate(expression: string): Promise<unknown>;
}

export async function readPlayerState(page: EvaluatingPage): Promise<PlayerState | null> {
  return (await page.evaluate(READ_PLAYER_STATE_EXPRESSION)) as PlayerState | null;
}

/** A popup row as the player tests compare it: the request's URL (the file cell's title), verdict and Chromium error name. */
export interface PopupRequestRow {
  url: string;
  outcome: string;
  chromiumError: string | null;
}

/** Plain JavaScript evaluated in a popup or panel: its request rows (transpilers inject helpers into functions). */
export const READ_POPUP_ROWS_EXPRESSION = `[...document.querySelectorAll('[data-testid="request-row"]')].map((row) => ({
  url: row.querySelector('td.file')?.getAttribute('title') ?? '',
  outcome: row.dataset.outcome ?? '',
  chromiumError: (row.querySelector('.error-name')?.textContent ?? '').trim() || null,
}))`;

export async function readPopupRequestRows(popup: EvaluatingPage): Promise<PopupRequestRow[]> {
  return (await popup.evaluate(READ_POPUP_ROWS_EXPRESSION)) as PopupRequestRow[];
}

/** The file names (last path segment) a player reported as loaded, and as failed. */
export function reportedFiles(state: PlayerState): { loaded: Set<string>; failed: Set<string> } {
  const name = (url: string) => url.replace(/[?#].*$/, '').split('/').pop() ?? url;
  return {
    loaded: new Set(state.events.filter((event) => event.event === 'loaded').map((event) => name(event.url))),
    failed: new Set(state.events.filter((event) => event.event === 'failed').map((event) => name(event.url))),
  };
}
