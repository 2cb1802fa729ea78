/**
 * Opening a file in the DevTools panel: the size is checked before a byte is read, and a file that
 * cannot be read ends in a message the panel shows (never in silence).
 */
import { describe, expect, test, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

vi.mock('../../src/platform/browser.ts', () => ({
  // A message with one placeholder, filled by position as browser.i18n fills it.
  browser: { i18n: { getMessage: (key: string, substitutions?: string | string[]) => `${key}(${[substitutions ?? []].flat()[0] ?? ''})` } },
}));
const { openLogFile, readLogFile } = await import('../../src/ui/components/importing.ts');
const { DEFAULT_IMPORT_LIMITS, toJsonExport } = await import('../../src/export/index.ts');
const { exportedCountsOf } = await import('../../src/ui/components/exactCounts.ts');
const { analyze } = await import('../../src/engine/index.ts');
const { hlsRecord } = await import('../export/records.ts');

const har = readFileSync(fileURLToPath(new URL('../fixtures/har/chrome-devtools-hls.har', import.meta.url)));

function chosen(size: number, read: () => Promise<ArrayBuffer>) {
  const arrayBuffer = vi.fn(read);
  return { file: { name: 'capture.har', size, arrayBuffer }, arrayBuffer };
}

describe('readLogFile', () => {
  test('a file over the limit is refused by its size, before it is read', async () => {
    const { file, arrayBuffer } = chosen(DEFAULT_IMPORT_LIMITS.maxChars + 1, async () => new ArrayBuffer(0));
    const result = await readLogFile(file);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^importTooLarge\(/) });
    expect(arrayBuffer).not.toHaveBeenCalled();
  });

  test('a read failure is a message with the browser’s reason', async () => {
    const { file } = chosen(1000, async () => {
      throw new DOMException('The requested file could not be read.', 'NotReadableError');
    });
    expect(await readLogFile(file)).toEqual({ ok: false, error: 'importReadFailed(The requested file could not be read.)' });
  });

  test('a readable file within the limit is opened', async () => {
    const bytes = new Uint8Array(har);
    const { file, arrayBuffer } = chosen(bytes.byteLength, async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const result = await readLogFile(file);
    expect(arrayBuffer).toHaveBeenCalledTimes(1);
    expect(result.ok && result.imported.log.records.length).toBeGreaterThan(0);
  });

  test('an opened file counts a request the page cancelled before any check apart, so exporting it again does too', () => {
    const records = [{ ...hlsRecord(0), state: 'error' as const, error: 'net::ERR_ABORTED' }, hlsRecord(1)];
    const file = toJsonExport({ records, report: analyze(records), pageUrl: null, exportedAt: 'x' });
    const result = openLogFile('export.json', new TextEncoder().encode(JSON.stringify(file)));
    if (!result.ok) throw new Error(result.error);
    expect(result.imported.log.totals).toMatchObject({ requests: 2, cancelled: 1, byOutcome: { pass: 1, 'not-applicable': 1 } });
    expect(exportedCountsOf(result.imported.log)).toMatchObject({ cancelled: 1, byOutcome: { pass: 1, 'not-applicable': 0 } });
  });
});
