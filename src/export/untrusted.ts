/**
 * Reading files a user opened (HAR, CORS Lens JSON): untrusted input (DESIGN §10). Everything here
 * checks types before use, reads own properties only, and reports problems as an ImportError with a
 * plain message — never a TypeError from deep inside the parser.
 */
import type { HeaderList, MessageRef, RedirectHop, RequestTimings } from '../engine/model.ts';

/** Limits on what an import accepts; each can be lowered (tests) or raised (a power user's huge file). */
export interface ImportLimits {
  /** Characters of JSON text (bytes for binary input). */
  maxChars: number;
  /** HAR entries or JSON records in one file. */
  maxEntries: number;
}

/**
 * Defaults sized for real captures: a two-hour LL-HLS session is ~100k requests (DESIGN §9), and a
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
  /** Plain sentences, at most MAX_WARNINGS of them (the count in `skipped` stays exact). */
  warnings: string[];
}

export const MAX_WARNINGS = 20;

/** Collects warnings without letting a hostile file with a million bad entries build a million strings. */
export class WarningList {
  readonly items: string[] = [];
  #dropped = 0;
  add(message: string): void {
    if (this.items.length < MAX_WARNINGS) this.items.push(message);
    else this.#dropped++;
  }
  finish(): string[] {
    if (this.#dropped > 0) this.items.push(`…and ${this.#dropped} more warnings.`);
    return this.items;
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

/** Thrown inside one entry's conversion; the importer catches it, skips the entry and counts it. */
export class EntryProblem extends Error {}

/**
 * A header list from `[{name, value}]` (HAR) or `[[name, value]]` (CORS Lens JSON), names lower-cased
 * as the model requires. HTTP/2 pseudo-headers (`:authority`, `:path`) are framing, not headers: the
 * CORS safelist would count them as author headers and invent preflights, so they are dropped.
 */
export function headerListFrom(value: unknown, what: string): HeaderList {
  if (!Array.isArray(value)) throw new EntryProblem(`has ${what} that are not a list`);
  if (value.length > MAX_HEADERS_PER_LIST) throw new EntryProblem(`has ${value.length} ${what} (limit ${MAX_HEADERS_PER_LIST})`);
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
    if (typeof name !== 'string' || typeof headerValue !== 'string') throw new EntryProblem(`has ${what} with a header that lacks a text name or value`);
    chars += name.length + headerValue.length;
    if (chars > MAX_HEADER_LIST_CHARS) throw new EntryProblem(`has ${what} larger than ${MAX_HEADER_LIST_CHARS / 1024} KiB`);
    const lowerName = name.trim().toLowerCase();
    if (lowerName === '' || lowerName.startsWith(':')) continue;
    list.push([lowerName, headerValue]);
  }
  return list;
}

/** `what` names whose URL it is in the warning: 'has no URL' / 'has no redirect 1 URL'. */
export function urlFrom(value: unknown, what = ''): string {
  const whose = what ? `${what} ` : '';
  if (typeof value !== 'string' || value === '') throw new EntryProblem(`has no ${whose}URL`);
  if (value.length > MAX_URL_CHARS) throw new EntryProblem(`has a ${whose}URL longer than 2 MiB`);
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
export function redirectHopFrom(value: unknown, what: string): RedirectHop {
  if (!isObject(value)) throw new EntryProblem(`has a ${what} that is not an object`);
  const status = numberField(value, 'status');
  const redirectUrl = field(value, 'redirectUrl');
  if (status === undefined || !Number.isInteger(status)) throw new EntryProblem(`has a ${what} without a status`);
  if (typeof redirectUrl !== 'string' || redirectUrl.length > MAX_URL_CHARS) throw new EntryProblem(`has a ${what} without a target URL`);
  return { url: urlFrom(field(value, 'url'), what), status, redirectUrl, headers: headerListFrom(field(value, 'headers'), `${what} headers`) };
}

/** Replaces lone UTF-16 surrogates (which no UTF-8 file can hold) with U+FFFD, as a UTF-8 encoder would. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
