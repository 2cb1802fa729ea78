/**
 * What the popup shows when part of the work fails, in real Chromium: a rule that threw (its error is
 * listed above the cards; every row and the other cards are still there) and a background that does
 * not answer (the detail and the export say so, instead of waiting forever or saving nothing).
 *
 * An init script wraps the popup page's chrome.runtime.sendMessage: answers to get-tab-view gain a rule
 * error in their summary (the engine side, a rule really throwing, is unit-tested in
 * test/engine/analyze-isolation.test.ts), and get-records / get-tab-log (get-tab-view with ?failLoad)
 * throw as a messaging failure does.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium.ts';
import { readPopup } from './support/popup.ts';
import { hlsPageUrl, playToEndAndOpenPopup } from './support/recording.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';

const RULE_ERROR = { ruleId: 'cdn-ignores-vary-origin', message: 'TypeError: broken on purpose' };

/** Plain JavaScript, run before the page's own scripts (source text: transpiler helpers do not exist there). */
const WRAP_MESSAGING = `(() => {
  if (location.protocol !== 'chrome-extension:' || !location.pathname.endsWith('/popup.html')) return;
  const runtime = chrome.runtime;
  const original = runtime.sendMessage.bind(runtime);
  runtime.sendMessage = (message, ...rest) => {
    const type = message && message.type;
    const failing = new URLSearchParams(location.search).has('failLoad') ? ['get-tab-view'] : ['get-records', 'get-tab-log'];
    if (failing.includes(type)) throw new Error('no answer to ' + type);
    const withRuleError = (answer) => {
      if (type === 'get-tab-view' && answer && answer.summary) answer.summary.ruleErrors = [${JSON.stringify(RULE_ERROR)}];
      return answer;
    };
    // Called with a callback (the polyfill over chrome.*) or for a promise (a browser with its own browser.*).
    const callback = typeof rest[rest.length - 1] === 'function' ? rest.pop() : null;
    if (callback) return original(message, ...rest, (answer) => callback(withRuleError(answer)));
    return original(message, ...rest).then(withRuleError);
  };
})()`;

let browser: ChromiumWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;
let popup: Page;
let tabId: number;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  browser = await launchChromiumWithExtension();
  await browser.context.addInitScript(WRAP_MESSAGING);
  ({ popup, tabId } = await playToEndAndOpenPopup(browser, hlsPageUrl(pageServer, mediaServer, '/failures/stream.m3u8'), mediaServer, '/failures/'));
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

describe('failures in the popup', () => {
  test('a rule error is listed above the cards; the rows and the other findings are all there', async () => {
    const errors = popup.locator('[data-testid="rule-errors"]');
    await errors.waitFor();
    expect(await errors.getAttribute('role')).toBe('alert');
    expect(await errors.innerText()).toContain('Some checks stopped with an error');
    const item = errors.locator('[data-testid="rule-error"]');
    expect(await item.getAttribute('data-rule')).toBe(RULE_ERROR.ruleId);
    expect(await item.innerText()).toBe(`${RULE_ERROR.ruleId}: ${RULE_ERROR.message}`);
    const view = await readPopup(popup);
    expect(view.rows.filter((row) => row.outcome === 'fail').map((row) => row.file)).toEqual(['segment2.ts', 'segment2.ts']);
    expect(view.findings.length).toBeGreaterThan(0);
  });

  test('a detail whose record cannot be fetched says so', async () => {
    await popup.click('[data-testid="request-row"][data-outcome="fail"]');
    const failed = popup.locator('[data-testid="detail-failed"]');
    await failed.waitFor();
    expect(await failed.innerText()).toContain('The detail of segment2.ts could not be loaded: no answer to get-records');
    expect(await popup.locator('[data-testid="detail-gone"]').count()).toBe(0);
  });

  test('an export whose log cannot be fetched says nothing was saved', async () => {
    await popup.click('[data-testid="export-json"]');
    const failures = popup.locator('[data-testid="failures"]');
    await failures.waitFor();
    expect(await failures.innerText()).toContain('The JSON export failed and nothing was saved: no answer to get-tab-log');
    // An action's failure offers no "try again" of the log's load (that one worked).
    expect(await failures.locator('[data-testid="try-again"]').count()).toBe(0);
  });

  test('a log that cannot be loaded says so instead of loading forever, and offers to try again', async () => {
    const failing = await browser.context.newPage();
    await failing.goto(`chrome-extension://${browser.extensionId}/src/ui/popup/popup.html?tabId=${tabId}&failLoad`);
    const failures = failing.locator('[data-testid="failures"]');
    await failures.waitFor();
    expect(await failures.innerText()).toContain("The log could not be loaded from the extension's background: no answer to get-tab-view");
    expect(await failures.locator('[data-testid="try-again"]').count()).toBe(1);
    // The rows stored beside the records are read from storage.session by the page itself, so they
    // are still shown while the background cannot answer (docs/budgets.md: the popup in one frame).
    expect(await failing.locator('[data-testid="request-row"]').count()).toBeGreaterThan(0);
    await failing.close();
  });
});
