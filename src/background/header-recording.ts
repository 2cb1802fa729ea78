import type { HeaderList, RequestRecord } from '../engine/model.ts';
import { classifyRequest, isMedia } from '../engine/media/classify.ts';
import { headerValue } from '../engine/headers.ts';

/**
 * When Chromium's header listeners are on (docs/capture.md#header-recording).
 *
 * A listener that asks for `extraHeaders` makes Chromium send every request of every tab through its
 * header client (two round trips to the browser process), whatever the listener's filter: about a
 * fifth of an ordinary page's load time on loopback. So in Chromium the listeners that need it are
 * added only while there is something to see: while a CORS Lens view is open, for a few minutes after
 * any tab requested media, or always if the user asks for it. onBeforeRequest (no extraHeaders) stays,
 * and it is what notices the first media request.
 */
export const MEDIA_RECORDING_WINDOW_MS = 5 * 60_000;

/** storage.session: until when the header listeners stay on (ms since the epoch), kept across worker restarts. */
export const RECORDING_UNTIL_KEY = 'recording:until';

/** The window is written again only when it has moved by this much (a segment every few seconds would write each time). */
const PERSIST_STEP_MS = 30_000;

/** A request that switches header recording on: media by its resource type or its URL (nothing else is known yet). */
export function startsHeaderRecording(request: { url: string; method: string; type: string }): boolean {
  return request.type === 'media' || isMedia(classifyRequest(request.url, request.method, null));
}

/**
 * Whether Chromium's network stack produced these request headers, i.e. the request went through the
 * header client, so the list is what was sent (Origin, Sec-Fetch-*, Cookie included). A request that
 * started before the listeners were added reaches them with only the headers the page's renderer set.
 * The network stack adds Accept-Encoding, which a script cannot set (a forbidden header name); a media
 * element sets its own `Accept-Encoding: identity`, and for its requests (which no script adds
 * headers to) Accept-Language, also added by the network stack, tells instead.
 */
export function cameThroughNetworkStack(headers: HeaderList, resourceType: string): boolean {
  const encoding = headerValue(headers, 'accept-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return true;
  return resourceType === 'media' && headerValue(headers, 'accept-language') !== null;
}

/**
 * Chromium's request ids grow as requests start. The listeners' state is known by the id of the
 * latest request seen when they went off and while they were off: a request whose id is not above
 * it started before they were on again, even when its first event comes later (a redirect's next hop,
 * or a request that was in flight when they went off).
 */
export class StartedWhileOff {
  #highestSeen = -1;
  #cutoff = -1;

  /** Every onBeforeRequest; `listening`: whether the header listeners are on now. */
  seen(requestId: string, listening: boolean): void {
    const id = Number(requestId);
    if (!Number.isFinite(id)) return;
    if (id > this.#highestSeen) this.#highestSeen = id;
    if (!listening && id > this.#cutoff) this.#cutoff = id;
  }

  /** The listeners are going off: every request seen so far started while they were on, but will not be followed whole. */
  wentOff(): void {
    this.#cutoff = Math.max(this.#cutoff, this.#highestSeen);
  }

  startedWhileOff(requestId: string): boolean {
    const id = Number(requestId);
    return Number.isFinite(id) && id <= this.#cutoff;
  }
}

/**
 * A live Chromium record whose request headers were not seen whole: its request started before the
 * header listeners were on (the recorder marks it so; every other Chromium capture is complete).
 */
export function startedBeforeHeaderRecording(record: Pick<RequestRecord, 'browser' | 'requestHeadersComplete'>): boolean {
  return record.browser === 'chromium' && !record.requestHeadersComplete;
}

/** How many of a tab's records started before the header listeners were on (a view offers a reload). */
export function countStartedBeforeHeaderRecording(records: readonly RequestRecord[]): number {
  let count = 0;
  for (const record of records) if (startedBeforeHeaderRecording(record)) count++;
  return count;
}

export interface HeaderRecordingDeps {
  /** Adds, or removes, the listeners that ask for extraHeaders. */
  addListeners(): void;
  removeListeners(): void;
  /** storage.session: where the window's end is kept (RECORDING_UNTIL_KEY) across worker restarts. */
  area: { get(keys: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
  readEveryPage(): Promise<boolean>;
}

/** The stored end of the window, or 0 when none (or anything but a finite number) is stored. */
async function readUntil(area: HeaderRecordingDeps['area']): Promise<number> {
  const value = (await area.get(RECORDING_UNTIL_KEY))[RECORDING_UNTIL_KEY];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Keeps the header listeners on exactly while they are wanted. The worker adds them at top level
 * (a stopped worker is woken by their lazily kept registration, and only listeners added before the
 * first await get that event), so this starts as on and switches them off once `restore` has read
 * that nothing wants them.
 */
export class HeaderRecording {
  readonly #deps: HeaderRecordingDeps;
  #listening = true;
  #restored = false;
  #until = 0;
  #persistedUntil = 0;
  #everyPage = false;
  /** Set once the user's choice arrived as a change: a read that started before it is older. */
  #everyPageChanged = false;
  #openViews = 0;

  constructor(deps: HeaderRecordingDeps) {
    this.#deps = deps;
  }

  get listening(): boolean {
    return this.#listening;
  }

  async restore(now: () => number): Promise<void> {
    const [until, everyPage] = await Promise.all([
      readUntil(this.#deps.area).catch(() => 0),
      this.#deps.readEveryPage().catch(() => false),
    ]);
    this.#until = Math.max(this.#until, until);
    this.#persistedUntil = Math.max(this.#persistedUntil, until);
    if (!this.#everyPageChanged) this.#everyPage = everyPage;
    this.#restored = true;
    this.update(now());
  }

  /** A tab requested media: record for the next few minutes. */
  mediaRequested(now: number): void {
    this.#extend(now);
    this.update(now);
  }

  viewOpened(now: number): void {
    this.#openViews++;
    // Kept on a while after the view closes: the user may reload the page to record it whole.
    this.#extend(now);
    this.update(now);
  }

  viewClosed(now: number): void {
    this.#openViews = Math.max(0, this.#openViews - 1);
    this.update(now);
  }

  setEveryPage(on: boolean, now: number): void {
    this.#everyPage = on;
    this.#everyPageChanged = true;
    this.update(now);
  }

  /** Adds or removes the listeners as the state asks (called on every navigation, so an expired window ends). */
  update(now: number): void {
    const wanted = this.wanted(now);
    if (wanted === this.#listening) return;
    // Until the state is read, nothing is removed: a restart must not drop a recording in progress.
    if (!wanted && !this.#restored) return;
    this.#listening = wanted;
    if (wanted) this.#deps.addListeners();
    else this.#deps.removeListeners();
  }

  wanted(now: number): boolean {
    return this.#everyPage || this.#openViews > 0 || now < this.#until;
  }

  #extend(now: number): void {
    this.#until = Math.max(this.#until, now + MEDIA_RECORDING_WINDOW_MS);
    if (this.#until - this.#persistedUntil < PERSIST_STEP_MS) return;
    this.#persistedUntil = this.#until;
    this.#deps.area.set({ [RECORDING_UNTIL_KEY]: this.#until }).catch((error: unknown) => console.error('CORS Lens: could not save the recording window', error));
  }
}
