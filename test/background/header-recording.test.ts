import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  HeaderRecording,
  MEDIA_RECORDING_WINDOW_MS,
  RECORDING_UNTIL_KEY,
  StartedWhileOff,
  cameThroughNetworkStack,
  countStartedBeforeHeaderRecording,
  startedBeforeHeaderRecording,
  startsHeaderRecording,
  type HeaderRecordingDeps,
} from '../../src/background/header-recording.ts';
import { Recorder } from '../../src/background/recorder.ts';
import { verdictForRecord } from '../../src/engine/index.ts';
import { loadRecordedEvents, replay } from './replay.ts';

function fakeDeps(stored: { until?: number; everyPage?: boolean } = {}) {
  const calls: string[] = [];
  const writes: number[] = [];
  const deps: HeaderRecordingDeps = {
    addListeners: () => calls.push('add'),
    removeListeners: () => calls.push('remove'),
    area: {
      get: async (key: string) => (key === RECORDING_UNTIL_KEY && stored.until !== undefined ? { [key]: stored.until } : {}),
      set: async (items: Record<string, unknown>) => {
        writes.push(items[RECORDING_UNTIL_KEY] as number);
      },
    },
    readEveryPage: async () => stored.everyPage ?? false,
  };
  return { deps, calls, writes };
}

describe('when Chromium header listeners are on', () => {
  test('a fresh start with nothing stored removes the listeners the worker added at top level', async () => {
    const { deps, calls } = fakeDeps();
    const recording = new HeaderRecording(deps);
    expect(recording.listening).toBe(true);
    await recording.restore(() => 1_000);
    expect(calls).toEqual(['remove']);
    expect(recording.listening).toBe(false);
  });

  test('before the stored state is read nothing is removed (a restart keeps a recording in progress)', () => {
    const { deps, calls } = fakeDeps();
    const recording = new HeaderRecording(deps);
    recording.update(10_000_000);
    expect(calls).toEqual([]);
    expect(recording.listening).toBe(true);
  });

  test('a restart inside a stored window keeps them on, and the next navigation after it ends removes them', async () => {
    const { deps, calls } = fakeDeps({ until: 50_000 });
    const recording = new HeaderRecording(deps);
    await recording.restore(() => 10_000);
    expect(calls).toEqual([]);
    recording.update(49_999);
    expect(recording.listening).toBe(true);
    recording.update(50_000);
    expect(calls).toEqual(['remove']);
  });

  test('a media request switches them on for the window, and writes the window', async () => {
    const { deps, calls, writes } = fakeDeps();
    const recording = new HeaderRecording(deps);
    await recording.restore(() => 0);
    recording.mediaRequested(1_000);
    expect(calls).toEqual(['remove', 'add']);
    expect(writes).toEqual([1_000 + MEDIA_RECORDING_WINDOW_MS]);
    // Segments every few seconds extend it without writing each time.
    recording.mediaRequested(5_000);
    recording.mediaRequested(9_000);
    expect(writes).toHaveLength(1);
    recording.mediaRequested(40_000);
    expect(writes).toEqual([1_000 + MEDIA_RECORDING_WINDOW_MS, 40_000 + MEDIA_RECORDING_WINDOW_MS]);
    recording.update(40_000 + MEDIA_RECORDING_WINDOW_MS - 1);
    expect(recording.listening).toBe(true);
    recording.update(40_000 + MEDIA_RECORDING_WINDOW_MS);
    expect(recording.listening).toBe(false);
    expect(calls).toEqual(['remove', 'add', 'remove']);
  });

  test('an open view keeps them on past the window; closing it leaves the window that opening started', async () => {
    const { deps } = fakeDeps();
    const recording = new HeaderRecording(deps);
    await recording.restore(() => 0);
    recording.viewOpened(1_000);
    expect(recording.listening).toBe(true);
    recording.update(1_000 + 10 * MEDIA_RECORDING_WINDOW_MS);
    expect(recording.listening).toBe(true);
    recording.viewClosed(1_000 + 10 * MEDIA_RECORDING_WINDOW_MS);
    expect(recording.listening).toBe(false);
    recording.viewOpened(2_000_000);
    recording.viewClosed(2_000_001);
    expect(recording.listening).toBe(true);
    recording.update(2_000_000 + MEDIA_RECORDING_WINDOW_MS);
    expect(recording.listening).toBe(false);
  });

  test('"record every page" keeps them on, read at restart and followed when changed', async () => {
    const { deps, calls } = fakeDeps({ everyPage: true });
    const recording = new HeaderRecording(deps);
    await recording.restore(() => 0);
    recording.update(1e12);
    expect(calls).toEqual([]);
    recording.setEveryPage(false, 1e12);
    expect(calls).toEqual(['remove']);
    recording.setEveryPage(true, 1e12);
    expect(calls).toEqual(['remove', 'add']);
  });

  test('a stored state that cannot be read counts as nothing stored', async () => {
    const { deps, calls } = fakeDeps();
    deps.area = { ...deps.area, get: () => Promise.reject(new Error('gone')) };
    const recording = new HeaderRecording(deps);
    await recording.restore(() => 0);
    expect(calls).toEqual(['remove']);
  });

  test('a stored window that is not a finite number counts as none', async () => {
    for (const until of ['9999999999999', Number.NaN, Infinity, null]) {
      const { deps, calls } = fakeDeps();
      deps.area = { ...deps.area, get: async () => ({ [RECORDING_UNTIL_KEY]: until }) };
      const recording = new HeaderRecording(deps);
      await recording.restore(() => 0);
      expect(calls, String(until)).toEqual(['remove']);
    }
  });
});

describe('which requests switch recording on', () => {
  test.each([
    ['https://cdn.example/live/stream.m3u8', 'GET', 'xmlhttprequest', true],
    ['https://cdn.example/v/manifest.mpd?token=x', 'GET', 'xmlhttprequest', true],
    ['https://cdn.example/v/seg-00012.m4s', 'GET', 'xmlhttprequest', true],
    ['https://cdn.example/movie', 'GET', 'media', true],
    ['https://api.example/v1/user', 'GET', 'xmlhttprequest', false],
    ['https://cdn.example/live/stream.m3u8', 'OPTIONS', 'other', false],
    ['https://t.example/collect', 'POST', 'ping', false],
  ])('%s %s (%s) → %s', (url, method, type, expected) => {
    expect(startsHeaderRecording({ url, method, type })).toBe(expected);
  });
});

describe('whether request headers came through the network stack', () => {
  // Seen in Chromium 156 (a fetch, and a request that started before the extraHeaders listener was added).
  const throughStack: Array<[string, string]> = [
    ['accept', '*/*'],
    ['accept-encoding', 'gzip, deflate, br, zstd'],
    ['accept-language', 'en-US,en;q=0.9'],
    ['origin', 'http://127.0.0.1:8000'],
    ['sec-fetch-mode', 'cors'],
    ['user-agent', 'Mozilla/5.0'],
  ];
  const fromRendererOnly: Array<[string, string]> = [
    ['accept', '*/*'],
    ['sec-ch-ua', '"Chromium";v="156"'],
    ['user-agent', 'Mozilla/5.0'],
  ];

  test('the network stack adds Accept-Encoding, which no script can set; the renderer alone does not', () => {
    expect(cameThroughNetworkStack(throughStack, 'xmlhttprequest')).toBe(true);
    expect(cameThroughNetworkStack(fromRendererOnly, 'xmlhttprequest')).toBe(false);
    expect(cameThroughNetworkStack(throughStack.filter(([name]) => name !== 'accept-language'), 'xmlhttprequest')).toBe(true);
  });

  test('a script can set Accept-Language on a fetch, so there it proves nothing', () => {
    expect(cameThroughNetworkStack([...fromRendererOnly, ['accept-language', 'ko']], 'xmlhttprequest')).toBe(false);
  });

  test("a media element's own Accept-Encoding: identity proves nothing; with the network stack's Accept-Language it does", () => {
    expect(cameThroughNetworkStack([...fromRendererOnly, ['accept-encoding', 'identity'], ['range', 'bytes=0-']], 'media')).toBe(false);
    expect(cameThroughNetworkStack([...fromRendererOnly, ['accept-encoding', 'identity'], ['accept-language', 'ko']], 'media')).toBe(true);
  });

  test('the recorder marks a request that showed only the renderer\'s headers incomplete, so nothing is judged from the missing Origin', () => {
    const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true, checkNetworkStack: true });
    const base = { requestId: '7', url: 'https://cdn.example/live/stream.m3u8', method: 'GET', type: 'xmlhttprequest', tabId: 3, frameId: 0, initiator: 'https://player.example' };
    recorder.handle('beforeRequest', { ...base, timeStamp: 1 });
    recorder.handle('sendHeaders', { ...base, timeStamp: 2, requestHeaders: fromRendererOnly.map(([name, value]) => ({ name, value })) });
    const record = recorder.handle('completed', {
      ...base,
      timeStamp: 3,
      statusCode: 200,
      responseHeaders: [{ name: 'content-type', value: 'application/vnd.apple.mpegurl' }],
    })!;
    expect(record.requestHeadersComplete).toBe(false);
    expect(verdictForRecord(record).outcome).toBe('unknown');
  });

  test('recorded Chromium events (every request through the header client) stay complete with the check on', () => {
    const events = loadRecordedEvents('chromium-hls-segment2-no-acao.json');
    const checked = new Recorder({ browser: 'chromium', requestHeadersComplete: true, checkNetworkStack: true });
    const finished = events.map(({ event, details }) => checked.handle(event.replace(/^on(.)/, (_, first: string) => first.toLowerCase()) as never, details)).filter((record) => record !== null);
    const { records } = replay(events, 'chromium');
    expect(finished.length).toBe(records.length);
    expect(finished.every((record) => record.requestHeaders === null || record.requestHeadersComplete)).toBe(true);
    expect(finished.map((record) => verdictForRecord(record).outcome)).toEqual(records.map((record) => verdictForRecord(record).outcome));
  });
});

test('a change of "record every page" that arrives while the restore still reads is not undone by the older read', async () => {
  let release!: (value: boolean) => void;
  const { deps, calls } = fakeDeps();
  deps.readEveryPage = () => new Promise((resolve) => (release = resolve));
  const recording = new HeaderRecording(deps);
  const restored = recording.restore(() => 0);
  recording.setEveryPage(true, 0);
  release(false);
  await restored;
  expect(calls).toEqual([]);
  expect(recording.listening).toBe(true);
});

describe('requests that started before the header listeners were on', () => {
  const base = { requestId: '9', url: 'https://cdn.example/v/seg1.ts', method: 'GET', type: 'xmlhttprequest', tabId: 3, frameId: 0, initiator: 'https://player.example' };
  const fullHeaders = [
    { name: 'accept-language', value: 'en' },
    { name: 'origin', value: 'https://player.example' },
    { name: 'sec-fetch-mode', value: 'cors' },
  ];
  const response = { statusCode: 200, responseHeaders: [{ name: 'access-control-allow-origin', value: '*' }] };

  const fullHeaders2 = [...fullHeaders, { name: 'accept-encoding', value: 'gzip, br' }];

  test('ids tell which requests started while the listeners were off: the one that switched them on, those seen while off, those in flight when they went off', () => {
    const off = new StartedWhileOff();
    off.seen('10', true);
    off.seen('11', true);
    expect(off.startedWhileOff('11')).toBe(false);
    // They go off with 11 in flight: it will not be followed whole.
    off.wentOff();
    expect(off.startedWhileOff('11')).toBe(true);
    // Seen while off (ignored), then the media request that switches them on (seen with "off").
    off.seen('12', false);
    off.seen('13', false);
    expect(off.startedWhileOff('13')).toBe(true);
    // Started after they were on again.
    off.seen('14', true);
    expect(off.startedWhileOff('14')).toBe(false);
    expect(off.startedWhileOff('not-a-number')).toBe(false);
  });

  test('a request that started while they were off stays incomplete whatever its headers show, also when first met later', () => {
    const off = new StartedWhileOff();
    off.seen(base.requestId, false);
    const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true, checkNetworkStack: true, startedBeforeListeners: (id) => off.startedWhileOff(id) });
    recorder.handle('beforeRequest', { ...base, timeStamp: 1 });
    recorder.handle('sendHeaders', { ...base, timeStamp: 2, requestHeaders: fullHeaders2 });
    const record = recorder.handle('completed', { ...base, timeStamp: 3, ...response })!;
    expect(record.requestHeadersComplete).toBe(false);
    expect(startedBeforeHeaderRecording(record)).toBe(true);
    // The next hop of a redirect, or a request in flight when they went off: first met at a later event.
    const late = recorder.handle('completed', { ...base, requestId: '5', timeStamp: 4, ...response })!;
    expect(late.requestHeadersComplete).toBe(false);
    // A request after them is complete.
    const after = { ...base, requestId: '20' };
    recorder.handle('beforeRequest', { ...after, timeStamp: 5 });
    recorder.handle('sendHeaders', { ...after, timeStamp: 6, requestHeaders: fullHeaders2 });
    expect(recorder.handle('completed', { ...after, timeStamp: 7, ...response })!.requestHeadersComplete).toBe(true);
  });

  test('when the listeners go off, the requests in flight are dropped (nothing would finish them)', () => {
    const recorder = new Recorder({ browser: 'chromium', requestHeadersComplete: true, checkNetworkStack: true });
    recorder.handle('beforeRequest', { ...base, timeStamp: 1 });
    expect(recorder.inFlightCount).toBe(1);
    recorder.forgetAll();
    expect(recorder.inFlightCount).toBe(0);
  });

  test('a request followed from its start with the network stack\'s headers is complete; Firefox is never marked', () => {
    const chromium = new Recorder({ browser: 'chromium', requestHeadersComplete: true, checkNetworkStack: true });
    chromium.handle('beforeRequest', { ...base, timeStamp: 1 });
    chromium.handle('sendHeaders', { ...base, timeStamp: 2, requestHeaders: fullHeaders2 });
    const whole = chromium.handle('completed', { ...base, timeStamp: 3, ...response })!;
    expect(whole.requestHeadersComplete).toBe(true);
    const firefox = new Recorder({ browser: 'firefox', requestHeadersComplete: true });
    const late = firefox.handle('completed', { ...base, timeStamp: 3, ...response })!;
    expect(late.requestHeadersComplete).toBe(true);
    expect(startedBeforeHeaderRecording(late)).toBe(false);
    expect(countStartedBeforeHeaderRecording([whole, late, { ...whole, requestHeadersComplete: false }])).toBe(1);
  });
});

test('the messages that state the window say the window the code keeps', () => {
  const minutes = MEDIA_RECORDING_WINDOW_MS / 60_000;
  for (const [lang, unit] of [['en', ' minutes'], ['ko', '분']] as const) {
    const messages = JSON.parse(readFileSync(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Record<string, { message: string }>;
    for (const key of ['recordEveryPageHint', 'headersNotSeen']) expect(messages[key]!.message, `${lang} ${key}`).toContain(`${minutes}${unit}`);
  }
});
