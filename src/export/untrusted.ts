/**
 * Reading files a user opened (HAR, CORS Lens JSON): untrusted input (docs/exports.md#limits-and-errors). Everything here
 * checks types before use, reads own properties only, and reports problems as an ImportError with a
 * plain message — never a TypeError from deep inside the parser.
 */
import type { BrowserName, HeaderList, MessageRef, MessageValue, RedirectHop, RequestRecord, RequestTimings } from '../engine/model.ts';
import { isHttpToken } from '../engine/cors/safelist.ts';

/** Limits on what an import accepts; each can be lowered (tests) or raised (a power user's huge file). */
export interface ImportLimits {
  /** Characters of JSON text (bytes for binary input). */
  maxChars: number;
  /** HAR entries or JSON records in one file. */
  maxEntries: number;
}

/**
 * Defaults sized for real captures: a two-hour LL-HLS session is ~100k requests (docs/budgets.md), and a
 * DevTools HAR "with content" carries bodies, so files of tens of MB are normal.
 */
export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = { maxChars: 128 * 1024 * 1024, maxEntries: 200_000 };

/** Chromium refuses longer URLs (url::kMaxURLChars, 2 MiB); nothing a browser sent is longer. */
export const MAX_URL_CHARS = 2 * 1024 * 1024;
/** Chromium refuses a response whose header block exceeds 256 KiB (net's kMaxHeaderBufSize). */
export const MAX_HEADER_LIST_CHARS = 256 * 1024;
/** Far above any real list (~20-60 headers); bounds the work one hostile entry can cause. */
export const MAX_HEADERS_PER_LIST = 1000;
/** Chromium and Firefox both give up after 20 redirects. */
export const MAX_REDIRECTS = 20;
/** Ids, origins, resource types, error names: short strings in every real file. */
export const MAX_SHORT_STRING = 4096;

export const BROWSERS: ReadonlySet<string> = new Set(['chromium', 'firefox', 'unknown']);
export const STATES: ReadonlySet<string> = new Set(['pending', 'complete', 'error']);
/** An HTTP method is a token (RFC 9110); this also keeps CR/LF and spaces out of curl lines and CSV cells. */
export const HTTP_METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

export type ImportErrorCode =
  | 'too-large'
  | 'not-utf8'
  | 'not-json'
  | 'not-har'
  | 'not-cors-lens'
  | 'unsupported-version'
  | 'too-many-entries';

/**
 * A file that cannot be imported at all. `message` is one plain sentence a user can act on, in
 * English; `text` says the same as a _locales message id and values, for the UI's language.
 */
export class ImportError extends Error {
  readonly code: ImportErrorCode;
  readonly text: MessageRef | undefined;
  constructor(code: ImportErrorCode, message: string, text?: MessageRef) {
    super(message);
    this.name = 'ImportError';
    this.code = code;
    this.text = text;
  }
}

/** What an import gives back: the records it could read, and what it left out and why. */
export interface ImportResult<T> {
  records: T[];
  /** Entries (or records) left out because they were malformed; the rest were kept. */
  skipped: number;
  /** Plain sentences in English, at most MAX_WARNINGS of them (the count in `skipped` stays exact). */
  warnings: string[];
  /** The same warnings, index for index, as message ids and values for the UI's language. */
  warningTexts: MessageRef[];
}

export const MAX_WARNINGS = 20;

/** Collects warnings without letting a hostile file with a million bad entries build a million strings. */
export class WarningList {
  readonly #items: string[] = [];
  readonly #texts: MessageRef[] = [];
  #dropped = 0;
  add(message: string, text: MessageRef): void {
    if (this.#items.length < MAX_WARNINGS) {
      this.#items.push(message);
      this.#texts.push(text);
    } else {
      this.#dropped++;
    }
  }
  finish(): Pick<ImportResult<unknown>, 'warnings' | 'warningTexts'> {
    if (this.#dropped > 0) {
      this.#items.push(`…and ${this.#dropped} more warnings.`);
      this.#texts.push({ id: 'import.warning.more', data: { count: this.#dropped } });
    }
    return { warnings: this.#items, warningTexts: this.#texts };
  }
}

/** Text of a file as the UI read it (string) or as bytes; other values are passed through as parsed JSON. */
export type ImportInput = string | Uint8Array | ArrayBuffer;

/** The ImportError subclass a format throws (HarImportError, JsonImportError). */
export type ImportErrorClass = new (code: ImportErrorCode, message: string, text?: MessageRef) => ImportError;

/** What the user opened, for messages: 'HAR file', 'CORS Lens export'. */
export interface InputKind {
  what: string;
  /** The message id of `what` ('import.what.har'). */
  whatId: string;
  ErrorClass: ImportErrorClass;
}

function decodeUtf8(bytes: Uint8Array, limits: ImportLimits, kind: InputKind): string {
  if (bytes.byteLength > limits.maxChars) throw tooLarge(bytes.byteLength, limits, kind);
  try {
    // HAR 1.2 requires UTF-8; `fatal` turns invalid bytes into an error instead of silent U+FFFD.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new kind.ErrorClass('not-utf8', `This ${kind.what} is not valid UTF-8 text; save it again as UTF-8.`, { id: 'import.not-utf8', data: { what: { id: kind.whatId } } });
  }
}

function tooLarge(size: number, limits: ImportLimits, kind: InputKind): ImportError {
  const megabytes = (n: number): number => Math.ceil(n / (1024 * 1024));
  return new kind.ErrorClass('too-large', `This ${kind.what} is ${megabytes(size)} MB; the limit is ${megabytes(limits.maxChars)} MB.`, {
    id: 'import.too-large',
    data: { what: { id: kind.whatId }, size: megabytes(size), limit: megabytes(limits.maxChars) },
  });
}

/** Parses JSON text or bytes within the size limit; a leading BOM is allowed (HAR 1.2 says to ignore it). */
export function parseJsonInput(input: ImportInput, limits: ImportLimits, kind: InputKind): unknown {
  let text: string;
  if (typeof input === 'string') {
    if (input.length > limits.maxChars) throw tooLarge(input.length, limits, kind);
    text = input;
  } else if (input instanceof ArrayBuffer) {
    text = decodeUtf8(new Uint8Array(input), limits, kind);
  } else {
    text = decodeUtf8(input, limits, kind);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Truncated files, stray text and stack-exhausting nesting all end here.
    throw new kind.ErrorClass('not-json', `This ${kind.what} is not valid JSON (it may be truncated, or not a ${kind.what} at all).`, {
      id: 'import.not-json',
      data: { what: { id: kind.whatId } },
    });
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a key like `__proto__` or `constructor` never reaches Object.prototype. */
export function field(object: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, name) ? object[name] : undefined;
}

export function stringField(object: Record<string, unknown>, name: string, maxLength = MAX_SHORT_STRING): string | undefined {
  const value = field(object, name);
  return typeof value === 'string' && value.length <= maxLength ? value : undefined;
}

export function numberField(object: Record<string, unknown>, name: string): number | undefined {
  const value = field(object, name);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function booleanField(object: Record<string, unknown>, name: string): boolean | undefined {
  const value = field(object, name);
  return typeof value === 'boolean' ? value : undefined;
}

/** A whole number JavaScript holds exactly (tab and frame ids, hop positions). */
export function integerField(object: Record<string, unknown>, name: string): number | undefined {
  const value = numberField(object, name);
  return value !== undefined && Number.isSafeInteger(value) ? value : undefined;
}

/** The record fields CORS Lens writes alike in both its formats: a JSON export's record, a HAR entry's `_corsLens`. */
export type WrittenRecordFields = Partial<
  Pick<RequestRecord, 'browser' | 'tabId' | 'frameId' | 'resourceType' | 'pageOrigin' | 'documentUrl' | 'requestHeadersComplete' | 'state' | 'statusLine' | 'ip' | 'timings' | 'retest' | 'retestOf'>
>;

/** Text fields that may be null, with their length limits. */
const NULLABLE_TEXT_FIELDS = [
  ['pageOrigin', MAX_SHORT_STRING],
  ['documentUrl', MAX_URL_CHARS],
  ['statusLine', MAX_SHORT_STRING],
  ['ip', 256],
] as const;

/**
 * Reads the fields both CORS Lens formats write for a record, each kept only when it has the right type
 * (and length); absent or unreadable ones are left out for the caller's default. `onNotText(name)` hears
 * of a text field that is there but is not text: a JSON record is skipped for it, while a HAR entry
 * falls back to the HAR's own fields.
 */
export function writtenRecordFields(object: Record<string, unknown>, onNotText: (name: string) => void = () => undefined): WrittenRecordFields {
  const fields: WrittenRecordFields = {};
  const browser = stringField(object, 'browser');
  if (browser !== undefined && BROWSERS.has(browser)) fields.browser = browser as BrowserName;
  const tabId = integerField(object, 'tabId');
  if (tabId !== undefined) fields.tabId = tabId;
  const frameId = integerField(object, 'frameId');
  if (frameId !== undefined) fields.frameId = frameId;
  const resourceType = stringField(object, 'resourceType', 64);
  if (resourceType !== undefined) fields.resourceType = resourceType;
  for (const [name, maxLength] of NULLABLE_TEXT_FIELDS) {
    const value = field(object, name);
    if (value === undefined) continue;
    const text = value === null ? null : stringField(object, name, maxLength);
    if (text === undefined) onNotText(name);
    else fields[name] = text;
  }
  const requestHeadersComplete = booleanField(object, 'requestHeadersComplete');
  if (requestHeadersComplete !== undefined) fields.requestHeadersComplete = requestHeadersComplete;
  const state = stringField(object, 'state');
  if (state !== undefined && STATES.has(state)) fields.state = state as RequestRecord['state'];
  const timings = timingsFrom(field(object, 'timings'));
  if (timings !== null) fields.timings = timings;
  const retest = booleanField(object, 'retest');
  if (retest !== undefined) fields.retest = retest;
  const retestOf = stringField(object, 'retestOf', 256);
  if (retestOf) fields.retestOf = retestOf;
  return fields;
}

/** Thrown inside one entry's conversion; the importer catches it, skips the entry and counts it. */
/** Why one entry or record was left out: `message` ends "it …" in English; `text` says the same by message id. */
export class EntryProblem extends Error {
  readonly text: MessageRef;
  constructor(message: string, text: MessageRef) {
    super(message);
    this.text = text;
  }
}

/** What went wrong when something other than an EntryProblem stopped an entry. */
export const UNREADABLE_ENTRY = { message: 'could not be read', text: { id: 'import.entry.unreadable' } } as const;

/** The reason an entry was skipped, in English and as a message. */
export function entryProblemOf(problem: unknown): { message: string; text: MessageRef } {
  return problem instanceof EntryProblem ? { message: problem.message, text: problem.text } : UNREADABLE_ENTRY;
}

/**
 * A part of an entry a problem names: English words for the warning, and the same as a message value
 * (a JSON field name is code and stays as it is; words like "request headers" have a message id).
 */
export interface FieldName {
  english: string;
  text: MessageValue;
}

export const fieldName = (english: string, text: MessageValue = english): FieldName => ({ english, text });

/**
 * A header list from `[{name, value}]` (HAR) or `[[name, value]]` (CORS Lens JSON), names lower-cased
 * as the model requires; a name that is not an RFC 9110 token makes the entry unreadable. HTTP/2
 * pseudo-headers (`:authority`, `:path`) are framing, not headers: the CORS safelist would count them
 * as author headers and invent preflights, so they are dropped.
 */
export function headerListFrom(value: unknown, what: FieldName): HeaderList {
  const named = what.text;
  if (!Array.isArray(value)) throw new EntryProblem(`has ${what.english} that are not a list`, { id: 'import.entry.headers-not-list', data: { field: named } });
  if (value.length > MAX_HEADERS_PER_LIST) {
    throw new EntryProblem(`has ${value.length} ${what.english} (limit ${MAX_HEADERS_PER_LIST})`, {
      id: 'import.entry.too-many-headers',
      data: { field: named, count: value.length, limit: MAX_HEADERS_PER_LIST },
    });
  }
  const list: HeaderList = [];
  let chars = 0;
  for (const header of value as unknown[]) {
    let name: unknown;
    let headerValue: unknown;
    if (Array.isArray(header)) {
      [name, headerValue] = header as unknown[];
    } else if (isObject(header)) {
      name = field(header, 'name');
      headerValue = field(header, 'value');
    }
    if (typeof name !== 'string' || typeof headerValue !== 'string') {
      throw new EntryProblem(`has ${what.english} with a header that lacks a text name or value`, { id: 'import.entry.header-not-text', data: { field: named } });
    }
    chars += name.length + headerValue.length;
    if (chars > MAX_HEADER_LIST_CHARS) {
      throw new EntryProblem(`has ${what.english} larger than ${MAX_HEADER_LIST_CHARS / 1024} KiB`, {
        id: 'import.entry.headers-too-large',
        data: { field: named, limit: MAX_HEADER_LIST_CHARS / 1024 },
      });
    }
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.startsWith(':')) continue;
    // A name with a space, colon or line break is no header a browser sent; it would also break the
    // curl line and the HAR it is exported to. Checked before lower-casing (U+212A lower-cases to "k").
    if (!isHttpToken(trimmed)) {
      const shown = JSON.stringify(trimmed.slice(0, 40));
      throw new EntryProblem(`has ${what.english} with the header name ${shown}, which is not a valid token`, {
        id: 'import.entry.header-name-invalid',
        data: { field: named, name: shown },
      });
    }
    list.push([trimmed.toLowerCase(), headerValue]);
  }
  return list;
}

/** `what` names whose URL it is in the warning: 'has no URL' / 'has no redirect 1 URL'. */
export function urlFrom(value: unknown, what?: FieldName): string {
  const whose = what ? `${what.english} ` : '';
  const data = what ? { field: what.text } : undefined;
  if (typeof value !== 'string' || value === '') throw new EntryProblem(`has no ${whose}URL`, { id: what ? 'import.entry.no-url-of' : 'import.entry.no-url', data });
  if (value.length > MAX_URL_CHARS) throw new EntryProblem(`has a ${whose}URL longer than 2 MiB`, { id: what ? 'import.entry.url-too-long-of' : 'import.entry.url-too-long', data });
  return value;
}

/** Record timings as CORS Lens writes them (epoch ms); missing optional marks stay missing. */
export function timingsFrom(value: unknown): RequestTimings | null {
  if (!isObject(value)) return null;
  const start = numberField(value, 'start');
  if (start === undefined) return null;
  const timings: RequestTimings = { start };
  for (const mark of ['sendHeaders', 'headersReceived', 'responseStarted', 'end'] as const) {
    const time = numberField(value, mark);
    if (time !== undefined) timings[mark] = time;
  }
  return timings;
}

/** A redirect hop as CORS Lens JSON stores it. */
export function redirectHopFrom(value: unknown, what: FieldName): RedirectHop {
  const data = { field: what.text };
  if (!isObject(value)) throw new EntryProblem(`has a ${what.english} that is not an object`, { id: 'import.entry.part-not-object', data });
  const status = numberField(value, 'status');
  const redirectUrl = field(value, 'redirectUrl');
  if (status === undefined || !Number.isInteger(status)) throw new EntryProblem(`has a ${what.english} without a status`, { id: 'import.entry.redirect-no-status', data });
  if (typeof redirectUrl !== 'string' || redirectUrl.length > MAX_URL_CHARS) {
    throw new EntryProblem(`has a ${what.english} without a target URL`, { id: 'import.entry.redirect-no-target', data });
  }
  const headers = headerListFrom(field(value, 'headers'), fieldName(`${what.english} headers`, { id: 'import.field.headers-of', data }));
  return { url: urlFrom(field(value, 'url'), what), status, redirectUrl, headers };
}

/** Replaces lone UTF-16 surrogates (which no UTF-8 file can hold) with U+FFFD, as a UTF-8 encoder would. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
