/**
 * HAR 1.2 import: files saved by Chrome DevTools ("WebInspector"), Firefox DevTools and CORS Lens
 * itself become RequestRecords the engine can judge (a HAR in, a Report out: docs/architecture.md#export-contract).
 *
 * The file is untrusted (docs/exports.md#limits-and-errors): a malformed file fails with one HarImportError; a malformed
 * entry is skipped and counted, never taking the valid entries with it.
 */
import type { BrowserName, HeaderList, RedirectHop, RequestRecord, RequestTimings } from '../engine/model.ts';
import { headerValue, originOf } from '../engine/headers.ts';
import { requestPageOrigin } from '../engine/page-origin.ts';
import { classifyRequest } from '../engine/media/classify.ts';
import { HAR_CREATOR_NAME, type HarEntryCorsLens } from './har.ts';
import {
  DEFAULT_IMPORT_LIMITS,
  EntryProblem,
  entryProblemOf,
  fieldName,
  HTTP_METHOD,
  ImportError,
  MAX_REDIRECTS,
  MAX_URL_CHARS,
  WarningList,
  booleanField,
  field,
  headerListFrom,
  integerField,
  isObject,
  numberField,
  parseJsonInput,
  stringField,
  urlFrom,
  writtenRecordFields,
  type ImportInput,
  type ImportLimits,
  type ImportResult,
} from './untrusted.ts';

/** A HAR that cannot be imported at all; `message` is a plain sentence for the user. */
export class HarImportError extends ImportError {
  override name = 'HarImportError';
}

const HAR_INPUT = { what: 'HAR file', whatId: 'import.what.har', ErrorClass: HarImportError };

export interface HarImportResult extends ImportResult<RequestRecord> {
  /** Who wrote the file (`log.creator.name`), e.g. 'WebInspector' (Chrome), 'Firefox', 'CORS Lens'. */
  creator: string;
  /** The browser the file came from, as far as the file says. */
  browser: BrowserName;
}

export type HarImportOptions = Partial<ImportLimits>;

/**
 * DevTools `_resourceType` names → the webRequest names the engine and recorder use. A Map: the key
 * comes from the file, and `__proto__` or `constructor` must stay a resource type of its own.
 */
const WEBREQUEST_RESOURCE_TYPE: ReadonlyMap<string, string> = new Map([
  ['xhr', 'xmlhttprequest'],
  // webRequest reports fetch() as xmlhttprequest too.
  ['fetch', 'xmlhttprequest'],
  // Main or sub frame is not in the HAR; both make the request a navigation, which is what counts.
  ['document', 'main_frame'],
  ['cspviolationreport', 'csp_report'],
]);

/** CDP initiator types whose `url` is the document's: a script or preflight initiator names another resource. */
const DOCUMENT_INITIATOR_TYPES: ReadonlySet<string> = new Set(['parser', 'other']);


/**
 * Firefox's DevTools name the creator after the application (`appInfo.name`): Firefox and the browsers
 * built from it under their own names.
 */
const FIREFOX_FAMILY = /\b(?:firefox|librewolf|waterfox|floorp|mullvad browser|tor browser|zen)\b/i;

function browserOfCreator(name: string, browserName: string): BrowserName {
  // Chrome, Edge and Opera all write 'WebInspector'; Safari writes 'WebKit Web Inspector'.
  if (name === 'WebInspector') return 'chromium';
  if (FIREFOX_FAMILY.test(name) || FIREFOX_FAMILY.test(browserName)) return 'firefox';
  if (/chrom|edge/i.test(browserName)) return 'chromium';
  return 'unknown';
}

/** The CORS Lens fields of an entry, each kept only when it has the right type (verdicts are not read back). */
type CorsLensFields = Omit<HarEntryCorsLens, 'media' | 'verdict' | 'causes'>;

function corsLensFieldsOf(value: unknown): CorsLensFields | null {
  if (!isObject(value)) return null;
  const recordId = stringField(value, 'recordId', 256);
  if (recordId === undefined || recordId === '') return null;
  // A field of the wrong type is left out: the entry's HAR fields stand in for it.
  const fields: CorsLensFields = { recordId, ...writtenRecordFields(value) };
  const hop = integerField(value, 'redirectHop');
  if (hop !== undefined && hop >= 0 && hop < MAX_REDIRECTS) fields.redirectHop = hop;
  for (const flag of ['requestHeadersObserved', 'responseHeadersObserved'] as const) {
    const flagValue = booleanField(value, flag);
    if (flagValue !== undefined) fields[flag] = flagValue;
  }
  return fields;
}

/** One entry's facts, read and checked; assembling records (redirect chains) comes after. */
interface EntryFacts {
  index: number;
  method: string;
  url: string;
  status: number;
  statusText: string;
  httpVersion: string;
  requestHeaders: HeaderList;
  responseHeaders: HeaderList;
  /** `redirectURL` (or Location) as written. */
  redirectUrl: string;
  /** The redirect target resolved against the URL, without fragment; null when not a redirect. */
  redirectTarget: string | null;
  timings: RequestTimings;
  error: string | null;
  fromCache: boolean;
  resourceType: string;
  pageOrigin: string | null;
  documentUrl: string | null;
  ip: string | null;
  corsLens: CorsLensFields | null;
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Epoch-ms marks from HAR timings: blocked, dns and connect come before the request is sent. */
function timingsOfEntry(entry: Record<string, unknown>, start: number): RequestTimings {
  const timings: RequestTimings = { start };
  const time = numberField(entry, 'time');
  if (time !== undefined && time >= 0) timings.end = start + time;
  const phases = field(entry, 'timings');
  if (!isObject(phases)) return timings;
  const phase = (name: string): number => {
    const value = numberField(phases, name);
    return value !== undefined && value > 0 ? value : 0;
  };
  const send = numberField(phases, 'send');
  const wait = numberField(phases, 'wait');
  if (send === undefined || wait === undefined) return timings;
  // SSL is part of connect in HAR 1.2, so it is not added again.
  timings.sendHeaders = start + phase('blocked') + phase('dns') + phase('connect');
  timings.headersReceived = timings.sendHeaders + phase('send') + phase('wait');
  return timings;
}

/** The origin of the entry's document initiator, when it names one. */
function documentInitiatorOrigin(entry: Record<string, unknown>, pageKnown: boolean): string | null {
  const initiator = field(entry, '_initiator');
  let url: string | undefined;
  if (typeof initiator === 'string') url = initiator;
  // A parser initiator's URL is a stylesheet's for the fonts and images it loads (Blink): the page
  // the file names is the document, so the initiator counts only when the file names none.
  else if (isObject(initiator) && !pageKnown) {
    const type = stringField(initiator, 'type');
    if (type !== undefined && DOCUMENT_INITIATOR_TYPES.has(type)) url = stringField(initiator, 'url', MAX_URL_CHARS);
  }
  const origin = originOf(url);
  return origin !== null && origin !== 'null' ? origin : null;
}

/**
 * The entry's page origin: the Origin the browser sent, else a string initiator (CORS Lens's own), else
 * the origin of the entry's page, else a document initiator's (parser/other) when the file names no
 * page. An entry may end a redirect chain not joined yet, so `Origin: null` says nothing here.
 */
function pageOriginOfEntry(entry: Record<string, unknown>, requestHeaders: HeaderList, pageUrl: string | null): string | null {
  // The Origin the browser sent (not 'null') is the origin CORS judged the request against.
  const fromSentOrigin = requestPageOrigin(null, headerValue(requestHeaders, 'origin'), true);
  if (fromSentOrigin !== null) return fromSentOrigin;
  const fromPage = originOf(pageUrl);
  const pageKnown = fromPage !== null && fromPage !== 'null';
  const fromRequest = requestPageOrigin(documentInitiatorOrigin(entry, pageKnown), null, true);
  if (fromRequest !== null) return fromRequest;
  return pageKnown ? fromPage : null;
}

function factsOfEntry(value: unknown, index: number, pageUrls: ReadonlyMap<string, string>): EntryFacts {
  if (!isObject(value)) throw new EntryProblem('is not an object', { id: 'import.entry.not-object' });
  const request = field(value, 'request');
  const response = field(value, 'response');
  if (!isObject(request)) throw new EntryProblem('has no request', { id: 'import.entry.no-request' });
  if (!isObject(response)) throw new EntryProblem('has no response', { id: 'import.entry.no-response' });

  const url = urlFrom(field(request, 'url'));
  const method = stringField(request, 'method', 32);
  if (method === undefined || !HTTP_METHOD.test(method)) throw new EntryProblem('has no valid request method', { id: 'import.entry.bad-request-method' });
  const rawStatus = numberField(response, 'status');
  if (rawStatus === undefined || !Number.isInteger(rawStatus)) throw new EntryProblem('has no response status', { id: 'import.entry.no-response-status' });
  // Some tools write -1 for "no response"; DevTools writes 0.
  const status = rawStatus > 0 && rawStatus < 1000 ? rawStatus : 0;
  const startedDateTime = stringField(value, 'startedDateTime', 64);
  const start = startedDateTime === undefined ? NaN : Date.parse(startedDateTime);
  if (!Number.isFinite(start)) throw new EntryProblem('has no valid startedDateTime', { id: 'import.entry.bad-started-date-time' });

  const requestHeaders = headerListFrom(field(request, 'headers'), fieldName('request headers', { id: 'import.field.request-headers' }));
  const responseHeaders = headerListFrom(field(response, 'headers'), fieldName('response headers', { id: 'import.field.response-headers' }));

  const redirectUrl = stringField(response, 'redirectURL', MAX_URL_CHARS) || headerValue(responseHeaders, 'location') || '';
  let redirectTarget: string | null = null;
  if (isRedirectStatus(status) && redirectUrl !== '') {
    try {
      redirectTarget = withoutFragment(new URL(redirectUrl, url).href);
    } catch {
      redirectTarget = null;
    }
  }

  // Playwright's HAR recorder writes the network error as `_failureText` (with status -1).
  const errorText = stringField(response, '_error') || stringField(response, '_failureText');
  const cache = field(value, 'cache');
  const fromCacheMark = field(value, '_fromCache');
  // Safari's Web Inspector: `_fetchType` "Network Load", "Memory Cache" or "Disk Cache".
  const fetchType = stringField(value, '_fetchType', 32);
  const fromCache =
    fromCacheMark === 'disk' || fromCacheMark === 'memory' || fromCacheMark === true ||
    fetchType === 'Memory Cache' || fetchType === 'Disk Cache' ||
    // Firefox writes cache.afterRequest (often null) only for responses it took from its cache.
    (isObject(cache) && Object.prototype.hasOwnProperty.call(cache, 'afterRequest'));

  const pageref = stringField(value, 'pageref');
  const pageUrl = pageref === undefined ? null : (pageUrls.get(pageref) ?? null);
  const devtoolsType = stringField(value, '_resourceType', 64);
  const ip = stringField(value, 'serverIPAddress', 256);

  return {
    index,
    method,
    url,
    status,
    statusText: stringField(response, 'statusText') ?? '',
    httpVersion: stringField(response, 'httpVersion', 32) ?? '',
    requestHeaders,
    responseHeaders,
    redirectUrl,
    redirectTarget,
    timings: timingsOfEntry(value, start),
    error: errorText ? errorText : null,
    fromCache,
    resourceType: devtoolsType === undefined ? 'other' : (WEBREQUEST_RESOURCE_TYPE.get(devtoolsType) ?? devtoolsType),
    pageOrigin: pageOriginOfEntry(value, requestHeaders, pageUrl),
    documentUrl: pageUrl,
    ip: ip ? ip.replace(/^\[(.*)\]$/, '$1') : null,
    corsLens: corsLensFieldsOf(field(value, '_corsLens')),
  };
}

/**
 * Chromium DevTools shows "provisional headers" for a request that got no response, and for one its
 * cache answered: what the page set plus Referer and User-Agent, without the Origin and Sec-Fetch-*
 * the network stack adds. So such a browser entry without Sec-Fetch-Mode does not prove that no
 * Origin was sent.
 */
function showsProvisionalHeaders(facts: EntryFacts, fileBrowser: BrowserName): boolean {
  if (fileBrowser === 'unknown' || headerValue(facts.requestHeaders, 'sec-fetch-mode') !== null) return false;
  // DevTools: "Provisional headers are shown. Disable cache to see full headers."
  if (fileBrowser === 'chromium' && facts.fromCache) return true;
  return facts.status === 0 && facts.responseHeaders.length === 0;
}

function hopOf(facts: EntryFacts): RedirectHop {
  // CORS Lens wrote the recorder's redirectUrl verbatim; other tools' targets are resolved.
  return { url: facts.url, status: facts.status, redirectUrl: facts.corsLens ? facts.redirectUrl : (facts.redirectTarget ?? facts.redirectUrl), headers: facts.responseHeaders };
}

function recordOf(id: string, final: EntryFacts, hops: readonly EntryFacts[], fileBrowser: BrowserName): RequestRecord {
  const lens = final.corsLens;
  const status = final.status > 0 ? final.status : null;
  // A tool outside the browser (curl, a proxy, an API client) lists what it sent, even when that is
  // nothing; a DevTools file with an empty list did not see the request go out.
  const requestObserved = lens?.requestHeadersObserved ?? (final.requestHeaders.length > 0 || (fileBrowser === 'unknown' && status !== null));
  const responseObserved = lens?.responseHeadersObserved ?? (status !== null || final.responseHeaders.length > 0);
  const requestHeaders = requestObserved ? final.requestHeaders : null;
  const responseHeaders = responseObserved ? final.responseHeaders : null;
  const derivedStatusLine = status !== null && final.httpVersion !== '' ? `${final.httpVersion} ${status}${final.statusText ? ` ${final.statusText}` : ''}` : null;
  // CORS Lens files say which records had no response yet; for others status 0 means none came.
  const error = final.error ?? (lens?.state === undefined && status === null ? 'no response (HAR status 0)' : null);
  const timings: RequestTimings = lens?.timings ?? { ...final.timings, start: hops[0]?.timings.start ?? final.timings.start };
  const record: RequestRecord = {
    id,
    browser: lens?.browser ?? fileBrowser,
    tabId: lens?.tabId ?? 0,
    frameId: lens?.frameId ?? 0,
    method: final.method,
    url: final.url,
    resourceType: lens?.resourceType ?? final.resourceType,
    pageOrigin: lens?.pageOrigin !== undefined ? lens.pageOrigin : final.pageOrigin,
    documentUrl: lens?.documentUrl !== undefined ? lens.documentUrl : final.documentUrl,
    requestHeaders,
    // DevTools records the headers that went on the wire (Origin, Sec-Fetch-*), except for a request
    // that never went out (stopped by its preflight): those show provisional headers only.
    requestHeadersComplete: lens?.requestHeadersComplete ?? (requestHeaders !== null && !showsProvisionalHeaders(final, fileBrowser)),
    status,
    statusLine: lens?.statusLine !== undefined ? lens.statusLine : derivedStatusLine,
    responseHeaders,
    fromCache: final.fromCache,
    ip: lens?.ip !== undefined ? lens.ip : final.ip,
    redirects: hops.map(hopOf),
    error,
    timings,
    state: lens?.state ?? (error !== null ? 'error' : 'complete'),
    media: classifyRequest(final.url, final.method, responseHeaders),
  };
  if (lens?.retest !== undefined) record.retest = lens.retest;
  if (lens?.retestOf !== undefined) record.retestOf = lens.retestOf;
  return record;
}

function readLimits(options: HarImportOptions | undefined): ImportLimits {
  return { maxChars: options?.maxChars ?? DEFAULT_IMPORT_LIMITS.maxChars, maxEntries: options?.maxEntries ?? DEFAULT_IMPORT_LIMITS.maxEntries };
}

function importParsedHar(root: unknown, limits: ImportLimits): HarImportResult {
  const noLog = (): HarImportError => new HarImportError('not-har', 'This file is not a HAR: it holds no "log" object.', { id: 'import.not-har.no-log' });
  if (!isObject(root)) throw noLog();
  const log = field(root, 'log');
  if (!isObject(log)) throw noLog();
  const entries = field(log, 'entries');
  if (!Array.isArray(entries)) throw new HarImportError('not-har', 'This HAR file has no "entries" list.', { id: 'import.not-har.no-entries' });
  const rawVersion = field(log, 'version');
  // The spec's version is a string; a few tools write the number 1.2.
  const version = typeof rawVersion === 'number' ? String(rawVersion) : rawVersion;
  if (version !== undefined && (typeof version !== 'string' || !/^1\.\d+$/.test(version))) {
    const shown = JSON.stringify(String(version)).slice(0, 40);
    throw new HarImportError('unsupported-version', `This HAR file has version ${shown}; CORS Lens reads HAR 1.x.`, { id: 'import.unsupported-version.har', data: { version: shown } });
  }
  if (entries.length > limits.maxEntries) {
    throw new HarImportError('too-many-entries', `This HAR file has ${entries.length} entries; the limit is ${limits.maxEntries}.`, {
      id: 'import.too-many-entries.har',
      data: { count: entries.length, limit: limits.maxEntries },
    });
  }

  const creatorObject = field(log, 'creator');
  const creator = (isObject(creatorObject) ? stringField(creatorObject, 'name', 256) : undefined) ?? '';
  const browserObject = field(log, 'browser');
  const browserName = (isObject(browserObject) ? stringField(browserObject, 'name', 256) : undefined) ?? '';
  const fileBrowser = browserOfCreator(creator, browserName);

  const pageUrls = new Map<string, string>();
  const pages = field(log, 'pages');
  if (Array.isArray(pages)) {
    for (const page of (pages as unknown[]).slice(0, limits.maxEntries)) {
      if (!isObject(page)) continue;
      const id = stringField(page, 'id');
      // DevTools (both) write the page's URL as its title.
      const title = stringField(page, 'title', MAX_URL_CHARS);
      if (id !== undefined && title !== undefined && /^https?:\/\//i.test(title)) pageUrls.set(id, title);
    }
  }

  const warnings = new WarningList();
  let skipped = 0;
  const placed: Array<{ position: number; record: RequestRecord }> = [];
  const usedIds = new Set<string>();
  const uniqueId = (wanted: string, position: number): string => {
    let id = wanted;
    if (usedIds.has(id)) {
      id = `${wanted}#${position + 1}`;
      const shown = JSON.stringify(wanted.slice(0, 80));
      warnings.add(`Two entries claim record id ${shown}; the second was renamed.`, { id: 'import.warning.renamed-id', data: { id: shown } });
    }
    usedIds.add(id);
    return id;
  };
  const place = (final: EntryFacts, hops: readonly EntryFacts[]): void => {
    const wanted = final.corsLens?.recordId ?? `har-${(hops[0] ?? final).index + 1}`;
    placed.push({ position: final.index, record: recordOf(uniqueId(wanted, final.index), final, hops, fileBrowser) });
  };

  // CORS Lens hops wait for their record's final entry; DevTools hops wait for the entry at their target URL.
  const hopsByRecordId = new Map<string, EntryFacts[]>();
  const chainsByTarget = new Map<string, EntryFacts[][]>();

  for (let index = 0; index < entries.length; index++) {
    let facts: EntryFacts;
    try {
      facts = factsOfEntry(entries[index], index, pageUrls);
    } catch (problem) {
      skipped++;
      const reason = entryProblemOf(problem);
      warnings.add(`Entry ${index + 1} was skipped: it ${reason.message}.`, { id: 'import.warning.entry-skipped', data: { number: index + 1, reason: reason.text } });
      continue;
    }

    const lens = facts.corsLens;
    if (lens !== null && creator === HAR_CREATOR_NAME) {
      if (lens.redirectHop !== undefined) {
        const hops = hopsByRecordId.get(lens.recordId);
        if (hops) hops.push(facts);
        else hopsByRecordId.set(lens.recordId, [facts]);
        continue;
      }
      const hops = hopsByRecordId.get(lens.recordId) ?? [];
      hopsByRecordId.delete(lens.recordId);
      place(facts, hops);
      continue;
    }
    if (lens !== null) facts.corsLens = null; // `_corsLens` fields in a file another tool wrote are not ours to trust.

    const target = withoutFragment(facts.url);
    const waiting = chainsByTarget.get(target);
    const chain = waiting?.shift() ?? [];
    if (waiting && waiting.length === 0) chainsByTarget.delete(target);
    if (facts.redirectTarget !== null && chain.length < MAX_REDIRECTS - 1) {
      const pending = chainsByTarget.get(facts.redirectTarget);
      if (pending) pending.push([...chain, facts]);
      else chainsByTarget.set(facts.redirectTarget, [[...chain, facts]]);
      continue;
    }
    place(facts, chain);
  }

  // Redirects whose next request is not in the file: the last hop stands as the record's response.
  let unresolved = 0;
  for (const chains of chainsByTarget.values()) {
    for (const chain of chains) {
      unresolved++;
      place(chain[chain.length - 1]!, chain.slice(0, -1));
    }
  }
  for (const hops of hopsByRecordId.values()) {
    unresolved++;
    place(hops[hops.length - 1]!, hops.slice(0, -1));
  }
  if (unresolved > 0) {
    warnings.add(`${unresolved} redirect chain(s) end without the request they led to; their last redirect is shown as the response.`, {
      id: 'import.warning.unresolved-redirects',
      data: { count: unresolved },
    });
  }
  if (entries.length === 0) warnings.add('This HAR file has no requests.', { id: 'import.warning.no-requests.har' });

  placed.sort((a, b) => a.position - b.position);
  return { records: placed.map((item) => item.record), skipped, ...warnings.finish(), creator, browser: fileBrowser };
}

/**
 * Reads a HAR (text, bytes, or an already parsed object). Throws only HarImportError, for a file that
 * cannot be read at all; entries that cannot be read are skipped and counted in `skipped`.
 */
export function importHar(input: ImportInput | unknown, options?: HarImportOptions): HarImportResult {
  const limits = readLimits(options);
  try {
    const root = typeof input === 'string' || input instanceof Uint8Array || input instanceof ArrayBuffer ? parseJsonInput(input, limits, HAR_INPUT) : input;
    return importParsedHar(root, limits);
  } catch (error) {
    if (error instanceof HarImportError) throw error;
    // A bug of ours or an exotic object (a Proxy, a throwing getter) must still reach the user as a message.
    throw new HarImportError('not-har', 'This HAR file could not be read.', { id: 'import.not-har.unreadable' });
  }
}

/** The records of a HAR (docs/architecture.md#export-contract); see importHar for the skipped-entry count and warnings. */
export function recordsFromHar(har: unknown, options?: HarImportOptions): RequestRecord[] {
  return importHar(har, options).records;
}
