import type { MediaClass } from '../engine/model.ts';
import type { WebRequestEventName } from './recorder.ts';

/**
 * Which requests CORS Lens records: one decision, applied at two points (docs/capture.md#candidates).
 *
 * 1. The browser delivers only requests of these resource types to the listeners, so a page's
 *    documents, frames, images, scripts, stylesheets and fonts never reach the extension (no event,
 *    no wake-up of the worker, no header copying): the cost on a page with nothing to see is nil.
 *    - `xmlhttprequest`: XHR and fetch() (both browsers type fetch so): MSE players (hls.js, dash.js,
 *      Shaka, video.js) load playlists and segments this way, and licence, certificate and key
 *      requests, playback APIs, thumbnails and CMCD reports go out this way too;
 *    - `media`: a native `<video>`/`<audio>` loading its source;
 *    - `other`: what Chromium types neither (its CORS preflights among them);
 *    - `ping`: `<a ping>`, and in Chromium `navigator.sendBeacon` (CMCD beacons);
 *    - `beacon`: `navigator.sendBeacon` in Firefox, which types it apart (Chromium has no such type
 *      and refuses a filter that names it, so it is asked for only where the browser has it).
 * 2. A finished request of those types is kept when its kind (classifyRequest, given what was sent)
 *    is not 'other': media by URL or Content-Type, a preflight, or another cross-origin CORS request.
 */
export const CANDIDATE_TYPES: readonly string[] = ['xmlhttprequest', 'media', 'other', 'ping'];

/** Candidate types only Firefox has (Chromium rejects an unknown type in a listener's filter). */
export const FIREFOX_CANDIDATE_TYPES: readonly string[] = ['beacon'];

/** Seen on onBeforeRequest only: a top-level navigation starts the tab's new log. */
export const NAVIGATION_TYPE = 'main_frame';

export function isCandidate(media: MediaClass): boolean {
  return media.kind !== 'other';
}

/** A webRequest event CORS Lens listens to, and what it asks the browser to include. */
export interface ListenedEvent {
  name: 'onBeforeRequest' | 'onSendHeaders' | 'onHeadersReceived' | 'onResponseStarted' | 'onBeforeRedirect' | 'onCompleted' | 'onErrorOccurred';
  event: WebRequestEventName;
  /** The headers this event's details should carry (null: none; a listener that asks for none gets none). */
  headers: 'requestHeaders' | 'responseHeaders' | null;
  /** Ask for `extraHeaders` where the browser has it (Chromium: Origin, Sec-Fetch-*, CORS-blocked responses). */
  extraHeaders: boolean;
  /** Also top-level navigations (main_frame). */
  navigations: boolean;
}

/**
 * The listeners, and the headers each asks for: only where they are read (docs/capture.md#listeners).
 * The request headers as sent come with onSendHeaders (onBeforeSendHeaders would deliver them again);
 * the response headers with onHeadersReceived (a CORS-blocked response's only appearance in
 * Chromium), each redirect and onCompleted; onResponseStarted brings its time only.
 */
export const LISTENED_EVENTS: readonly ListenedEvent[] = [
  { name: 'onBeforeRequest', event: 'beforeRequest', headers: null, extraHeaders: false, navigations: true },
  { name: 'onSendHeaders', event: 'sendHeaders', headers: 'requestHeaders', extraHeaders: true, navigations: false },
  { name: 'onHeadersReceived', event: 'headersReceived', headers: 'responseHeaders', extraHeaders: true, navigations: false },
  { name: 'onResponseStarted', event: 'responseStarted', headers: null, extraHeaders: false, navigations: false },
  { name: 'onBeforeRedirect', event: 'beforeRedirect', headers: 'responseHeaders', extraHeaders: true, navigations: false },
  { name: 'onCompleted', event: 'completed', headers: 'responseHeaders', extraHeaders: true, navigations: false },
  // Chromium reports a CORS-blocked request's error only to a listener with extraHeaders.
  { name: 'onErrorOccurred', event: 'errorOccurred', headers: null, extraHeaders: true, navigations: false },
];

/**
 * The filter and extraInfoSpec of one listened event (`extraHeaders`: the browser supports it;
 * `firefox`: the browser has Firefox's own resource types).
 */
export function listenerOptions(
  listened: ListenedEvent,
  extraHeaders: boolean,
  firefox = false,
): { filter: { urls: string[]; types: string[] }; spec: string[] | undefined } {
  const types = [...CANDIDATE_TYPES, ...(firefox ? FIREFOX_CANDIDATE_TYPES : []), ...(listened.navigations ? [NAVIGATION_TYPE] : [])];
  const spec = [...(listened.headers === null ? [] : [listened.headers]), ...(listened.extraHeaders && extraHeaders ? ['extraHeaders'] : [])];
  // Firefox takes no spec on onErrorOccurred at all, and none is needed where nothing is asked for.
  return { filter: { urls: ['<all_urls>'], types }, spec: spec.length === 0 ? undefined : spec };
}

/** The resource types of documents: a page and the frames in it. */
export const DOCUMENT_TYPES: readonly string[] = [NAVIGATION_TYPE, 'sub_frame'];

/**
 * The one listener for documents' own responses: their Cross-Origin-Embedder-Policy
 * (document-policies.ts). Navigations only, so an ordinary page's subresources still reach nothing;
 * no extraHeaders, which the header is not hidden behind and which would put every request of every
 * tab through Chromium's header client (docs/capture.md#listeners).
 */
export const DOCUMENT_LISTENER = {
  name: 'onHeadersReceived',
  filter: { urls: ['<all_urls>'], types: [...DOCUMENT_TYPES] },
  spec: ['responseHeaders'],
} as const satisfies { name: ListenedEvent['name']; filter: { urls: string[]; types: string[] }; spec: string[] };
