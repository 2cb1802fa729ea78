/**
 * A rejected request that no rule explains (here a preflight captured without the headers a rule
 * reads, as one that started before Chromium's header listeners were on) is counted in the header as
 * rejected; the diagnosis must then say it is there, never "no rejected response so far". Real
 * popup, real worker restoring a stored log.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, stopServiceWorker, type ChromiumWithExtension } from './support/chromium.ts';
import { popupUrlOf, storedLogItems } from '../../scripts/bench/browser.ts';
import { hlsRecord, PAGE_ORIGIN } from '../export/records.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import { LOOKED_FOR } from '../../src/engine/rules/lib/looked-for.ts';
import { readFileSync } from 'node:fs';

const ENGLISH = JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, { message: string }>;

const WITH_REJECTION = 626201;
const WITHOUT_REJECTION = 626202;
let browser: ChromiumWithExtension;
let helper: Page;

/**
 * Segments with Access-Control-Allow-Origin (hlsRecord gives every seventh none: indexes 1–3 have it)
 * and Timing-Allow-Origin (without it a piece of advice would be the one card).
 */
const passing = (): RequestRecord[] =>
  [1, 2, 3].map((index) => {
    const record = hlsRecord(index);
    return { ...record, responseHeaders: [...(record.responseHeaders ?? []), ['timing-allow-origin', '*']] };
  });

/** A preflight the CDN refused, seen without its Access-Control-Request-* headers. */
const preflightWithoutItsHeaders = (): RequestRecord =>
  hlsRecord(4, {
    id: 'preflight-without-headers',
    method: 'OPTIONS',
    resourceType: 'other',
    requestHeaders: [
      ['origin', PAGE_ORIGIN],
      ['sec-fetch-mode', 'cors'],
    ],
    requestHeadersComplete: false,
    status: 403,
    statusLine: 'HTTP/1.1 403',
    responseHeaders: [
      ['server', 'AmazonS3'],
      ['x-cache', 'Error from cloudfront'],
    ],
    error: 'net::ERR_FAILED',
    state: 'error',
  });

async function diagnosisOf(tabId: number): Promise<{ note: string; counts: string; rejected: string | null; cards: number; lookedFor: string[] }> {
  const popup = await browser.context.newPage();
  await popup.goto(popupUrlOf(browser.extensionId, tabId));
  // The whole-log analysis: the restarted worker answers it after the stored first screen.
  await popup.waitForSelector('[data-testid="findings"] [data-testid="no-findings"], [data-testid="findings"] [data-testid="finding"]');
  const shown = (await popup.evaluate(`({
    note: document.querySelector('[data-testid="no-findings"]')?.textContent ?? '',
    counts: document.querySelector('[data-testid="counts"]')?.textContent ?? '',
    rejected: document.querySelector('[data-testid="no-findings"]')?.getAttribute('data-rejected') ?? null,
    cards: document.querySelectorAll('[data-testid="finding"]').length,
    lookedFor: [...document.querySelectorAll('[data-testid="looked-for"] li')].map((item) => item.textContent),
  })`)) as { note: string; counts: string; rejected: string | null; cards: number; lookedFor: string[] };
  await popup.close();
  return shown;
}

beforeAll(async () => {
  browser = await launchChromiumWithExtension();
  const items = {
    ...(await storedLogItems(WITH_REJECTION, [...passing(), preflightWithoutItsHeaders()])).items,
    ...(await storedLogItems(WITHOUT_REJECTION, passing())).items,
  };
  await browser.serviceWorker.evaluate((seeded) => chrome.storage.session.set(seeded), items);
  helper = await browser.context.newPage();
  // A restarted worker restores the stored logs, as after the browser stopped it.
  const restarted = await stopServiceWorker(browser.context, helper);
  await diagnosisOf(WITHOUT_REJECTION);
  await restarted.waitUntilRunning();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('a rejection no rule explains', () => {
  test('the diagnosis says how many were rejected, matching the header', async () => {
    const shown = await diagnosisOf(WITH_REJECTION);
    expect(shown.cards).toBe(0);
    expect(shown.counts).toContain('1 rejected by CORS');
    expect(shown.rejected).toBe('1');
    expect(shown.note).toContain('1 of 4 requests was rejected by the browser');
    expect(shown.note).not.toContain('No rejected response');
  });

  test('with nothing rejected it still says so', async () => {
    const shown = await diagnosisOf(WITHOUT_REJECTION);
    expect(shown.cards).toBe(0);
    expect(shown.rejected).toBeNull();
    expect(shown.note).toContain('No rejected response so far (3 requests checked)');
    // What "nothing" covers: a line for each group of rules, as the rules name them (looked-for.ts).
    expect(shown.lookedFor).toEqual(LOOKED_FOR.map((line) => ENGLISH[`lookedFor_${line}`]!.message));
  });
});
