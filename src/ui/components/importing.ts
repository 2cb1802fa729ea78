import { analyze } from '../../engine/index.ts';
import { DEFAULT_IMPORT_LIMITS, ImportError, importHar, importJson } from '../../export/index.ts';
import { totalsOf } from '../../view/totals.ts';
import type { TabLogResponse } from '../../view/protocol.ts';
import { message } from '../../platform/runtime.ts';
import { importMessage } from './localised.ts';
import { rowFactsOfRecords } from '../../view/row-facts.ts';
import type { TabViewData } from '../../view/model.ts';
import { viewSummaryOf } from '../../view/answer.ts';
import { browserTranslate } from './translate.ts';

export interface ImportedLog {
  fileName: string;
  /** The records and their report (exports are made from them). */
  log: TabLogResponse;
  /** What the view shows of them. */
  view: TabViewData;
  skipped: number;
  /** What the import left out or changed, in the UI's language. */
  warnings: string[];
}

/** Opening a file ends in a log or in one plain message; nothing else is lost. */
export type OpenResult = { ok: true; imported: ImportedLog } | { ok: false; error: string };

/** Whether the text looks like a HAR (`{"log": …}`) rather than a CORS Lens JSON export. */
function looksLikeHar(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return /^\s*\{\s*"log"\s*:/.test(head) || (/"log"\s*:\s*\{/.test(head) && !/"tool"\s*:\s*"cors-lens"/.test(head));
}

/** The message for a file over the import limit, or null when its size is fine. */
function sizeProblem(byteLength: number): string | null {
  if (byteLength <= DEFAULT_IMPORT_LIMITS.maxChars) return null;
  const size = (byteLength / 1024 / 1024).toFixed(0);
  return message('importTooLarge', [size, String(DEFAULT_IMPORT_LIMITS.maxChars / 1024 / 1024)]);
}

/** What the panel reads of a chosen file (a DOM File). */
export interface ChosenFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Opens a file the user chose: its size is checked before a byte of it is read (a huge file is never
 * loaded into memory), and a file that cannot be read (moved, deleted, no permission) ends in a message.
 */
export async function readLogFile(file: ChosenFile): Promise<OpenResult> {
  const tooLarge = sizeProblem(file.size);
  if (tooLarge !== null) return { ok: false, error: tooLarge };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    return { ok: false, error: message('importReadFailed', error instanceof Error ? error.message : String(error)) };
  }
  return openLogFile(file.name, bytes);
}

/** Reads a HAR (Chrome/Firefox DevTools or CORS Lens) or a CORS Lens JSON export and analyses it. */
export function openLogFile(fileName: string, bytes: Uint8Array): OpenResult {
  const tooLarge = sizeProblem(bytes.byteLength);
  if (tooLarge !== null) return { ok: false, error: tooLarge };
  try {
    const result = looksLikeHar(bytes) ? importHar(bytes) : importJson(bytes);
    const pageUrl = 'pageUrl' in result ? (result.pageUrl as string | null) : null;
    const report = analyze(result.records);
    const verdicts = new Map(report.verdicts.map((entry) => [entry.recordId, entry.verdict]));
    const log: TabLogResponse = {
      tabId: -1,
      pageUrl,
      records: result.records,
      report,
      totals: totalsOf(result.records, (record) => verdicts.get(record.id) ?? 'unknown'),
      evicted: 0,
      preserveLog: false,
      storageError: null,
    };
    const { totals, evicted, preserveLog, storageError } = log;
    const view: TabViewData = {
      pageUrl,
      pageOrigin: report.pageOrigin,
      totals,
      evicted,
      preserveLog,
      storageError,
      summary: viewSummaryOf(report),
      rows: rowFactsOfRecords(result.records, report),
    };
    const warnings = result.warnings.map((english, index) => importMessage({ message: english, text: result.warningTexts[index] }, browserTranslate));
    return { ok: true, imported: { fileName, log, view, skipped: result.skipped, warnings } };
  } catch (error) {
    if (error instanceof ImportError) return { ok: false, error: importMessage(error, browserTranslate) };
    return { ok: false, error: message('importUnexpected', error instanceof Error ? error.message : String(error)) };
  }
}
