/**
 * readResourceEntries reads a frame's Resource Timing entries in the page's world (what the page was
 * allowed to read) and, in Firefox, in the extension's isolated one (the status the browser received),
 * and pairs them entry by entry (docs/capture.md#firefox-evidence).
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';

const executeScript = vi.fn();
vi.mock('../../src/platform/browser.ts', () => ({ browser: { scripting: { executeScript } } }));

const { readResourceEntries } = await import('../../src/platform/scripting.ts');

const A = 'https://cdn.example/a.ts';
const B = 'https://cdn.example/b.ts';

/** What executeScript answers per world (a thrown error for a world that refuses). */
function answering(byWorld: Record<string, unknown[] | Error>) {
  executeScript.mockImplementation(async (options: { world: string }) => {
    const result = byWorld[options.world];
    if (result instanceof Error) throw result;
    return [{ result }];
  });
}

describe('readResourceEntries', () => {
  beforeEach(() => {
    executeScript.mockReset();
  });

  test('pairs each page entry with the isolated world’s entry of the same URL and start', async () => {
    answering({
      MAIN: [[A, 1000.5, 0], [A, 2000, 0], [B, 1000.5, 200]],
      ISOLATED: [[A, 2000, 0], [A, 1000.5, 200], [B, 1000.5, 200]],
    });
    expect(await readResourceEntries(4, [0], [A, B], true)).toEqual([
      [A, 1000.5, 0, 200],
      [A, 2000, 0, 0],
      [B, 1000.5, 200, 200],
    ]);
    expect(executeScript.mock.calls.map(([options]) => (options as { world: string }).world).sort()).toEqual(['ISOLATED', 'MAIN']);
  });

  test('without the received status (Chromium, whose isolated world reads the page\'s value) the isolated world is not read', async () => {
    answering({ MAIN: [[A, 1000, 0]], ISOLATED: [[A, 1000, 0]] });
    expect(await readResourceEntries(4, [0, 3], [A], false)).toEqual([[A, 1000, 0, -1], [A, 1000, 0, -1]]);
    expect(executeScript.mock.calls.map(([options]) => (options as { world: string }).world)).toEqual(['MAIN', 'MAIN']);
  });

  test('an isolated read that fails leaves the received status unknown (-1); a malformed page result is dropped', async () => {
    answering({ MAIN: [[A, 1000, 0], [A, 'soon', 0], ['https://elsewhere.example/x', 1000, 200]], ISOLATED: new Error('Missing host permission for the tab') });
    expect(await readResourceEntries(4, [0], [A], true)).toEqual([[A, 1000, 0, -1]]);
  });
});
