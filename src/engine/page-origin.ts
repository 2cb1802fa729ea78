/**
 * The page origin, the one home. A request's page origin is the origin of the page that made it; a
 * log's page origin is the one its requests name most. The verdict judges each request against its
 * own (cors/exchange.ts), the report and the rules name the log's (analyze, diagnose), the importers
 * set a record's from what the file says (export/har-import.ts) and the views show the report's.
 */
import type { AnalyzeOptions, RequestRecord } from './model.ts';
import { headerValue } from './headers.ts';
import { normalisePageOrigin, urlFacts } from './cors/origin.ts';
import { Memo } from './memo.ts';

/** A sent `Origin` value serialized, null when it is no URL at all (no browser sends that; a file may). */
const SENT_ORIGINS = new Memo<string | null>((value) => urlFacts(value)?.origin ?? null);

/**
 * A request's page origin, serialized: the one its capture names (`recorded`: Chromium's initiator,
 * Firefox's originUrl or documentUrl, a HAR's document initiator), else the `Origin` the browser sent.
 * After a cross-origin redirect the browser sends `Origin: null`, which says nothing about the page,
 * so 'null' counts only when no redirect can have preceded (`mayFollowRedirect` false). Null when
 * neither says.
 */
export function requestPageOrigin(recorded: string | null, sentOrigin: string | null, mayFollowRedirect: boolean): string | null {
  if (recorded !== null) return normalisePageOrigin(recorded);
  const origin = sentOrigin?.trim();
  if (origin === undefined || origin === '') return null;
  const serialized = origin === 'null' ? 'null' : SENT_ORIGINS.get(origin);
  return serialized === 'null' && mayFollowRedirect ? null : serialized;
}

/** requestPageOrigin of a record; `sentOrigin` when its request headers were already read. */
export function recordPageOrigin(record: RequestRecord, sentOrigin: string | null = headerValue(record.requestHeaders, 'origin')): string | null {
  return requestPageOrigin(record.pageOrigin, sentOrigin, record.redirects.length > 0);
}

/**
 * Counts the page origins of a log's records, in log order, for logPageOrigin. Tie rule: of the
 * origins named most often, the one a record named first.
 */
export class PageOriginTally {
  readonly #counts = new Map<string, number>();

  add(origin: string | null): void {
    if (origin !== null) this.#counts.set(origin, (this.#counts.get(origin) ?? 0) + 1);
  }

  /** The origin named most often (the first named among equals), null when none was. */
  get mostNamed(): string | null {
    let best: string | null = null;
    let bestCount = 0;
    // A Map iterates in insertion order, so among equal counts the first one named stays.
    for (const [origin, count] of this.#counts) {
      if (count > bestCount) {
        best = origin;
        bestCount = count;
      }
    }
    return best;
  }
}

/** The log's page origin from its tally: `options.pageOrigin` when the caller gives one, else the tally's. */
export function logPageOrigin(tally: PageOriginTally, options?: AnalyzeOptions): string | null {
  return options?.pageOrigin ? options.pageOrigin : tally.mostNamed;
}

/**
 * The page origin of a log, as the report and the rules name it: `options.pageOrigin` when given,
 * else the page origin (recordPageOrigin) most of its records have; on a tie, the one named first.
 */
export function pageOriginOf(records: readonly RequestRecord[], options?: AnalyzeOptions): string | null {
  if (options?.pageOrigin) return options.pageOrigin;
  const tally = new PageOriginTally();
  for (const record of records) tally.add(recordPageOrigin(record));
  return tally.mostNamed;
}
