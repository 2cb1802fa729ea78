/**
 * A 10 000-request log in the DevTools panel (opened from a HAR, since a live tab keeps at most 5 000):
 * the list is virtualised — only rows near the viewport are in the DOM — and scrolling reaches the end.
 * And a live tab past that cap: the popup's per-stream and per-cause counts stay exact after eviction.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { launchChromiumWithExtension, openPopup, tabIdOf, type ChromiumWithExtension } from './support/chromium.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import { DEFAULT_STORE_OPTIONS } from '../../src/background/store.ts';
import { artifactPath } from './support/artifacts.ts';
import { hlsRecord } from '../export/records.ts';
import { analyze } from '../../src/engine/index.ts';
import { toHar } from '../../src/export/index.ts';

const COUNT = 10_000;
let browser: ChromiumWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;
const harPath = artifactPath('large-10k.har');

beforeAll(async () => {
  const records = Array.from({ length: COUNT }, (_, index) => hlsRecord(index + 1));
  await writeFile(harPath, JSON.stringify(toHar(records, analyze(records))));
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  browser = await launchChromiumWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

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

  test('a live tab past the cap: the popup shows exact per-stream and per-cause counts after eviction', { timeout: 240_000 }, async () => {
    // Two streams of one page: 'good' always sends ACAO; 'bad' omits it on segment2 (every 4th of its segments).
    const segments = DEFAULT_STORE_OPTIONS.maxRecordsPerTab + 400;
    const page = await browser.context.newPage();
    const pageUrl = `${pageServer.origin}/blank.html`;
    await page.goto(pageUrl);
    await page.evaluate(
      async ({ base, segments }) => {
        const urls = [`${base}/good/stream.m3u8`, `${base}/bad/stream.m3u8`];
        for (let i = 0; i < segments; i++) urls.push(i % 2 === 0 ? `${base}/good/segment${(i >> 1) % 2}.ts?n=${i}` : `${base}/bad/segment${(i >> 1) % 2 === 0 ? 2 : 3}.ts?n=${i}`);
        let next = 0;
        const worker = async () => {
          while (next < urls.length) {
            const url = urls[next++]!;
            await fetch(url).then((response) => response.arrayBuffer()).catch(() => null); // CORS failures reject
          }
        };
        await Promise.all(Array.from({ length: 12 }, worker));
      },
      { base: mediaServer.origin, segments },
    );
    // The independent count: what the media server received from this page, per folder.
    const served = mediaServer.requests.filter((r) => r.headers.origin === pageServer.origin);
    const expected = {
      good: { total: served.filter((r) => r.path.startsWith('/good/')).length, failing: 0 },
      bad: { total: served.filter((r) => r.path.startsWith('/bad/')).length, failing: served.filter((r) => r.path === '/bad/segment2.ts').length },
    };
    const total = expected.good.total + expected.bad.total;
    expect(total).toBe(segments + 2);
    expect(expected.bad.failing).toBe(Math.ceil(segments / 4));

    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    const popup = await openPopup(browser.context, browser.extensionId, tabId);
    await popup.waitForFunction((count) => document.querySelector('[data-testid="count-media"]')?.textContent === `${count} media requests`, total, { timeout: 120_000 });
    await popup.waitForSelector('[data-testid="streams"][data-exact="true"]');
    const host = new URL(mediaServer.origin).host;
    const stream = async (name: string) => {
      const item = popup.locator(`[data-testid="stream"][data-key="${host}/${name}/"]`);
      return { total: Number(await item.getAttribute('data-total')), failing: Number(await item.getAttribute('data-failing')), text: await item.innerText() };
    };
    const good = await stream('good');
    const bad = await stream('bad');
    expect({ total: good.total, failing: good.failing }).toEqual(expected.good);
    expect({ total: bad.total, failing: bad.failing }).toEqual(expected.bad);
    expect(bad.text).toBe(`${host}/bad/ ${expected.bad.total} requests, ${expected.bad.failing} rejected by CORS`);
    expect(await popup.locator('[data-testid="stream"]').count()).toBe(2);
    expect(await popup.locator('[data-testid="cause"]').evaluateAll((items) => items.map((item) => [item.getAttribute('data-cause'), Number(item.getAttribute('data-count'))]))).toEqual([
      ['MissingAllowOriginHeader', expected.bad.failing],
    ]);
    expect(await popup.locator('[data-testid="count-failing"]').innerText()).toBe(`${expected.bad.failing} rejected by CORS`);
    // The note: how many were dropped, and that the list holds only the newest; together they make the total.
    const note = await popup.locator('[data-testid="evicted-note"]').innerText();
    const [evicted, kept] = [/(\d+) oldest/.exec(note)?.[1], /newest (\d+)/.exec(note)?.[1]].map(Number);
    expect(evicted).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(DEFAULT_STORE_OPTIONS.maxRecordsPerTab);
    expect(evicted! + kept!).toBe(total);
    console.log(`large-log live: ${total} requests, ${evicted} evicted, ${kept} kept; good ${good.total}/${good.failing}, bad ${bad.total}/${bad.failing} (total/failing)`);
    await popup.screenshot({ path: artifactPath('popup-evicted-exact-streams.png') });
  });
});
