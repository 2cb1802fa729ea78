import type { MediaClass, HeaderList } from '../model.ts';
import { headerValue, originOf } from '../headers.ts';

const OTHER: MediaClass = { kind: 'other', format: 'unknown' };

/**
 * Content types (without parameters) that identify media on their own. Maps, not object literals:
 * the key comes from a response header, and `constructor` or `__proto__` must find nothing.
 */
const CONTENT_TYPES: ReadonlyMap<string, MediaClass> = new Map([
  ['application/vnd.apple.mpegurl', { kind: 'playlist', format: 'hls', container: 'm3u8' }],
  ['application/x-mpegurl', { kind: 'playlist', format: 'hls', container: 'm3u8' }],
  ['audio/mpegurl', { kind: 'playlist', format: 'hls', container: 'm3u8' }],
  ['audio/x-mpegurl', { kind: 'playlist', format: 'hls', container: 'm3u8' }],
  ['application/dash+xml', { kind: 'dash-manifest', format: 'dash', container: 'mpd' }],
  ['video/mp2t', { kind: 'segment', format: 'hls', container: 'ts' }],
  ['video/iso.segment', { kind: 'segment', format: 'unknown', container: 'fmp4' }],
  ['audio/aac', { kind: 'audio', format: 'hls', container: 'aac' }],
  ['text/vtt', { kind: 'subtitles', format: 'unknown', container: 'vtt' }],
]);

/** File extensions, checked on the URL path's last segment (a Map: the key comes from the URL). */
const EXTENSIONS: ReadonlyMap<string, MediaClass> = new Map([
  ['m3u8', { kind: 'playlist', format: 'hls', container: 'm3u8' }],
  ['m3u', { kind: 'playlist', format: 'hls', container: 'm3u8' }],
  ['mpd', { kind: 'dash-manifest', format: 'dash', container: 'mpd' }],
  ['ts', { kind: 'segment', format: 'hls', container: 'ts' }],
  ['m4s', { kind: 'segment', format: 'unknown', container: 'fmp4' }],
  ['cmfv', { kind: 'segment', format: 'unknown', container: 'fmp4' }],
  ['cmfa', { kind: 'segment', format: 'unknown', container: 'fmp4' }],
  ['m4v', { kind: 'segment', format: 'unknown', container: 'fmp4' }],
  ['m4a', { kind: 'audio', format: 'unknown', container: 'fmp4' }],
  ['aac', { kind: 'audio', format: 'hls', container: 'aac' }],
  ['ac3', { kind: 'audio', format: 'hls', container: 'ac3' }],
  ['ec3', { kind: 'audio', format: 'hls', container: 'ec3' }],
  ['mp3', { kind: 'audio', format: 'progressive', container: 'mp3' }],
  ['vtt', { kind: 'subtitles', format: 'unknown', container: 'vtt' }],
  ['webvtt', { kind: 'subtitles', format: 'unknown', container: 'vtt' }],
  ['ttml', { kind: 'subtitles', format: 'unknown', container: 'ttml' }],
  ['key', { kind: 'key', format: 'hls', container: 'key' }],
  ['mp4', { kind: 'progressive', format: 'progressive', container: 'mp4' }],
  ['webm', { kind: 'progressive', format: 'progressive', container: 'webm' }],
  ['mkv', { kind: 'progressive', format: 'progressive', container: 'mkv' }],
]);

/** Names that mark an fMP4/CMAF initialisation segment (init.mp4, init-v1.m4s, *_init.mp4, header.m4s). */
const INIT_NAME = /(^|[_\-.])(init|header)([_\-.\d]|$)/i;
// 'index' and 'playlist' name variant playlists as often as masters, so they stay plain 'playlist'.
const MASTER_NAME = /(^|[_\-.])(master|main|manifest|origin)([_\-.]|$)/i;

function lastPathSegment(url: string): string {
  const queryStart = url.search(/[?#]/);
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** The file name at the end of a URL's path (for display). */
export function fileNameOf(url: string): string {
  const name = lastPathSegment(url);
  try {
    return decodeURIComponent(name) || url;
  } catch {
    return name || url;
  }
}

function fromFileName(name: string): MediaClass | null {
  const dot = name.lastIndexOf('.');
  if (dot === -1) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  const byExtension = EXTENSIONS.get(ext);
  if (!byExtension) return null;
  if (byExtension.kind === 'playlist') {
    return { ...byExtension, kind: MASTER_NAME.test(name.slice(0, dot)) ? 'master-playlist' : 'playlist' };
  }
  if ((ext === 'mp4' || ext === 'm4s' || ext === 'cmfv' || ext === 'cmfa') && INIT_NAME.test(name.slice(0, dot))) {
    return { kind: 'init-segment', format: 'unknown', container: 'fmp4' };
  }
  return byExtension;
}

const CORS_REQUEST: MediaClass = { kind: 'cors-request', format: 'unknown' };
const PREFLIGHT: MediaClass = { kind: 'preflight', format: 'unknown' };

/** What was sent with a request, when known: its headers and the page origin the browser reported. */
export interface SentRequest {
  headers: HeaderList | null;
  pageOrigin: string | null;
}

/**
 * Whether a request went out in CORS mode to another origin: it sent `Origin` or
 * `Sec-Fetch-Mode: cors`, and its URL's origin is not the page's (the `Origin` it sent, else the
 * page origin the browser reported; unknown counts as other). A same-origin fetch also says
 * `sec-fetch-mode: cors` and a same-origin POST sends `Origin`: the browser checks neither.
 */
export function isCrossOriginCorsRequest(url: string, request: SentRequest): boolean {
  const sentOrigin = headerValue(request.headers, 'origin');
  const corsMode = sentOrigin !== null || headerValue(request.headers, 'sec-fetch-mode')?.toLowerCase() === 'cors';
  if (!corsMode) return false;
  const pageOrigin = sentOrigin ?? request.pageOrigin;
  return pageOrigin === null || pageOrigin !== originOf(url);
}

/**
 * Classifies a request as media by URL and, when the URL says nothing, by response Content-Type;
 * given what was sent (`request`), a request that is not media but went out in CORS mode to another
 * origin is 'cors-request' (what a player depends on besides media: licences, keys, APIs, beacons),
 * and its preflight 'preflight'. Pure: the recorder calls it once when a request ends.
 */
export function classifyRequest(url: string, method: string, responseHeaders: HeaderList | null, request?: SentRequest): MediaClass {
  if (!/^https?:/i.test(url)) return OTHER;
  const byName = fromFileName(lastPathSegment(url));
  // A preflight has no body to classify: it counts when it precedes a request for a media URL, or
  // (an OPTIONS in CORS mode naming the method to come) another CORS request.
  if (method.toUpperCase() === 'OPTIONS') {
    if (byName) return { ...byName, kind: 'preflight' };
    const preflight = request !== undefined && headerValue(request.headers, 'access-control-request-method') !== null && isCrossOriginCorsRequest(url, request);
    return preflight ? PREFLIGHT : OTHER;
  }
  if (byName) return byName;
  const contentType = headerValue(responseHeaders, 'content-type');
  if (contentType) {
    const essence = contentType.split(';')[0]!.trim().toLowerCase();
    const byType = CONTENT_TYPES.get(essence);
    if (byType) return byType;
    if (essence.startsWith('video/')) return { kind: 'progressive', format: 'progressive', container: essence.slice(6) };
    if (essence.startsWith('audio/')) return { kind: 'audio', format: 'unknown', container: essence.slice(6) };
  }
  return request !== undefined && isCrossOriginCorsRequest(url, request) ? CORS_REQUEST : OTHER;
}

/**
 * The media kind predicates, the one home: the engine, the rules and the views sort requests with
 * these. Media is what a player fetches by URL or type (not a preflight, not another CORS request,
 * not other requests); a playlist is an HLS playlist or a DASH manifest; a segment is any other media
 * (segments, init segments, audio, subtitles, keys, progressive files).
 */
export function isMedia(media: MediaClass): boolean {
  return media.kind !== 'other' && media.kind !== 'preflight' && media.kind !== 'cors-request';
}

/** Counted in a stream (a media folder): media and preflights; not other CORS requests or other requests. */
export function isStreamPart(media: MediaClass): boolean {
  return media.kind !== 'other' && media.kind !== 'cors-request';
}

export function isPlaylist(media: MediaClass): boolean {
  return media.kind === 'master-playlist' || media.kind === 'media-playlist' || media.kind === 'playlist' || media.kind === 'dash-manifest';
}

export function isSegment(media: MediaClass): boolean {
  return isMedia(media) && !isPlaylist(media);
}

/** What a request carries, as the rules' messages word it ("3 segments", "a playlist"). */
export type FileKind = 'playlist' | 'segment' | 'other';

export function fileKindOf(media: MediaClass): FileKind {
  return isPlaylist(media) ? 'playlist' : isSegment(media) ? 'segment' : 'other';
}
