/** Public entry points of the pure export layer (DESIGN §4). */
export { toJsonExport, exportFileName, type JsonExport, type JsonExportInput } from './json.ts';
export { redactRecord, redactHeaders, redactUrl, REDACTED } from './redact.ts';
