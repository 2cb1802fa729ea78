/**
 * A 10 000-request log in the DevTools panel (opened from a HAR, since a live tab keeps at most 5 000):
 * the list is virtualised — only rows near the viewport are in the DOM — and scrolling reaches the end.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium.ts';
import { artifactPath } from './support/artifacts.ts';
import { hlsRecord } from '../export/records.ts';
import { analyze } from '../../src/engine/index.ts';
import { toHar } from '../../src/export/index.ts';

const COUNT = 10_000;
let browser: ChromiumWithExtension;
const harPath = artifactPath('large-10k.har');

beforeAll(async () => {
  const records = Array.from({ length: COUNT }, (_, index) => hlsRecord(index + 1));
  await writeFile(harPath, JSON.stringify(toHar(records, analyze(records))));
  browser = await launchChromiumWithExtension();
});

afterAll(async () => browser?.close());

describe('large log', () => {
  test('10 000 rows: virtualised, scrolls to the last row', async () => {
    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 1200, height: 800 });
    await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=1`);
    await panel.setInputFiles('[data-testid="import-file"]', harPath);
    await panel.waitForSelector('[data-testid="imported-banner"]', { timeout: 60_000 });
    await panel.waitForSelector('[data-testid="request-row"]');
    expect(await panel.getAttribute('[data-testid="requests"]', 'data-virtual')).toBe('true');
    expect(await panel.locator('[data-testid="count-media"]').innerText()).toBe(`${COUNT} media requests`);
    const inDom = await panel.locator('[data-testid="request-row"]').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(150);
    // The last request in the log is the last row of the last group once scrolled to the end.
    await panel.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await panel.waitForSelector(`[data-testid="request-row"][data-file="seg${COUNT - 1}.ts"], [data-testid="request-row"][data-file="seg${COUNT}.ts"]`, { timeout: 20_000 });
    expect(await panel.locator('[data-testid="request-row"]').count()).toBeLessThan(150);
    await panel.screenshot({ path: artifactPath('panel-10k-end.png') });
  });
});
