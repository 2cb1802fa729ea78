import type { RequestRecord } from './model.ts';
import type { SentHeaders } from './cors/sent-headers.ts';
import { sentHeadersOf } from './cors/sent-headers.ts';
import { ResponseHeaders } from './cdn/response-headers.ts';

/**
 * A record's request and response headers, each read once: its verdict (cors/exchange.ts
 * verdictOfRecord) and its rule facts (rules/lib/facts.ts) both take this reading, so analyze
 * scans neither list twice.
 */
export interface RecordHeaderReading {
  readonly sent: SentHeaders;
  /** `record.responseHeaders` as the fingerprints gather them (ACAO/ACAC lines for the CORS check too). */
  readonly received: ResponseHeaders;
}

export function readRecordHeaders(record: RequestRecord): RecordHeaderReading {
  return { sent: sentHeadersOf(record.requestHeaders), received: new ResponseHeaders(record.responseHeaders) };
}
