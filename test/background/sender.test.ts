/**
 * Only the extension's own pages may talk to the background. The guard is a pure function; the second
 * part loads the real background entry against a fake browser and checks that every message and every
 * port goes through it, that a re-test is bound to what the listeners saw, and that the toolbar
 * button is set once per flush while a view is open.
 */
import { describe, expect, test, vi } from 'vitest';
import { isFromOwnPage, type SenderFacts } from '../../src/background/sender.ts';
import { tabLogPortName } from '../../src/view/protocol.ts';

const OWN_ID = 'abcdefghijklmnopabcdefghijklmnop';
const OWN_BASE = `chrome-extension://${OWN_ID}/`;
const POPUP: SenderFacts = { id: OWN_ID, url: `${OWN_BASE}src/ui/popup/popup.html?tabId=7` };
const PANEL: SenderFacts = { id: OWN_ID, url: `${OWN_BASE}src/ui/devtools/panel.html` };
/** A content script of this extension: our id, but the page's URL. */
const CONTENT_SCRIPT: SenderFacts = { id: OWN_ID, url: 'https://evil.example/watch' };
const OTHER_EXTENSION: SenderFacts = { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/x.html' };
const WEB_PAGE: SenderFacts = { url: 'https://evil.example/' };

describe('isFromOwnPage', () => {
  test.each([
    ['the popup', POPUP, true],
    ['the DevTools panel', PANEL, true],
    ['a Firefox extension page', { id: 'cors-lens@cors-lens.dev', url: 'moz-extension://5a1c7e2e/src/ui/popup/popup.html' }, 'firefox'],
    ['a content script', CONTENT_SCRIPT, false],
    ['another extension', OTHER_EXTENSION, false],
    ['a web page', WEB_PAGE, false],
    ['our id with a look-alike host', { id: OWN_ID, url: `chrome-extension://${OWN_ID}.evil.example/x.html` }, false],
    ['our id and no URL', { id: OWN_ID }, false],
    ['no sender', undefined, false],
  ] as const)('%s', (_name, sender, expected) => {
    if (expected === 'firefox') expect(isFromOwnPage(sender, 'cors-lens@cors-lens.dev', 'moz-extension://5a1c7e2e/')).toBe(true);
    else expect(isFromOwnPage(sender, OWN_ID, OWN_BASE)).toBe(expected);
  });

  test('a malformed base URL refuses everyone rather than trusting everyone', () => {
    expect(isFromOwnPage(POPUP, OWN_ID, '')).toBe(false);
    expect(isFromOwnPage(POPUP, OWN_ID, 'chrome-extension://')).toBe(false);
    expect(isFromOwnPage(POPUP, '', OWN_BASE)).toBe(false);
  });
});

// ---- the background entry, wired to a fake browser ----

type Listener = (...args: never[]) => unknown;
interface FakeEvent {
  listeners: Listener[];
  addListener(listener: Listener): void;
  removeListener(listener: Listener): void;
  hasListeners(): boolean;
}

const fake = vi.hoisted(() => {
  const event = (): FakeEvent => {
    const listeners: Listener[] = [];
    return {
      listeners,
      addListener: (listener) => void listeners.push(listener),
      removeListener: (listener) => void listeners.splice(listeners.indexOf(listener), 1),
      hasListeners: () => listeners.length > 0,
    };
  };
  const ownId = 'abcdefghijklmnopabcdefghijklmnop';
  return {
    webRequest: {
      onBeforeRequest: event(),
      onBeforeSendHeaders: event(),
      onSendHeaders: event(),
      onHeadersReceived: event(),
      onResponseStarted: event(),
      onBeforeRedirect: event(),
      onCompleted: event(),
      onErrorOccurred: event(),
    },
    tabs: { onRemoved: event() },
    runtime: {
      id: ownId,
      getURL: (path: string) => `chrome-extension://${ownId}/${path}`,
      onConnect: event(),
      onMessage: event(),
      onInstalled: event(),
      getManifest: () => ({ version: '0.0.0' }),
    },
    i18n: { getMessage: (key: string) => `<${key}>` },
    storage: { session: { get: async () => ({}), set: async () => undefined, remove: async () => undefined } },
    action: { setBadgeBackgroundColor: async () => undefined, setBadgeTextColor: async () => undefined, setBadgeText: async () => undefined, setTitle: async () => undefined },
    scripting: { executeScript: vi.fn() },
  };
});
vi.mock('../../src/platform/browser.ts', () => ({ browser: fake }));

await import('../../src/background/index.ts');

type Call = (...args: unknown[]) => unknown;
const onMessage = (message: unknown, sender: SenderFacts | undefined): unknown => (fake.runtime.onMessage.listeners[0] as unknown as Call)(message, sender);
const fire = (event: keyof typeof fake.webRequest, details: Record<string, unknown>): void => {
  for (const listener of fake.webRequest[event].listeners) (listener as unknown as Call)(details);
};

const CDN_URL = 'https://cdn.example/v/seg2.ts';
let nextRequestId = 1;
/** One finished media request of tab 7, as the webRequest listeners see it; returns its id. */
function playRequest(url: string, extra: Record<string, unknown> = {}): string {
  const requestId = String(nextRequestId++);
  const base = { requestId, url, method: 'GET', type: 'xmlhttprequest', tabId: 7, frameId: 0, timeStamp: Date.now(), initiator: 'https://player.example', documentId: 'DOC-1', ...extra };
  fire('onBeforeRequest', base);
  fire('onCompleted', { ...base, statusCode: 200, fromCache: false, responseHeaders: [{ name: 'x-cache', value: 'Hit from cloudfront' }, { name: 'age', value: '9' }] });
  return requestId;
}
async function recordsOfTab(): Promise<Array<{ id: string; url: string; retest?: boolean; retestOf?: string }>> {
  const log = (await onMessage({ type: 'get-tab-log', tabId: 7 }, POPUP)) as { records: Array<{ id: string; url: string; retest?: boolean; retestOf?: string }> };
  return log.records;
}

describe('the background answers only its own pages', () => {
  test('every message from anything else is ignored (no answer at all)', async () => {
    playRequest(CDN_URL);
    for (const sender of [CONTENT_SCRIPT, OTHER_EXTENSION, WEB_PAGE, undefined]) {
      for (const message of [
        { type: 'get-tab-log', tabId: 7 },
        { type: 'get-tab-view', tabId: 7 },
        { type: 'get-records', tabId: 7, recordIds: ['1'] },
        { type: 'clear-tab-log', tabId: 7 },
        { type: 'set-preserve-log', tabId: 7, preserve: true },
        { type: 'retest', tabId: 7, recordId: '1' },
      ]) {
        expect(onMessage(message, sender), `${message.type} from ${JSON.stringify(sender)}`).toBeUndefined();
      }
    }
    expect(fake.scripting.executeScript).not.toHaveBeenCalled();
    expect((await recordsOfTab()).length).toBeGreaterThan(0); // clear-tab-log from a stranger did nothing
  });

  test('the router answers an unknown type or a malformed message from its own page with an explicit refusal', async () => {
    expect(await onMessage({ type: 'delete-everything', tabId: 7 }, POPUP)).toEqual({ ok: false, error: 'unknown message type: delete-everything' });
    expect(await onMessage({ type: 'toString', tabId: 7 }, POPUP)).toEqual({ ok: false, error: 'unknown message type: toString' });
    expect(await onMessage({ type: 'get-records', tabId: 7, recordIds: [1] }, POPUP)).toEqual({ ok: false, error: 'invalid message: get-records' });
    expect(await onMessage({ type: 'get-tab-log', tabId: '7' }, POPUP)).toEqual({ ok: false, error: 'invalid message: get-tab-log' });
    expect(await onMessage('get-tab-log', POPUP)).toEqual({ ok: false, error: 'not a CORS Lens message' });
    // The default is no longer the whole log: only get-tab-log answers with records.
    expect(await onMessage({ type: 'clear-tab-log', tabId: 99 }, POPUP)).toEqual({ ok: true });
    expect(await onMessage({ type: 'get-records', tabId: 7, recordIds: [] }, POPUP)).toEqual({ records: [] });
  });

  test('a port from anything else is disconnected; the panel’s stays', () => {
    const connect = (sender: SenderFacts) => {
      const port = { name: 'tab-log:7', sender, disconnect: vi.fn(), postMessage: vi.fn(), onDisconnect: { addListener: vi.fn() } };
      (fake.runtime.onConnect.listeners[0] as unknown as Call)(port);
      return port;
    };
    for (const sender of [CONTENT_SCRIPT, OTHER_EXTENSION, WEB_PAGE]) expect(connect(sender).disconnect).toHaveBeenCalled();
    const panel = connect(PANEL);
    expect(panel.disconnect).not.toHaveBeenCalled();
    expect(panel.onDisconnect.addListener).toHaveBeenCalled();
  });

  test('a private-window request (Firefox marks it) is never recorded', async () => {
    const before = (await recordsOfTab()).length;
    playRequest('https://cdn.example/private/seg.ts', { incognito: true });
    expect((await recordsOfTab()).length).toBe(before);
  });
});

describe('a re-test through the real listeners', () => {
  test('runs in the recorded document, isolated world; only the first request the listeners see is labelled', async () => {
    const originalId = playRequest('https://cdn.example/rt/seg2.ts');
    fake.scripting.executeScript.mockResolvedValue([{ frameId: 0, documentId: 'DOC-1', result: { started: true } }]);
    const answer = await onMessage({ type: 'retest', tabId: 7, recordId: originalId }, POPUP);
    expect(answer).toEqual({ ok: true, keptUrl: false });
    const [options] = fake.scripting.executeScript.mock.calls.at(-1)! as [{ target: unknown; world: string; args: string[] }];
    expect(options.target).toEqual({ tabId: 7, documentIds: ['DOC-1'] });
    expect(options.world).toBe('ISOLATED');
    const [expectedOrigin, retestUrl] = options.args;
    expect(expectedOrigin).toBe('https://player.example');
    expect(retestUrl).toMatch(/^https:\/\/cdn\.example\/rt\/seg2\.ts\?corsLensRetest=[\w-]+$/);

    const first = playRequest(retestUrl!);
    const replay = playRequest(retestUrl!); // e.g. the page, having learnt the URL, sends it again
    const records = await recordsOfTab();
    expect(records.find((record) => record.id === first)).toMatchObject({ retest: true, retestOf: originalId });
    expect(records.find((record) => record.id === replay)?.retest).toBeUndefined();
  });

  test('a signed URL is sent unchanged and labelled by tab, frame, document and exact URL', async () => {
    const signed = 'https://d1.cloudfront.net/v/seg3.ts?Expires=1&Signature=s~x&Key-Pair-Id=K';
    const originalId = playRequest(signed);
    fake.scripting.executeScript.mockResolvedValue([{ frameId: 0, documentId: 'DOC-1', result: { started: true } }]);
    expect(await onMessage({ type: 'retest', tabId: 7, recordId: originalId }, POPUP)).toEqual({ ok: true, keptUrl: true });
    const [options] = fake.scripting.executeScript.mock.calls.at(-1)! as [{ args: string[] }];
    expect(options.args[1]).toBe(signed);
    const fromOtherFrame = playRequest(signed, { frameId: 4, documentId: 'DOC-9' });
    const retestId = playRequest(signed);
    const records = await recordsOfTab();
    expect(records.find((record) => record.id === fromOtherFrame)?.retest).toBeUndefined();
    expect(records.find((record) => record.id === retestId)).toMatchObject({ retest: true, retestOf: originalId });
  });

  test('refused after the frame changed document: the user is told, nothing is labelled later', async () => {
    const originalId = playRequest('https://cdn.example/gone/seg2.ts');
    fake.scripting.executeScript.mockRejectedValue(new Error('No document with id DOC-1 in tab with id 7.'));
    expect(await onMessage({ type: 'retest', tabId: 7, recordId: originalId }, POPUP)).toEqual({ ok: false, error: '<retestPageGone>' });
    fake.scripting.executeScript.mockResolvedValue([{ frameId: 0, documentId: 'DOC-1', result: { started: false, origin: 'https://other.example' } }]);
    expect(await onMessage({ type: 'retest', tabId: 7, recordId: originalId }, POPUP)).toEqual({ ok: false, error: '<retestOtherOrigin>' });
    const url = (fake.scripting.executeScript.mock.calls.at(-1)![0] as { args: string[] }).args[1]!;
    const later = playRequest(url);
    expect((await recordsOfTab()).find((record) => record.id === later)?.retest).toBeUndefined();
  });
});

describe('the toolbar button while a view is open', () => {
  test('is set once per flush, after the update the view is pushed', async () => {
    const setBadgeText = vi.spyOn(fake.action, 'setBadgeText');
    const messages: unknown[] = [];
    const port = {
      name: tabLogPortName(7),
      sender: POPUP,
      postMessage: (message: unknown) => void messages.push(message),
      disconnect: () => undefined,
      onMessage: { addListener: () => undefined },
      onDisconnect: { addListener: () => undefined },
    };
    (fake.runtime.onConnect.listeners[0] as unknown as Call)(port);
    // A view that holds a complete answer is pushed each update (TabViews.pushUpdate).
    await onMessage({ type: 'get-tab-view', tabId: 7, analysed: true }, POPUP);
    setBadgeText.mockClear();
    playRequest('https://cdn.example/badge/seg1.ts');
    await vi.waitFor(() => expect(messages).toHaveLength(1), { timeout: 5_000 });
    expect(messages[0]).toMatchObject({ type: 'tab-log-changed', tabId: 7, update: {} });
    expect((setBadgeText.mock.calls as unknown as Array<[{ tabId: number }]>).filter(([details]) => details.tabId === 7)).toHaveLength(1);
  });
});
