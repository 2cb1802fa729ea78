/**
 * The part of a re-test that runs in the page: it checks the document's origin and starts the fetch in
 * the same task, in the isolated world, pinned to the recorded document; the browser's refusals map to
 * "the page is gone".
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

const executeScript = vi.fn();
vi.mock('../../src/platform/browser.ts', () => ({ browser: { scripting: { executeScript } } }));

const { fetchIfOriginIs, fetchInFrame } = await import('../../src/platform/scripting.ts');

describe('fetchIfOriginIs (runs inside the frame)', () => {
  const fetchSpy = vi.fn();
  beforeEach(() => {
    fetchSpy.mockReset();
    vi.stubGlobal('fetch', fetchSpy);
  });
  afterEach(() => vi.unstubAllGlobals());

  test('another origin: nothing is fetched, and the origin found is reported', async () => {
    vi.stubGlobal('self', { origin: 'https://other.example' });
    expect(await fetchIfOriginIs('https://player.example', 'https://cdn.example/a.ts', 'include')).toEqual({ started: false, origin: 'https://other.example' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test('an opaque origin (sandboxed frame) never matches a real one', async () => {
    vi.stubGlobal('self', { origin: 'null' });
    expect((await fetchIfOriginIs('https://player.example', 'https://cdn.example/a.ts', 'omit')).started).toBe(false);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test('the same origin: one CORS fetch past the browser cache, started before the function returns', async () => {
    vi.stubGlobal('self', { origin: 'https://player.example' });
    fetchSpy.mockRejectedValue(new TypeError('Failed to fetch')); // a CORS rejection still counts as sent
    const result = fetchIfOriginIs('https://player.example', 'https://cdn.example/a.ts?Signature=x', 'same-origin');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy).toHaveBeenCalledWith('https://cdn.example/a.ts?Signature=x', { mode: 'cors', credentials: 'same-origin', cache: 'no-store' });
    expect(await result).toEqual({ started: true });
  });
});

describe('fetchInFrame', () => {
  beforeEach(() => {
    executeScript.mockReset();
  });

  test('pinned to the document when its id is known, in the isolated world', async () => {
    executeScript.mockResolvedValue([{ frameId: 3, documentId: 'DOC-1', result: { started: true } }]);
    expect(await fetchInFrame({ tabId: 7, frameId: 3, documentId: 'DOC-1' }, 'https://p.example', 'https://c.example/a.ts', 'omit')).toEqual({ sent: true });
    const [options] = executeScript.mock.calls[0]!;
    expect(options.target).toEqual({ tabId: 7, documentIds: ['DOC-1'] });
    expect(options.world).toBe('ISOLATED');
    expect(options.func).toBe(fetchIfOriginIs);
    expect(options.args).toEqual(['https://p.example', 'https://c.example/a.ts', 'omit']);
  });

  test('by frame id when the browser gave no document id', async () => {
    executeScript.mockResolvedValue([{ frameId: 3, result: { started: false, origin: 'https://x.example' } }]);
    expect(await fetchInFrame({ tabId: 7, frameId: 3, documentId: null }, 'https://p.example', 'https://c.example/a.ts', 'omit')).toEqual({
      sent: false,
      reason: 'other-origin',
      origin: 'https://x.example',
    });
    expect(executeScript.mock.calls[0]![0].target).toEqual({ tabId: 7, frameIds: [3] });
  });

  test.each([
    ['Chromium', 'No document with id DOC-1 in tab with id 7.'],
    ['Firefox', 'Invalid documentId: DOC-1'],
  ])('%s: the recorded document is gone', async (_browser, text) => {
    executeScript.mockRejectedValue(new Error(text));
    expect(await fetchInFrame({ tabId: 7, frameId: 3, documentId: 'DOC-1' }, 'https://p.example', 'https://c.example/a.ts', 'omit')).toEqual({ sent: false, reason: 'document-gone' });
  });

  test('a browser that cannot target document ids falls back to the frame (the origin check still binds it)', async () => {
    executeScript
      .mockRejectedValueOnce(new Error('Type error for parameter injection (Error processing target: Unexpected property "documentIds") for scripting.executeScript.'))
      .mockResolvedValueOnce([{ frameId: 3, result: { started: true } }]);
    expect(await fetchInFrame({ tabId: 7, frameId: 3, documentId: 'DOC-1' }, 'https://p.example', 'https://c.example/a.ts', 'omit')).toEqual({ sent: true });
    expect(executeScript.mock.calls.map(([options]) => options.target)).toEqual([{ tabId: 7, documentIds: ['DOC-1'] }, { tabId: 7, frameIds: [3] }]);
  });

  test('the frame is gone (no document id known)', async () => {
    executeScript.mockRejectedValue(new Error('No frame with id 3 in tab with id 7.'));
    expect(await fetchInFrame({ tabId: 7, frameId: 3, documentId: null }, 'https://p.example', 'https://c.example/a.ts', 'omit')).toEqual({ sent: false, reason: 'document-gone' });
  });

  test('any other refusal keeps the browser’s words', async () => {
    executeScript.mockRejectedValue(new Error('Cannot access contents of url "chrome://newtab/".'));
    expect(await fetchInFrame({ tabId: 7, frameId: 0, documentId: 'DOC-1' }, 'https://p.example', 'https://c.example/a.ts', 'omit')).toEqual({
      sent: false,
      reason: 'failed',
      error: 'Cannot access contents of url "chrome://newtab/".',
    });
  });
});
