import type { CorsVerdict, MediaKind, RequestRecord } from '../engine/model.ts';
import { fileNameOf } from '../engine/media/classify.ts';
import { combinedHeaderValue, headerValue } from '../engine/headers.ts';
import { firstHeaderValue } from '../engine/cors/header-names.ts';

/**
 * What a view's list shows of one record: worked out where the record is and shipped instead of it
 * (a record with all its headers is several times larger). The detail view fetches the full record.
 */
export interface RowFacts {
  id: string;
  /** Position in the page load (arrival order); records evicted earlier had lower numbers. */
  seq: number;
  fileName: string;
  url: string;
  kind: MediaKind;
  status: number | null;
  allowOrigin: string | null;
  /** Cache evidence as the response reported it: x-cache / cf-cache-status, and age. */
  cacheStatus: string | null;
  age: string | null;
  fromBrowserCache: boolean;
  error: string | null;
  verdict: CorsVerdict;
  /** The Origin the request sent (a verdict's sentence names it). */
  requestOrigin: string | null;
  retest: boolean;
  retestOf: string | null;
  start: number;
}

export function rowFactsOf(record: RequestRecord, verdict: CorsVerdict, seq: number): RowFacts {
  const headers = record.responseHeaders;
  return {
    id: record.id,
    seq,
    fileName: fileNameOf(record.url),
    url: record.url,
    kind: record.media.kind,
    status: record.status,
    allowOrigin: combinedHeaderValue(headers, 'access-control-allow-origin'),
    cacheStatus: headerValue(headers, 'x-cache') ?? headerValue(headers, 'cf-cache-status'),
    age: headerValue(headers, 'age'),
    fromBrowserCache: record.fromCache,
    error: record.error,
    verdict,
    requestOrigin: firstHeaderValue(record.requestHeaders, 'origin'),
    retest: record.retest === true,
    retestOf: record.retestOf ?? null,
    start: record.timings.start,
  };
}

