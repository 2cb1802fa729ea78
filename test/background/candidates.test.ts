import { describe, expect, test } from 'vitest';
import { CANDIDATE_TYPES, DOCUMENT_LISTENER, LISTENED_EVENTS, NAVIGATION_TYPE, isCandidate, listenerOptions } from '../../src/background/candidates.ts';
import { DocumentPolicies } from '../../src/background/document-policies.ts';
import { verdictForRecord } from '../../src/engine/index.ts';
import { loadRecordedEvents, replay, type RecordedEvent } from './replay.ts';

/**
 * What the browser delivers to the listeners as registered (candidates.ts): only the events listened
 * to, only for the candidate resource types (navigations on onBeforeRequest), and only the headers
 * each listener asks for. The recorded fixtures hold every event of every request of the page.
 */
function asDelivered(events: readonly RecordedEvent[]): RecordedEvent[] {
  const delivered: RecordedEvent[] = [];
  for (const { event, details } of events) {
    const listened = LISTENED_EVENTS.find((candidate) => candidate.name === event);
    if (!listened) continue;
    if (!listenerOptions(listened, true).filter.types.includes(details.type)) continue;
    const copy = { ...details };
    if (listened.headers !== 'requestHeaders') delete copy.requestHeaders;
    if (listened.headers !== 'responseHeaders') delete copy.responseHeaders;
    delivered.push({ event, details: copy });
  }
  return delivered;
}

describe.each([
  ['chromium', 'chromium-hls-segment2-no-acao.json'],
  ['firefox', 'firefox-hls-segment2-no-acao.json'],
] as const)('the narrowed listeners in %s (hls.js, segment2 without ACAO)', (browser, fixture) => {
  const events = loadRecordedEvents(fixture);
  const full = replay(events, browser).records.filter((record) => isCandidate(record.media));
  const delivered = asDelivered(events);
  const narrowed = replay(delivered.filter(({ details }) => details.type !== NAVIGATION_TYPE), browser).records.filter((record) => isCandidate(record.media));

  test('the page\'s scripts and images are never delivered; its media requests are', () => {
    const types = new Set(events.map(({ details }) => details.type));
    expect(types).toContain('script');
    expect(types).toContain('image');
    expect(delivered.filter(({ details }) => !CANDIDATE_TYPES.includes(details.type) && details.type !== NAVIGATION_TYPE)).toEqual([]);
    expect(delivered.length).toBeLessThan(events.length);
  });

  test('every candidate recorded from every event is recorded the same from the narrowed ones: headers, status, verdict', () => {
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.map((record) => [record.id, record.url, record.media.kind])).toEqual(full.map((record) => [record.id, record.url, record.media.kind]));
    narrowed.forEach((record, index) => {
      const before = full[index]!;
      expect(record.requestHeaders).toEqual(before.requestHeaders);
      expect(record.responseHeaders).toEqual(before.responseHeaders);
      expect([record.status, record.state, record.error, record.fromCache, record.pageOrigin]).toEqual([before.status, before.state, before.error, before.fromCache, before.pageOrigin]);
      expect(verdictForRecord(record)).toEqual(verdictForRecord(before));
    });
  });
});

describe('listener options', () => {
  test('extraHeaders only where the browser has it, and only on the events that read headers or report CORS errors', () => {
    const withExtra = LISTENED_EVENTS.filter((listened) => listenerOptions(listened, true).spec?.includes('extraHeaders')).map((listened) => listened.name);
    expect(withExtra).toEqual(['onSendHeaders', 'onHeadersReceived', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred']);
    for (const listened of LISTENED_EVENTS) expect(listenerOptions(listened, false).spec ?? []).not.toContain('extraHeaders');
    // Firefox takes no spec on onErrorOccurred.
    expect(listenerOptions(LISTENED_EVENTS.find((listened) => listened.name === 'onErrorOccurred')!, false).spec).toBeUndefined();
  });

  test('no listener asks for images, scripts, stylesheets, fonts or frames', () => {
    for (const listened of LISTENED_EVENTS) {
      for (const options of [listenerOptions(listened, true), listenerOptions(listened, false, true)]) {
        const { types } = options.filter;
        for (const type of ['image', 'script', 'stylesheet', 'font', 'sub_frame', 'imageset']) expect(types).not.toContain(type);
        expect(types.includes(NAVIGATION_TYPE)).toBe(listened.name === 'onBeforeRequest');
      }
    }
  });

  test('beacons: Firefox types sendBeacon "beacon", asked for only there (Chromium refuses a filter naming a type it lacks)', () => {
    for (const listened of LISTENED_EVENTS) {
      expect(listenerOptions(listened, false, true).filter.types).toContain('beacon');
      expect(listenerOptions(listened, true).filter.types).not.toContain('beacon');
      expect(listenerOptions(listened, true).filter.types).toContain('ping');
    }
  });
});

describe('documents\' embedder policies', () => {
  test('the document listener hears documents only, with their response headers and without extraHeaders', () => {
    expect([...DOCUMENT_LISTENER.filter.types].sort()).toEqual(['main_frame', 'sub_frame']);
    expect([...DOCUMENT_LISTENER.spec]).toEqual(['responseHeaders']);
  });

  test('each frame keeps its document\'s policy; a new page forgets the frames of the one before', () => {
    const policies = new DocumentPolicies();
    policies.seen(7, 0, 'https://app.example/player', [{ name: 'Cross-Origin-Embedder-Policy', value: 'require-corp' }, { name: 'Content-Type', value: 'text/html' }], true);
    policies.seen(7, 3, 'https://ads.example/frame', [{ name: 'content-type', value: 'text/html' }], false);
    expect(policies.of(7)).toEqual([
      { frameId: 0, origin: 'https://app.example', embedderPolicy: 'require-corp' },
      { frameId: 3, origin: 'https://ads.example', embedderPolicy: null },
    ]);
    policies.seen(7, 0, 'https://other.example/', [{ name: 'cross-origin-embedder-policy', value: 'credentialless' }, { name: 'cross-origin-embedder-policy', value: 'require-corp' }], true);
    expect(policies.of(7)).toEqual([{ frameId: 0, origin: 'https://other.example', embedderPolicy: 'credentialless, require-corp' }]);
    expect(policies.of(8)).toEqual([]);
    policies.forgetTab(7);
    expect(policies.of(7)).toEqual([]);
  });
});
