/** Public entry points of the pure export layer (docs/architecture.md#export-contract). */
export { toJsonExport, exportFileName, importJson, JsonImportError, type JsonExport, type JsonExportInput, type JsonImportResult, type ExportedCounts } from './json.ts';
export { redactRecord, redactHeaders, redactUrl, redactText, clipboardText, redactReport, REDACTED } from './redact.ts';
export {
  toHar,
  HAR_CREATOR_NAME,
  type Har,
  type HarEntry,
  type HarEntryCorsLens,
  type HarExportOptions,
  type HarLogCorsLens,
  type HarCause,
  type HarVerdict,
} from './har.ts';
export { importHar, recordsFromHar, HarImportError, type HarImportOptions, type HarImportResult } from './har-import.ts';
export { toCsv, csvCell, CSV_COLUMNS, type CsvExportOptions } from './csv.ts';
export { curlFor, PLACEHOLDER_ORIGIN, type CurlOptions } from './curl.ts';
export { ImportError, DEFAULT_IMPORT_LIMITS, type ImportErrorCode, type ImportInput, type ImportLimits, type ImportResult } from './untrusted.ts';
