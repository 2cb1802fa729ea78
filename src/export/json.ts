import type { Report, RequestRecord } from '../engine/model.ts';
import { SCHEMA_VERSION } from '../engine/model.ts';
import { redactRecord, redactUrl } from './redact.ts';

export interface JsonExport {
  schemaVersion: number;
  tool: 'cors-lens';
  /** ISO time of the export, passed in (the engine and export layers read no clock). */
  exportedAt: string;
  pageUrl: string | null;
  redacted: boolean;
  report: Report;
  records: RequestRecord[];
}

export interface JsonExportInput {
  records: readonly RequestRecord[];
  report: Report;
  pageUrl: string | null;
  exportedAt: string;
  /** Secrets are redacted unless the user explicitly opts out. */
  redact?: boolean;
}

export function toJsonExport(input: JsonExportInput): JsonExport {
  const redact = input.redact ?? true;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: 'cors-lens',
    exportedAt: input.exportedAt,
    pageUrl: input.pageUrl === null || !redact ? input.pageUrl : redactUrl(input.pageUrl),
    redacted: redact,
    report: input.report,
    records: redact ? input.records.map(redactRecord) : [...input.records],
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
