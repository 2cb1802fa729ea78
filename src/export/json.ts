import type { CorsOutcome, HeaderList, MediaKind, Report, RequestRecord, StreamSummary } from '../engine/model.ts';
import { countsWithCancelled, type ExportedReportCounts } from './counts.ts';
import { SCHEMA_VERSION } from '../engine/model.ts';
import { classifyRequest } from '../engine/media/classify.ts';
import { redactRecord, redactReport, redactStream, redactUrl } from './redact.ts';
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
  field,
  headerListFrom,
  isObject,
  parseJsonInput,
  redirectHopFrom,
  stringField,
  urlFrom,
  writtenRecordFields,
  type ImportInput,
  type ImportLimits,
  type ImportResult,
} from './untrusted.ts';

/** The report as the file writes it: its counts with cancelled requests apart (src/export/counts.ts). */
export type ExportedReport = Omit<Report, 'counts'> & { counts: ExportedReportCounts };

function withCancelledCount(report: Report): ExportedReport {
  return { ...report, counts: countsWithCancelled(report) };
}

export interface JsonExport {
  schemaVersion: number;
  tool: 'cors-lens';
  /** ISO time of the export, passed in (the engine and export layers read no clock). */
  exportedAt: string;
  pageUrl: string | null;
  redacted: boolean;
  report: ExportedReport;
  records: RequestRecord[];
  /** Exact counts of the page load, also over requests whose detail is no longer in `records`. Absent in older exports. */
  counts?: ExportedCounts;
}

/**
 * The recorder's exact counts: how many requests were dropped from `records` by the per-tab cap, and
 * per outcome, kind, stream (keyed like report.streams) and cause of rejection (the verdict's
 * chromiumError) over every request of the page load.
 */
export interface ExportedCounts {
  evicted: number;
  requests: number;
  /** Per verdict outcome, except that 'not-applicable' leaves out the requests counted in `cancelled`. */
  byOutcome: Record<CorsOutcome, number>;
  /**
   * CORS requests the page cancelled before any check (verdict `not-applicable` with `cancelled`),
   * as report.counts.cancelled counts them (src/export/counts.ts). Absent in older exports, which
   * counted them under byOutcome['not-applicable'].
   */
  cancelled: number;
  byKind: Partial<Record<MediaKind, number>>;
  streams: StreamSummary[];
  failuresByCause: Record<string, number>;
}

export interface JsonExportInput {
  records: readonly RequestRecord[];
  report: Report;
  pageUrl: string | null;
  exportedAt: string;
  /** Secrets are redacted unless the user explicitly opts out. */
  redact?: boolean;
  counts?: ExportedCounts;
}

function redactCounts(counts: ExportedCounts): ExportedCounts {
  return {
    ...counts,
    streams: counts.streams.map(redactStream),
  };
}

export function toJsonExport(input: JsonExportInput): JsonExport {
  const redact = input.redact ?? true;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: 'cors-lens',
    exportedAt: input.exportedAt,
    pageUrl: input.pageUrl === null || !redact ? input.pageUrl : redactUrl(input.pageUrl),
    redacted: redact,
    // Messages and fixes quote URLs (curl lines, invalidation paths): they are redacted like the records.
    report: withCancelledCount(redact ? redactReport(input.report) : input.report),
    records: redact ? input.records.map(redactRecord) : [...input.records],
    ...(input.counts ? { counts: redact ? redactCounts(input.counts) : input.counts } : {}),
  };
}

/** A file name like cors-lens-example.com-2026-11-28T10-00-00.json. */
export function exportFileName(pageUrl: string | null, exportedAt: string, extension: string): string {
  let host = 'tab';
  try {
    if (pageUrl) host = new URL(pageUrl).host || host;
  } catch {
    // keep the generic name
  }
  const stamp = exportedAt.replace(/\.\d+Z$/, '').replace(/[:]/g, '-');
  return `cors-lens-${host.replace(/[^a-zA-Z0-9.-]/g, '_')}-${stamp}.${extension}`;
}

/** A CORS Lens JSON export that cannot be imported at all; `message` is a plain sentence for the user. */
export class JsonImportError extends ImportError {
  override name = 'JsonImportError';
}

const JSON_INPUT = { what: 'CORS Lens export', whatId: 'import.what.json', ErrorClass: JsonImportError };

export interface JsonImportResult extends ImportResult<RequestRecord> {
  schemaVersion: number;
  exportedAt: string | null;
  pageUrl: string | null;
  /** Whether the file says it was redacted when exported. */
  redacted: boolean;
}


function optionalHeaders(object: Record<string, unknown>, name: string): HeaderList | null {
  const value = field(object, name);
  return value === null || value === undefined ? null : headerListFrom(value, fieldName(name));
}

function notText(name: string): never {
  throw new EntryProblem(`has a ${name} that is not text`, { id: 'import.entry.field-not-text', data: { field: name } });
}

/** One record of a CORS Lens export, checked field by field; media is classified again, not trusted. */
function recordFromJson(value: unknown): RequestRecord {
  if (!isObject(value)) throw new EntryProblem('is not an object', { id: 'import.entry.not-object' });
  const id = stringField(value, 'id', 256);
  if (!id) throw new EntryProblem('has no id', { id: 'import.entry.no-id' });
  const method = stringField(value, 'method', 32);
  if (method === undefined || !HTTP_METHOD.test(method)) throw new EntryProblem('has no valid method', { id: 'import.entry.bad-method' });
  const url = urlFrom(field(value, 'url'));
  // Nothing else in the file says what these fields say: one that is there but not text skips the record.
  const written = writtenRecordFields(value, notText);
  const { timings } = written;
  if (timings === undefined) throw new EntryProblem('has no start time', { id: 'import.entry.no-start-time' });
  const status = field(value, 'status');
  if (status !== null && status !== undefined && !(typeof status === 'number' && Number.isInteger(status) && status >= 0 && status < 1000)) {
    throw new EntryProblem('has an invalid status', { id: 'import.entry.bad-status' });
  }
  const redirectsValue = field(value, 'redirects') ?? [];
  if (!Array.isArray(redirectsValue) || redirectsValue.length > MAX_REDIRECTS) {
    throw new EntryProblem(`has more than ${MAX_REDIRECTS} redirects or no redirect list`, { id: 'import.entry.bad-redirects', data: { limit: MAX_REDIRECTS } });
  }
  const errorValue = field(value, 'error');
  const error = errorValue === null || errorValue === undefined ? null : (stringField(value, 'error') ?? notText('error'));
  const responseHeaders = optionalHeaders(value, 'responseHeaders');
  const record: RequestRecord = {
    id,
    browser: written.browser ?? 'unknown',
    tabId: written.tabId ?? 0,
    frameId: written.frameId ?? 0,
    method,
    url,
    resourceType: written.resourceType ?? 'other',
    pageOrigin: written.pageOrigin ?? null,
    documentUrl: written.documentUrl ?? null,
    requestHeaders: optionalHeaders(value, 'requestHeaders'),
    requestHeadersComplete: written.requestHeadersComplete === true,
    status: typeof status === 'number' ? status : null,
    statusLine: written.statusLine ?? null,
    responseHeaders,
    fromCache: field(value, 'fromCache') === true,
    ip: written.ip ?? null,
    redirects: (redirectsValue as unknown[]).map((hop, index) => redirectHopFrom(hop, fieldName(`redirect ${index + 1}`, { id: 'import.field.redirect', data: { number: index + 1 } }))),
    error,
    timings,
    state: written.state ?? (error !== null ? 'error' : 'complete'),
    media: classifyRequest(url, method, responseHeaders),
  };
  if (written.retest !== undefined) record.retest = written.retest;
  if (written.retestOf !== undefined) record.retestOf = written.retestOf;
  return record;
}

/**
 * Reads a CORS Lens JSON export (text or bytes). Throws only JsonImportError, for a file that cannot
 * be read at all; malformed records are skipped and counted. The stored report is not trusted or
 * returned: run analyze() on the records to get the same diagnosis from the same engine.
 */
export function importJson(input: ImportInput, options?: Partial<ImportLimits>): JsonImportResult {
  const limits: ImportLimits = { maxChars: options?.maxChars ?? DEFAULT_IMPORT_LIMITS.maxChars, maxEntries: options?.maxEntries ?? DEFAULT_IMPORT_LIMITS.maxEntries };
  try {
    const root = parseJsonInput(input, limits, JSON_INPUT);
    if (!isObject(root) || field(root, 'tool') !== 'cors-lens') {
      throw new JsonImportError('not-cors-lens', 'This file is not a CORS Lens export (open HAR files with the HAR import).', { id: 'import.not-cors-lens.other' });
    }
    const schemaVersion = field(root, 'schemaVersion');
    if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new JsonImportError('not-cors-lens', 'This CORS Lens export has no valid schemaVersion.', { id: 'import.not-cors-lens.no-schema' });
    }
    if (schemaVersion > SCHEMA_VERSION) {
      throw new JsonImportError('unsupported-version', `This export was made by a newer CORS Lens (schema ${schemaVersion}); this version reads schema ${SCHEMA_VERSION}. Update CORS Lens.`, {
        id: 'import.unsupported-version.json',
        data: { version: schemaVersion, supported: SCHEMA_VERSION },
      });
    }
    const records = field(root, 'records');
    if (!Array.isArray(records)) throw new JsonImportError('not-cors-lens', 'This CORS Lens export has no "records" list.', { id: 'import.not-cors-lens.no-records' });
    if (records.length > limits.maxEntries) {
      throw new JsonImportError('too-many-entries', `This export has ${records.length} records; the limit is ${limits.maxEntries}.`, {
        id: 'import.too-many-entries.json',
        data: { count: records.length, limit: limits.maxEntries },
      });
    }
    const warnings = new WarningList();
    const imported: RequestRecord[] = [];
    const usedIds = new Set<string>();
    let skipped = 0;
    for (let index = 0; index < records.length; index++) {
      try {
        const record = recordFromJson(records[index]);
        if (usedIds.has(record.id)) throw new EntryProblem('repeats the id of an earlier record', { id: 'import.entry.repeated-id' });
        usedIds.add(record.id);
        imported.push(record);
      } catch (problem) {
        skipped++;
        const reason = entryProblemOf(problem);
        warnings.add(`Record ${index + 1} was skipped: it ${reason.message}.`, { id: 'import.warning.record-skipped', data: { number: index + 1, reason: reason.text } });
      }
    }
    if (records.length === 0) warnings.add('This export has no requests.', { id: 'import.warning.no-requests.json' });
    return {
      records: imported,
      skipped,
      ...warnings.finish(),
      schemaVersion,
      exportedAt: stringField(root, 'exportedAt', 64) ?? null,
      pageUrl: stringField(root, 'pageUrl', MAX_URL_CHARS) ?? null,
      redacted: field(root, 'redacted') !== false,
    };
  } catch (error) {
    if (error instanceof JsonImportError) throw error;
    throw new JsonImportError('not-cors-lens', 'This CORS Lens export could not be read.', { id: 'import.not-cors-lens.unreadable' });
  }
}
