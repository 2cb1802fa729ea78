/**
 * The "Record every page" setting: read from storage.local (off unless stored as true, off when storage
 * fails), written there, and its changes announced for area 'local' and its own key only.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

type Change = { oldValue?: unknown; newValue?: unknown };
type ChangedListener = (changes: Record<string, Change>) => void;

const listeners = new Set<ChangedListener>();
const local = new Map<string, unknown>();
const browserFake = {
  storage: {
    local: {
      get: vi.fn(async (key: string): Promise<Record<string, unknown>> => (local.has(key) ? { [key]: local.get(key) } : {})),
      set: vi.fn(async (items: Record<string, unknown>): Promise<void> => {
        const changes: Record<string, Change> = {};
        for (const [key, value] of Object.entries(items)) {
          changes[key] = { oldValue: local.get(key), newValue: value };
          local.set(key, value);
        }
        for (const listener of listeners) listener(changes);
      }),
      onChanged: {
        addListener: vi.fn((listener: ChangedListener) => void listeners.add(listener)),
        removeListener: vi.fn((listener: ChangedListener) => void listeners.delete(listener)),
      },
    },
    // Every area's changes (the request log's storage.session writes too): never listened to.
    onChanged: {
      addListener: vi.fn(),
      removeListener: vi.fn(),
    },
  },
};
vi.mock('../../src/platform/browser.ts', () => ({ browser: browserFake }));

const { RECORD_EVERY_PAGE_KEY, onRecordEveryPageChanged, readRecordEveryPage, setRecordEveryPage } = await import('../../src/platform/settings.ts');

/** What storage.local.onChanged would deliver for `changes`. */
const announce = (changes: Record<string, Change>) => {
  for (const listener of listeners) listener(changes);
};

beforeEach(() => {
  local.clear();
  listeners.clear();
  vi.clearAllMocks();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readRecordEveryPage', () => {
  test('off when never set, reading the one key from storage.local', async () => {
    expect(RECORD_EVERY_PAGE_KEY).toBe('recordEveryPage');
    await expect(readRecordEveryPage()).resolves.toBe(false);
    expect(browserFake.storage.local.get).toHaveBeenCalledWith('recordEveryPage');
  });

  test('on when stored as true; anything else reads as off', async () => {
    local.set(RECORD_EVERY_PAGE_KEY, true);
    await expect(readRecordEveryPage()).resolves.toBe(true);
    for (const stored of [false, 'true', 1, null, {}]) {
      local.set(RECORD_EVERY_PAGE_KEY, stored);
      await expect(readRecordEveryPage(), JSON.stringify(stored)).resolves.toBe(false);
    }
  });

  test('off, and logged, when storage cannot be read', async () => {
    const error = new Error('storage unavailable');
    browserFake.storage.local.get.mockRejectedValueOnce(error);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(readRecordEveryPage()).resolves.toBe(false);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]).toContain(error);
  });
});

describe('setRecordEveryPage', () => {
  test('stores the choice under the key, and the next read gives it back', async () => {
    await setRecordEveryPage(true);
    expect(browserFake.storage.local.set).toHaveBeenLastCalledWith({ recordEveryPage: true });
    await expect(readRecordEveryPage()).resolves.toBe(true);
    await setRecordEveryPage(false);
    expect(browserFake.storage.local.set).toHaveBeenLastCalledWith({ recordEveryPage: false });
    await expect(readRecordEveryPage()).resolves.toBe(false);
  });

  test('a refused write rejects', async () => {
    browserFake.storage.local.set.mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'));
    await expect(setRecordEveryPage(true)).rejects.toThrow(/quota/);
  });
});

describe('onRecordEveryPageChanged', () => {
  test('announces each change of the key in storage.local, a removed key as off', async () => {
    const seen: boolean[] = [];
    onRecordEveryPageChanged((on) => seen.push(on));
    await setRecordEveryPage(true);
    await setRecordEveryPage(false);
    announce({ [RECORD_EVERY_PAGE_KEY]: { newValue: true } });
    announce({ [RECORD_EVERY_PAGE_KEY]: { oldValue: true } });
    expect(seen).toEqual([true, false, true, false]);
  });

  test('listens to storage.local only (never to every area\'s changes), and ignores other keys', () => {
    const listener = vi.fn();
    onRecordEveryPageChanged(listener);
    expect(browserFake.storage.onChanged.addListener).not.toHaveBeenCalled();
    announce({ somethingElse: { newValue: true } });
    announce({});
    expect(listener).not.toHaveBeenCalled();
    announce({ somethingElse: { newValue: false }, [RECORD_EVERY_PAGE_KEY]: { newValue: true } });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(true);
  });

  test('the function it returns stops the announcements (and removes the same listener it added)', async () => {
    const listener = vi.fn();
    const other = vi.fn();
    const stop = onRecordEveryPageChanged(listener);
    onRecordEveryPageChanged(other);
    stop();
    expect(browserFake.storage.local.onChanged.removeListener).toHaveBeenCalledWith(browserFake.storage.local.onChanged.addListener.mock.calls[0]![0]);
    await setRecordEveryPage(true);
    expect(listener).not.toHaveBeenCalled();
    expect(other).toHaveBeenCalledWith(true);
  });
});
