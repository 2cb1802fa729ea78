/**
 * Document policies survive a worker restart (storage.session, bounded): the coep-blocks-media card of
 * a restarted worker still says "certain" (docs/capture.md#document-policies).
 */
import { describe, expect, test } from 'vitest';
import { DOCUMENT_POLICIES_KEY, DocumentPolicies, MAX_POLICY_FRAMES, MAX_POLICY_LENGTH, MAX_POLICY_TABS } from '../../src/background/document-policies.ts';
import type { KeyValueArea } from '../../src/background/store.ts';
import { analyze } from '../../src/engine/analyze.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { makeRecord } from '../engine/rules/support/make-record.ts';

/** storage.session as a Map, values copied through JSON as the browser stores them. */
function sessionArea(): KeyValueArea & { items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  return {
    items,
    async get(keys) {
      const wanted = keys === null ? [...items.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(wanted.filter((key) => items.has(key)).map((key) => [key, JSON.parse(JSON.stringify(items.get(key)))]));
    },
    async set(values) {
      for (const [key, value] of Object.entries(values)) items.set(key, JSON.parse(JSON.stringify(value)));
    },
    async remove(keys) {
      for (const key of Array.isArray(keys) ? keys : [keys]) items.delete(key);
    },
  };
}

const PAGE = 'http://localhost:3010';
const COEP = [{ name: 'Cross-Origin-Embedder-Policy', value: 'require-corp' }];

/** A worker that starts on `area`, as index.ts starts one: restore first. */
async function restartedWorker(area: KeyValueArea): Promise<DocumentPolicies> {
  const policies = new DocumentPolicies(area);
  await policies.restore();
  return policies;
}

function blockedSegment(): RequestRecord {
  return {
    ...makeRecord({ url: 'https://media.example.org/v/movie.mp4', pageOrigin: PAGE, responseHeaders: { 'content-type': 'video/mp4' } }, 0),
    error: 'net::ERR_BLOCKED_BY_RESPONSE',
    state: 'error',
  };
}

describe('document policies across a worker restart', () => {
  test('a restarted worker has the document\'s COEP, and coep-blocks-media stays certain', async () => {
    const area = sessionArea();
    const first = await restartedWorker(area);
    first.seen(7, 0, `${PAGE}/coep.html`, COEP, true);
    await first.settled();

    const second = await restartedWorker(area);
    expect(second.of(7)).toEqual([{ frameId: 0, origin: PAGE, embedderPolicy: 'require-corp' }]);
    const card = analyze([blockedSegment()], { documentPolicies: second.of(7) }).findings.find((finding) => finding.cause === 'coep-blocks-media');
    expect(card?.confidence).toBe('certain');
    // Without the policies (what a restarted worker had before they were kept) the card is only likely.
    expect(analyze([blockedSegment()]).findings.find((finding) => finding.cause === 'coep-blocks-media')?.confidence).toBe('likely');
  });

  test('a closed tab and a navigation are forgotten in storage too', async () => {
    const area = sessionArea();
    const first = await restartedWorker(area);
    first.seen(7, 0, `${PAGE}/coep.html`, COEP, true);
    first.seen(7, 3, 'https://ads.example/frame.html', [], false);
    first.seen(8, 0, `${PAGE}/coep.html`, COEP, true);
    first.forgetTab(8);
    first.seen(7, 0, `${PAGE}/plain.html`, [], true);
    await first.settled();
    const second = await restartedWorker(area);
    expect(second.of(7)).toEqual([{ frameId: 0, origin: PAGE, embedderPolicy: null }]);
    expect(second.of(8)).toEqual([]);
  });

  test('documents seen before the restore finished are kept, and win over what was stored', async () => {
    const area = sessionArea();
    const first = await restartedWorker(area);
    first.seen(7, 0, `${PAGE}/coep.html`, COEP, true);
    first.seen(7, 2, 'https://player.example/embed.html', [], false);
    first.seen(9, 0, 'https://other.example/', [], true);
    await first.settled();

    const second = new DocumentPolicies(area);
    second.seen(7, 2, 'https://player.example/embed.html', [{ name: 'cross-origin-embedder-policy', value: 'credentialless' }], false);
    second.seen(9, 0, 'https://third.example/', [], true);
    await second.restore();
    await second.settled();
    expect(second.of(7)).toEqual([
      { frameId: 0, origin: PAGE, embedderPolicy: 'require-corp' },
      { frameId: 2, origin: 'https://player.example', embedderPolicy: 'credentialless' },
    ]);
    expect(second.of(9)).toEqual([{ frameId: 0, origin: 'https://third.example', embedderPolicy: null }]);
    // And what it wrote holds both.
    expect((await restartedWorker(area)).of(7)).toEqual(second.of(7));
  });

  test('bounded: tabs, frames per tab (the top-level document kept) and value length', async () => {
    const area = sessionArea();
    const first = await restartedWorker(area);
    for (let tabId = 1; tabId <= MAX_POLICY_TABS + 20; tabId++) first.seen(tabId, 0, `https://site${tabId}.example/`, [], true);
    first.seen(500, 0, `${PAGE}/coep.html`, [{ name: 'cross-origin-embedder-policy', value: `require-corp; report-to="${'x'.repeat(2000)}"` }], true);
    for (let frameId = 1; frameId <= 40; frameId++) first.seen(500, frameId, `https://frame${frameId}.example/`, [], false);
    await first.settled();

    const second = await restartedWorker(area);
    expect(second.of(1)).toEqual([]);
    expect(second.of(MAX_POLICY_TABS + 20)).toHaveLength(1);
    const frames = second.of(500);
    expect(frames).toHaveLength(MAX_POLICY_FRAMES);
    expect(frames[0]!.frameId).toBe(0);
    expect(frames[0]!.embedderPolicy!.length).toBe(MAX_POLICY_LENGTH);
    expect(frames[0]!.embedderPolicy!.startsWith('require-corp;')).toBe(true);
    expect(frames.at(-1)!.frameId).toBe(40);
    expect(JSON.stringify(area.items.get(DOCUMENT_POLICIES_KEY)).length).toBeLessThan(MAX_POLICY_TABS * MAX_POLICY_FRAMES * (MAX_POLICY_LENGTH + 100));
  });

  test('a malformed stored value is ignored, its well-formed entries kept', async () => {
    const area = sessionArea();
    await area.set({
      [DOCUMENT_POLICIES_KEY]: { '7': [{ frameId: 0, origin: PAGE, embedderPolicy: 'require-corp' }, { frameId: 'x', origin: 1 }], nope: [], '8': 'garbage' },
    });
    const worker = await restartedWorker(area);
    expect(worker.of(7)).toEqual([{ frameId: 0, origin: PAGE, embedderPolicy: 'require-corp' }]);
    expect(worker.of(8)).toEqual([]);
    await area.set({ [DOCUMENT_POLICIES_KEY]: 'garbage' });
    expect((await restartedWorker(area)).of(7)).toEqual([]);
  });

  test('a page whose frames arrive together is written once, with every frame, and the next change writes again', async () => {
    const area = sessionArea();
    let writes = 0;
    const counting: KeyValueArea = { ...area, set: (values) => ((writes += 1), area.set(values)) };
    const worker = await restartedWorker(counting);
    worker.seen(7, 0, `${PAGE}/coep.html`, COEP, true);
    for (let frameId = 1; frameId <= 10; frameId++) worker.seen(7, frameId, 'https://ads.example/frame.html', [], false);
    await worker.settled();
    expect(writes).toBe(1);
    expect((area.items.get(DOCUMENT_POLICIES_KEY) as Record<string, unknown[]>)['7']).toHaveLength(11);
    worker.seen(8, 0, `${PAGE}/other.html`, [], true);
    await worker.settled();
    expect(writes).toBe(2);
    expect((await restartedWorker(area)).of(8)).toHaveLength(1);
  });
});
