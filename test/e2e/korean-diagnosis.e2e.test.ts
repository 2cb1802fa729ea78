/**
 * The engine's own words in a Korean UI: with Chromium in Korean, a stream whose cached segments lack
 * CORS gets finding cards, fix steps and a verdict explanation in Korean — not the English sentences
 * the engine keeps for exports. The screenshot lands in test-results/ to be looked at.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromiumWithExtension, openPopup, tabIdOf, waitForPlayerDone, type ChromiumWithExtension } from './support/chromium.ts';
import { artifactPath } from './support/artifacts.ts';
import { readPopup } from './support/popup.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';

type Messages = Record<string, { message: string }>;
const en = JSON.parse(readFileSync(fileURLToPath(new URL('../../public/_locales/en/messages.json', import.meta.url)), 'utf8')) as Messages;
const HANGUL = /[\uac00-\ud7a3]/;

/** The English wording of a family of keys: the literal stretches between placeholders, long enough to be telling. */
function englishPhrases(keyPrefixes: readonly string[]): string[] {
  return Object.entries(en)
    .filter(([key]) => keyPrefixes.some((prefix) => key.startsWith(prefix)))
    .flatMap(([, entry]) => entry.message.split(/\$[A-Z0-9_]+\$/))
    .map((part) => part.trim())
    .filter((part) => part.length >= 16);
}

let pageServer: RunningServer;
let mediaServer: RunningServer;
let browser: ChromiumWithExtension;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  browser = await launchChromiumWithExtension(undefined, { lang: 'ko' });
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

describe('Chromium in Korean', () => {
  test('finding cards, fix steps and the verdict explanation are Korean', async () => {
    const player = await browser.context.newPage();
    const pageUrl = `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/korean/stream.m3u8`)}`;
    await player.goto(pageUrl);
    await waitForPlayerDone(player);
    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    const popup = await openPopup(browser.context, browser.extensionId, tabId);
    await popup.setViewportSize({ width: 800, height: 1400 });
    await popup.waitForFunction(() => document.querySelectorAll('[data-testid="finding"] [data-testid="fix"]').length > 0);

    const view = await readPopup(popup);
    expect(view.failing).toBe('CORS 거부 2개');
    const errors = view.findings.filter((finding) => finding.severity === 'error');
    expect(errors.map((finding) => finding.rule)).toContain('cached-response-without-cors');
    for (const finding of errors) {
      const ruleKey = `rule_${finding.rule.replace(/-/g, '_')}_`;
      expect(finding.message, finding.rule).toMatch(HANGUL);
      expect(finding.fix, finding.rule).toMatch(HANGUL);
      for (const phrase of englishPhrases([ruleKey])) expect(finding.message, `${finding.rule} still says "${phrase}"`).not.toContain(phrase);
      for (const phrase of englishPhrases([`${ruleKey}fix_`, 'fix_'])) expect(finding.fix, `${finding.rule} fix still says "${phrase}"`).not.toContain(phrase);
      // Code stays as it is: the CLI lines and header names are the same in every language.
      expect(finding.fix).toMatch(/^1\. /);
    }
    const poisoned = errors.find((finding) => finding.rule === 'cached-response-without-cors')!;
    expect(poisoned.message).toContain('Access-Control-Allow-Origin');
    expect(poisoned.message).toContain('Hit from cloudfront');
    expect(poisoned.fix).toContain('curl -sS -D - -o /dev/null -H');

    await popup.click('[data-testid="filter-failing"]');
    await popup.click('[data-testid="request-row"]');
    const explanation = popup.locator('[data-testid="request-detail"] [data-testid="verdict-explanation"]');
    await expect.poll(() => explanation.count()).toBe(1);
    const sentence = await explanation.innerText();
    expect(sentence).toMatch(HANGUL);
    expect(sentence).toContain('Access-Control-Allow-Origin');
    expect(sentence).not.toContain('has no Access-Control-Allow-Origin header');
    expect(await popup.locator('[data-testid="chromium-error"]').innerText()).toBe('MissingAllowOriginHeader');
    // The request list's reason column says the same, in Korean.
    const reason = await popup.locator('[data-testid="request-row"] [data-testid="reason"]').first().innerText();
    expect(reason).toMatch(HANGUL);
    expect(reason).not.toContain('has no Access-Control-Allow-Origin header');
    await popup.screenshot({ path: artifactPath('popup-ko-diagnosis.png'), fullPage: true });
    await popup.close();
    await player.close();
  });
});
