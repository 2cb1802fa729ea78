/**
 * The re-test's trust rules, without a browser: what may be fetched (planRetest), the life of each
 * pending re-test (bound to tab, frame, document, origin and exact URL; claimed once; expires), and
 * the refusals runRetest reports when the frame no longer shows the page that made the request.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PendingRetests, RecordDocuments, REFUSAL_MESSAGES, RETEST_CLAIM_WINDOW_MS, planRetest, runRetest, type RetestDeps, type RetestPlan } from '../../src/background/retests.ts';
import { RETEST_PARAM } from '../../src/engine/retest.ts';
import type { FrameFetchOutcome, FrameTarget } from '../../src/platform/scripting.ts';
import { makeRecord } from '../engine/rules/support/make-record.ts';

const PAGE = 'https://player.example';
const PLAIN = 'https://cdn.example/v/seg2.ts';
const SIGNED = 'https://d1.cloudfront.net/v/seg2.ts?Expires=1700000000&Signature=abc~def&Key-Pair-Id=K2ABC';
const S3_SIGNED =
  'https://bucket.s3.amazonaws.com/v/seg2.ts?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20250101&X-Amz-Signature=0f0f&X-Amz-SignedHeaders=host';

function original(url = PLAIN, extra: Partial<ReturnType<typeof makeRecord>> = {}) {
  return { ...makeRecord({ id: 'orig', url, pageOrigin: PAGE }), tabId: 7, frameId: 3, ...extra };
}

function planOf(result: ReturnType<typeof planRetest>): RetestPlan {
  if ('refused' in result) throw new Error(`refused: ${result.refused}`);
  return result;
}

describe('planRetest', () => {
  test('an unsigned URL gets a unique parameter; it runs in the frame and document that made the request', () => {
    const plan = planOf(planRetest(original(), 'DOC-1', 'n-1'));
    expect(plan.url).toBe(`${PLAIN}?${RETEST_PARAM}=n-1`);
    expect(plan.keptUrl).toBe(false);
    expect(plan).toMatchObject({ tabId: 7, frameId: 3, documentId: 'DOC-1', pageOrigin: PAGE, originalId: 'orig', credentials: 'same-origin' });
  });

  test.each([SIGNED, S3_SIGNED, 'https://storage.googleapis.com/b/seg.ts?X-Goog-Signature=00&X-Goog-Credential=x'])(
    'a signed URL is fetched exactly as it was: %s',
    (url) => {
      const plan = planOf(planRetest(original(url), 'DOC-1', 'n-1'));
      expect(plan.url).toBe(url);
      expect(plan.keptUrl).toBe(true);
      expect(plan.url).not.toContain(RETEST_PARAM);
    },
  );

  test('cookies on the wire mean the player sent credentials: the re-test does too', () => {
    expect(planOf(planRetest(original(PLAIN, { requestHeaders: [['cookie', 'a=1']] }), 'DOC-1', 'n')).credentials).toBe('include');
  });

  test('without a document id (an older browser, or a restarted worker) the frame and origin still bind it', () => {
    expect(planOf(planRetest(original(), null, 'n')).documentId).toBeNull();
  });

  test.each([
    ['not-in-log', undefined],
    ['is-retest', original(PLAIN, { retest: true, retestOf: 'x' })],
    ['no-page-origin', original(PLAIN, { pageOrigin: null })],
    ['no-page-origin', original(PLAIN, { pageOrigin: 'null' })], // opaque: a sandboxed frame
    ['no-page-origin', original(PLAIN, { pageOrigin: 'chrome-extension://abc' })],
    ['no-page-origin', original(PLAIN, { pageOrigin: 'https://player.example/path' })], // not an origin
    ['bad-url', original('not a url')],
    ['bad-url', original('data:video/mp2t;base64,AAAA')],
  ] as const)('refused: %s', (refusal, record) => {
    expect(planRetest(record, 'DOC-1', 'n')).toEqual({ refused: refusal });
  });
});

describe('PendingRetests: each re-test is bound, used once and expires', () => {
  const T0 = 1_000_000;
  const request = (overrides: Partial<Parameters<PendingRetests['observe']>[0]> = {}) => ({
    requestId: 'req-1',
    tabId: 7,
    frameId: 3,
    url: `${PLAIN}?${RETEST_PARAM}=n-1`,
    documentId: 'DOC-1',
    ...overrides,
  });
  const finished = (id: string, overrides: { fromCache?: boolean; pageOrigin?: string | null } = {}) => ({ id, fromCache: false, pageOrigin: PAGE, ...overrides });
  function started(): { pending: PendingRetests; plan: RetestPlan } {
    const pending = new PendingRetests();
    const plan = planOf(planRetest(original(), 'DOC-1', 'n-1'));
    pending.begin(plan, T0);
    return { pending, plan };
  }

  test('the matching request is the re-test, once: a second request with the same URL is not', () => {
    const { pending } = started();
    pending.observe(request(), T0 + 5);
    expect(pending.resolve(finished('req-1'))).toBe('orig');
    pending.observe(request({ requestId: 'req-2' }), T0 + 10);
    expect(pending.resolve(finished('req-2'))).toBeUndefined();
    expect(pending.size).toBe(0);
  });

  test.each([
    ['another tab', { tabId: 8 }],
    ['another frame', { frameId: 0 }],
    ['another document', { documentId: 'DOC-2' }],
    ['another URL', { url: `${PLAIN}?${RETEST_PARAM}=n-2` }],
    ['the URL without the nonce', { url: PLAIN }],
  ])('a request from %s is not the re-test', (_name, overrides) => {
    const { pending } = started();
    pending.observe(request({ requestId: 'other', ...overrides }), T0 + 5);
    expect(pending.resolve(finished('other'))).toBeUndefined();
    // …and the real one still is.
    pending.observe(request(), T0 + 6);
    expect(pending.resolve(finished('req-1'))).toBe('orig');
  });

  test('a request sent from another origin, or answered from the browser cache, is not the re-test', () => {
    const { pending } = started();
    pending.observe(request({ requestId: 'foreign' }), T0 + 1);
    pending.observe(request({ requestId: 'cached' }), T0 + 2);
    pending.observe(request(), T0 + 3);
    expect(pending.resolve(finished('foreign', { pageOrigin: 'https://evil.example' }))).toBeUndefined();
    expect(pending.resolve(finished('cached', { fromCache: true }))).toBeUndefined();
    expect(pending.resolve(finished('req-1'))).toBe('orig');
  });

  test('a re-test expires: a request that starts after its window is not it, and it is forgotten', () => {
    const { pending } = started();
    pending.observe(request(), T0 + RETEST_CLAIM_WINDOW_MS + 1);
    expect(pending.resolve(finished('req-1'))).toBeUndefined();
    expect(pending.size).toBe(0);
  });

  test('a request that started in time may finish late', () => {
    const { pending } = started();
    pending.observe(request(), T0 + 10);
    pending.observe(request({ requestId: 'unrelated', url: 'https://x.example/' }), T0 + RETEST_CLAIM_WINDOW_MS + 5_000);
    expect(pending.resolve(finished('req-1'))).toBe('orig');
  });

  test('cancelled and closed-tab re-tests are gone', () => {
    const { pending, plan } = started();
    pending.cancel(plan);
    pending.observe(request(), T0 + 1);
    expect(pending.resolve(finished('req-1'))).toBeUndefined();
    const again = started();
    again.pending.forgetTab(7);
    again.pending.observe(request(), T0 + 1);
    expect(again.pending.resolve(finished('req-1'))).toBeUndefined();
  });

  test('a signed URL is matched by tab, frame, document and exact URL (there is no nonce)', () => {
    const pending = new PendingRetests();
    const plan = planOf(planRetest(original(SIGNED), 'DOC-1', 'unused'));
    pending.begin(plan, T0);
    pending.observe(request({ requestId: 'altered', url: `${SIGNED}&x=1` }), T0 + 1);
    pending.observe(request({ requestId: 'same', url: SIGNED }), T0 + 2);
    expect(pending.resolve(finished('altered'))).toBeUndefined();
    expect(pending.resolve(finished('same'))).toBe('orig');
  });
});

describe('runRetest', () => {
  function deps(outcome: FrameFetchOutcome | Error): RetestDeps & { calls: Array<{ frame: FrameTarget; origin: string; url: string }> } {
    const calls: Array<{ frame: FrameTarget; origin: string; url: string }> = [];
    return {
      calls,
      now: () => 5_000,
      nonce: () => 'n-9',
      fetchInFrame: async (frame, origin, url) => {
        calls.push({ frame, origin, url });
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    };
  }

  test('sent: pinned to the document, checked against the page origin, and pending until observed', async () => {
    const pending = new PendingRetests();
    const fake = deps({ sent: true });
    const run = await runRetest(original(), 'DOC-1', pending, fake);
    expect(run.sent).toBe(true);
    expect(fake.calls).toEqual([{ frame: { tabId: 7, frameId: 3, documentId: 'DOC-1' }, origin: PAGE, url: `${PLAIN}?${RETEST_PARAM}=n-9` }]);
    expect(pending.size).toBe(1);
  });

  test('the signed-URL path sends the URL unchanged', async () => {
    const fake = deps({ sent: true });
    const run = await runRetest(original(SIGNED), 'DOC-1', new PendingRetests(), fake);
    expect(run).toMatchObject({ sent: true, plan: { keptUrl: true, url: SIGNED } });
    expect(fake.calls[0]!.url).toBe(SIGNED);
  });

  test.each([
    ['the frame now shows another origin', { sent: false, reason: 'other-origin', origin: 'https://other.example' } as const, 'other-origin', 'https://other.example'],
    ['the document that made the request is gone', { sent: false, reason: 'document-gone' } as const, 'document-gone', null],
  ])('refused when %s, and the re-test is withdrawn', async (_name, outcome, refusal, detail) => {
    const pending = new PendingRetests();
    const run = await runRetest(original(), 'DOC-1', pending, deps(outcome));
    expect(run).toEqual({ sent: false, refusal, detail });
    expect(pending.size).toBe(0);
  });

  test('a browser error is reported with its text', async () => {
    const run = await runRetest(original(), 'DOC-1', new PendingRetests(), deps(new Error('Cannot access contents of the page')));
    expect(run).toEqual({ sent: false, refusal: 'failed', detail: 'Cannot access contents of the page' });
  });

  test('refused before anything is sent: not in the log, no page origin', async () => {
    const fake = deps({ sent: true });
    expect(await runRetest(undefined, null, new PendingRetests(), fake)).toMatchObject({ sent: false, refusal: 'not-in-log' });
    expect(await runRetest(original(PLAIN, { pageOrigin: 'null' }), 'DOC-1', new PendingRetests(), fake)).toMatchObject({ sent: false, refusal: 'no-page-origin' });
    expect(fake.calls).toHaveLength(0);
  });

  test('every refusal has its words in en and ko', () => {
    const load = (lang: string) =>
      JSON.parse(readFileSync(fileURLToPath(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url)), 'utf8')) as Record<string, { message: string }>;
    for (const messages of [load('en'), load('ko')]) for (const key of Object.values(REFUSAL_MESSAGES)) expect(messages[key]?.message, key).toBeTruthy();
  });
});

describe('RecordDocuments', () => {
  test('remembers the sending document per tab, drops the oldest past the cap, forgets a closed tab', () => {
    const documents = new RecordDocuments(2);
    documents.note(7, 'a', 'DOC-A');
    documents.note(7, 'b', 'DOC-B');
    documents.note(8, 'a', 'DOC-X');
    documents.note(7, 'c', undefined); // the browser reported none
    expect([documents.of(7, 'a'), documents.of(7, 'b'), documents.of(8, 'a'), documents.of(7, 'c')]).toEqual(['DOC-A', 'DOC-B', 'DOC-X', null]);
    documents.note(7, 'd', 'DOC-D');
    expect([documents.of(7, 'a'), documents.of(7, 'd')]).toEqual([null, 'DOC-D']);
    documents.forgetTab(7);
    expect([documents.of(7, 'd'), documents.of(8, 'a')]).toEqual([null, 'DOC-X']);
  });
});
