/**
 * One response's headers as the fingerprints read them, gathered in a single pass over the header
 * list: the first value of every header some fingerprint names, every line of `Vary` and
 * `Access-Control-Allow-Origin`, and where the vendor-identifying headers are. 100 000 records ask a
 * dozen names each; a lookup here is one probe into a fixed slot table instead of a scan (and a
 * lower-casing) of the whole list.
 */
import type { HeaderList } from '../model.ts';
import type { IdentifyPattern } from './vendors.ts';
import { IDENTIFY_BY_HEADER, VENDORS } from './vendors.ts';
import { isHeaderNamed, lowerCaseName } from '../headers.ts';
import { Memo } from '../memo.ts';

/** Names read outside the vendor tables (storage fingerprints, CORS layer, Age). Lower-case. */
const OTHER_NAMES = [
  'age',
  'cache-status',
  'vary',
  'server',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'x-amz-server-side-encryption',
  'x-goog-generation',
  'x-ms-blob-type',
  'x-xss-protection',
  'x-frame-options',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
] as const;

const SLOT_OF: ReadonlyMap<string, number> = (() => {
  const slots = new Map<string, number>();
  const add = (name: string): void => {
    if (!slots.has(name)) slots.set(name, slots.size);
  };
  for (const name of OTHER_NAMES) add(name);
  for (const vendor of VENDORS) {
    for (const entry of vendor.cacheStatus) for (const name of entry.headers) add(name);
    for (const entry of vendor.pop) for (const name of entry.headers) add(name);
  }
  return slots;
})();
/** Every header name a fingerprint reads (lower-case), for the tests that feed each one hostile values. */
export const FINGERPRINT_HEADER_NAMES: readonly string[] = [...SLOT_OF.keys()];
const SLOT_COUNT = SLOT_OF.size;
const VARY_SLOT = SLOT_OF.get('vary')!;
const ALLOW_ORIGIN_SLOT = SLOT_OF.get('access-control-allow-origin')!;
const ALLOW_CREDENTIALS_SLOT = SLOT_OF.get('access-control-allow-credentials')!;

/** What one header name (as on the wire) means to the fingerprints. */
interface NameInfo {
  /** Slot of the lower-cased name; -1 when no fingerprint reads it. */
  readonly slot: number;
  /** Identification patterns for this exact name (IDENTIFY_BY_HEADER is keyed by the name as given). */
  readonly identify: readonly IdentifyPattern[] | undefined;
}

const NAME_INFO = new Memo<NameInfo>((name) => Object.freeze({ slot: SLOT_OF.get(lowerCaseName(name)) ?? -1, identify: IDENTIFY_BY_HEADER.get(name) }));

/** Lower-cased, trimmed, non-empty tokens of one Vary line (a log has a handful of distinct lines; frozen). */
const VARY_LINE_TOKENS = new Memo<readonly string[]>((line) => {
  const tokens: string[] = [];
  for (const part of line.split(',')) {
    const token = part.trim().toLowerCase();
    if (token.length > 0) tokens.push(token);
  }
  return Object.freeze(tokens);
});

/** Lower-cased tokens of the given Vary lines, in order. */
export function varyTokensOfLines(lines: readonly string[]): string[] {
  const tokens: string[] = [];
  for (const line of lines) for (const token of VARY_LINE_TOKENS.get(line)) tokens.push(token);
  return tokens;
}

/** What the fingerprints read of a response's headers. */
export interface HeaderReader {
  /** The first value of a header (`name` lower-case), null when absent. */
  get(name: string): string | null;
  /** Lower-cased tokens of every Vary line. */
  readonly varyTokens: readonly string[];
}

const NO_LINES: readonly string[] = [];

/** One-line lists by their line, shared (frozen): a log's responses repeat a few ACAO values. */
const SINGLE_LINES = new Memo<readonly string[]>((line) => Object.freeze([line]));

export class ResponseHeaders implements HeaderReader {
  readonly list: HeaderList | null;
  /** Positions in `list` of the headers some vendor is identified by, in list order; null when none. */
  readonly identifyAt: number[] | null = null;
  readonly #first: Array<string | undefined>;
  #vary: string[] | null = null;
  #allowOrigin: readonly string[] | null = null;
  #allowCredentials: string[] | null = null;
  #varyTokens: readonly string[] | null = null;

  constructor(list: HeaderList | null) {
    this.list = list;
    this.#first = new Array<string | undefined>(SLOT_COUNT);
    if (list === null) return;
    let identifyAt: number[] | null = null;
    for (let position = 0; position < list.length; position++) {
      const header = list[position]!;
      const info = NAME_INFO.get(header[0]);
      if (info.identify !== undefined) (identifyAt ??= []).push(position);
      const slot = info.slot;
      if (slot === -1) continue;
      const value = header[1];
      if (this.#first[slot] === undefined) this.#first[slot] = value;
      if (slot === VARY_SLOT) (this.#vary ??= []).push(value);
      else if (slot === ALLOW_ORIGIN_SLOT) {
        // The usual single line is a shared list (the rules keep this array for the whole diagnosis).
        if (this.#allowOrigin === null) this.#allowOrigin = SINGLE_LINES.get(value);
        else this.#allowOrigin = [...this.#allowOrigin, value];
      } else if (slot === ALLOW_CREDENTIALS_SLOT) (this.#allowCredentials ??= []).push(value);
    }
    this.identifyAt = identifyAt;
  }

  /** The first value of a header (`name` lower-case), null when absent: headers.ts headerValue, faster. */
  get(name: string): string | null {
    const slot = SLOT_OF.get(name);
    if (slot !== undefined) return this.#first[slot] ?? null;
    // A name no fingerprint reads: scan, as headerValue does.
    for (const [headerName, value] of this.list ?? []) if (isHeaderNamed(headerName, name)) return value;
    return null;
  }

  /** Every Access-Control-Allow-Origin line, as on the wire (headers.ts headerValues). */
  get allowOrigin(): readonly string[] {
    return this.#allowOrigin ?? NO_LINES;
  }

  /** Every Access-Control-Allow-Credentials line, as on the wire. */
  get allowCredentials(): readonly string[] {
    return this.#allowCredentials ?? NO_LINES;
  }

  /** Lower-cased tokens of every Vary line. */
  get varyTokens(): readonly string[] {
    if (this.#varyTokens === null) {
      const lines = this.#vary;
      // One line (the usual case): its memoised tokens as they are.
      this.#varyTokens = lines === null ? NO_LINES : lines.length === 1 ? VARY_LINE_TOKENS.get(lines[0]!) : varyTokensOfLines(lines);
    }
    return this.#varyTokens;
  }
}
