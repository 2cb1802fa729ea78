import type { BrowserName, RequestRecord } from '../engine/model.ts';
import { classifyRequest } from '../engine/media/classify.ts';
import { normaliseHeaders, originOf } from '../engine/headers.ts';
import { cameThroughNetworkStack } from './header-recording.ts';

export type WebRequestEventName =
  | 'beforeRequest'
  | 'beforeSendHeaders'
  | 'sendHeaders'
  | 'headersReceived'
  | 'responseStarted'
  | 'beforeRedirect'
  | 'completed'
  | 'errorOccurred';

type RawHeaders = ReadonlyArray<{ name: string; value?: string; binaryValue?: ArrayLike<number> }>;

/** The fields of a webRequest event's details that the recorder reads, in both browsers. */
export interface WebRequestDetails {
  requestId: string;
  url: string;
  method: string;
  type: string;
  tabId: number;
  frameId: number;
  timeStamp: number;
  /** Chromium: the initiating origin. */
  initiator?: string;
  /** Firefox: the URL of the resource that triggered the request, and of its document. */
  originUrl?: string;
  documentUrl?: string;
  requestHeaders?: RawHeaders;
  responseHeaders?: RawHeaders;
  statusCode?: number;
  statusLine?: string;
  fromCache?: boolean;
  ip?: string | null;
  redirectUrl?: string;
  error?: string;
}

export interface RecorderOptions {
  browser: BrowserName;
  /** false when the browser may hide request headers from us (Chromium without extraHeaders). */
  requestHeadersComplete: boolean;
  /**
   * Chromium: a request's headers are complete only when they came through the network stack
   * (`cameThroughNetworkStack`); one that started before the header listeners were added shows less.
   */
  checkNetworkStack?: boolean;
  /** Chromium: whether a request started before the header listeners were on (its record is then incomplete from the start). */
  startedBeforeListeners?: (requestId: string) => boolean;
}

/**
 * Correlates a request's webRequest events by requestId into one RequestRecord. It judges nothing:
 * it copies what the browser reported, with lower-cased header names, and hands the record on once
 * the request ends (onCompleted or onErrorOccurred).
 */
export class Recorder {
  readonly #inFlight = new Map<string, RequestRecord>();
  readonly #options: RecorderOptions;

  constructor(options: RecorderOptions) {
    this.#options = options;
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  /** Feeds one event; returns the finished record when the event ends the request, else null. */
  handle(event: WebRequestEventName, details: WebRequestDetails): RequestRecord | null {
    const record = this.#recordFor(details);
    switch (event) {
      case 'beforeRequest':
        // After a redirect Chromium and Firefox fire onBeforeRequest again, same requestId, new URL.
        record.url = details.url;
        return null;
      case 'beforeSendHeaders':
      case 'sendHeaders':
        if (details.requestHeaders) {
          record.requestHeaders = normaliseHeaders(details.requestHeaders);
          // Sticky: a request marked as started before the header listeners stays incomplete.
          if (this.#options.checkNetworkStack === true && record.requestHeaders !== null) record.requestHeadersComplete &&= cameThroughNetworkStack(record.requestHeaders, record.resourceType);
        }
        if (event === 'sendHeaders') record.timings.sendHeaders = details.timeStamp;
        return null;
      case 'headersReceived':
        this.#takeResponse(record, details);
        record.timings.headersReceived = details.timeStamp;
        return null;
      case 'responseStarted':
        this.#takeResponse(record, details);
        record.timings.responseStarted = details.timeStamp;
        return null;
      case 'beforeRedirect':
        record.redirects.push({
          url: record.url,
          status: details.statusCode ?? 0,
          redirectUrl: details.redirectUrl ?? '',
          headers: normaliseHeaders(details.responseHeaders) ?? record.responseHeaders ?? [],
        });
        record.url = details.redirectUrl ?? record.url;
        record.status = null;
        record.statusLine = null;
        record.responseHeaders = null;
        return null;
      case 'completed':
        this.#takeResponse(record, details);
        record.state = 'complete';
        return this.#finish(record, details.timeStamp);
      case 'errorOccurred':
        // Chromium's onErrorOccurred carries no status or headers: keep those of onHeadersReceived.
        record.error = details.error ?? 'unknown error';
        if (details.fromCache !== undefined) record.fromCache = details.fromCache;
        record.state = 'error';
        return this.#finish(record, details.timeStamp);
    }
  }

  /** Drops requests that will never finish (their tab is gone). */
  forgetTab(tabId: number): void {
    for (const [requestId, record] of this.#inFlight) if (record.tabId === tabId) this.#inFlight.delete(requestId);
  }

  /**
   * Drops every request in flight: the listeners that would finish them are being removed
   * (header-recording.ts). One that goes on after they are back is met again as a new record, which
   * `startedBeforeListeners` marks.
   */
  forgetAll(): void {
    this.#inFlight.clear();
  }

  #recordFor(details: WebRequestDetails): RequestRecord {
    const existing = this.#inFlight.get(details.requestId);
    if (existing) return existing;
    const documentUrl = details.documentUrl ?? null;
    // Chromium reports the initiator as an origin ('null' when opaque); Firefox reports URLs.
    const pageOrigin = details.initiator ?? originOf(details.originUrl ?? documentUrl);
    const record: RequestRecord = {
      id: details.requestId,
      browser: this.#options.browser,
      tabId: details.tabId,
      frameId: details.frameId,
      method: details.method,
      url: details.url,
      resourceType: details.type,
      pageOrigin,
      documentUrl,
      requestHeaders: null,
      requestHeadersComplete: this.#options.requestHeadersComplete && this.#options.startedBeforeListeners?.(details.requestId) !== true,
      status: null,
      statusLine: null,
      responseHeaders: null,
      fromCache: false,
      ip: null,
      redirects: [],
      error: null,
      timings: { start: details.timeStamp },
      state: 'pending',
      media: { kind: 'other', format: 'unknown' },
    };
    this.#inFlight.set(details.requestId, record);
    return record;
  }

  #takeResponse(record: RequestRecord, details: WebRequestDetails): void {
    if (details.statusCode !== undefined) record.status = details.statusCode;
    if (details.statusLine !== undefined) record.statusLine = details.statusLine;
    if (details.responseHeaders) record.responseHeaders = normaliseHeaders(details.responseHeaders);
    if (details.fromCache !== undefined) record.fromCache = details.fromCache;
    if (details.ip) record.ip = details.ip;
  }

  #finish(record: RequestRecord, timeStamp: number): RequestRecord {
    this.#inFlight.delete(record.id);
    record.timings.end = timeStamp;
    // What was sent decides whether a request that is not media is another CORS request (candidates.ts).
    record.media = classifyRequest(record.url, record.method, record.responseHeaders, { headers: record.requestHeaders, pageOrigin: record.pageOrigin });
    return record;
  }
}
