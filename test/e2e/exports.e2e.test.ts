/**
 * Exports and imports as a person uses them, in real Chromium: HAR (valid HAR 1.2), CSV and JSON
 * downloads from the popup, redacted unless "keep secrets" is ticked; copy-as-curl in the detail view;
 * and the DevTools panel opening a Chrome DevTools HAR, a CORS Lens HAR, and a broken file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium.ts';
import { copiedTexts, readPopup, recordClipboard } from './support/popup.ts';
import { artifactPath } from './support/artifacts.ts';
import { downloadText as download, hlsPageUrl, playToEndAndOpenPopup } from './support/recording.ts';
import { startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import { validateHar } from '../export/har-validator.ts';

let browser: ChromiumWithExtension;
let pageServer: RunningServer;
let mediaServer: RunningServer;
let popup: Page;
let tabId: number;

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  browser = await launchChromiumWithExtension();
  // A signed-URL parameter in the stream URL, to see redaction at work.
  const pageUrl = hlsPageUrl(pageServer, mediaServer, '/exports/stream.m3u8?Signature=s3cr3t');
  ({ popup, tabId } = await playToEndAndOpenPopup(browser, pageUrl, mediaServer, '/exports/'));
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

describe('exports from the popup', () => {
  test('HAR: valid HAR 1.2, verdicts and causes in _corsLens, redacted by default', async () => {
    const text = await download(popup, 'export-har');
    const har = JSON.parse(text) as { log: { creator: { name: string }; entries: Array<{ request: { url: string }; _corsLens?: { verdict?: { outcome: string; chromiumError?: string } } }> } };
    expect(validateHar(har)).toEqual([]);
    expect(har.log.creator.name).toBe('CORS Lens');
    const failing = har.log.entries.filter((entry) => entry._corsLens?.verdict?.outcome === 'fail');
    expect(failing.map((entry) => entry.request.url.split('/').pop())).toEqual(['segment2.ts', 'segment2.ts']);
    expect(failing.every((entry) => entry._corsLens?.verdict?.chromiumError === 'MissingAllowOriginHeader')).toBe(true);
    expect(text).not.toContain('s3cr3t');
    await writeFile(artifactPath('export.har'), text);
  });

  test('CSV: one row per request plus the header; keep secrets is an explicit opt-out', async () => {
    const csv = await download(popup, 'export-csv');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength((await readPopup(popup)).rows.length + 1);
    expect(lines.filter((line) => line.includes('segment2.ts') && line.includes('MissingAllowOriginHeader'))).toHaveLength(2);
    expect(csv).not.toContain('s3cr3t');
    await popup.check('[data-testid="export-keep-secrets"]');
    const unredacted = await download(popup, 'export-json');
    expect(unredacted).toContain('s3cr3t');
    expect(JSON.parse(unredacted).redacted).toBe(false);
    await popup.uncheck('[data-testid="export-keep-secrets"]');
  });

  test('copy as curl: one shell-quoted line that sends the page Origin', async () => {
    await popup.click('[data-testid="request-row"][data-outcome="fail"]');
    const line = await popup.locator('[data-testid="curl-line"]').innerText();
    expect(line).toMatch(/^curl /);
    expect(line).toContain(`-H 'Origin: ${pageServer.origin}'`);
    // The URL reads as it is: bare or in single quotes, never with backslash escapes.
    expect(line).toContain(`${mediaServer.origin}/exports/segment2.ts`);
    expect(line).not.toContain('\\');
    expect(line).not.toContain('\n');
    await popup.click('[data-testid="close-detail"]');
  });

  test('Copy as curl copies a signed URL redacted, and whole only once keep secrets is ticked', async () => {
    await recordClipboard(popup);
    const copyCurlOfPlaylist = async (): Promise<string> => {
      const before = (await copiedTexts(popup)).length;
      await popup.click('[data-testid="request-row"][data-file="stream.m3u8"]');
      await popup.click('[data-testid="copy-curl"]');
      await popup.waitForFunction((count) => ((window as unknown as { __copiedTexts: string[] }).__copiedTexts.length > count), before);
      const copied = (await copiedTexts(popup)).at(-1)!;
      // What is shown is what is copied.
      expect(await popup.locator('[data-testid="curl-line"]').innerText()).toBe(copied);
      await popup.click('[data-testid="close-detail"]');
      return copied;
    };
    const redacted = await copyCurlOfPlaylist();
    expect(redacted).toContain('/exports/stream.m3u8?Signature=%5Bredacted%5D');
    expect(redacted).not.toContain('s3cr3t');
    await popup.check('[data-testid="export-keep-secrets"]');
    expect(await copyCurlOfPlaylist()).toContain('Signature=s3cr3t');
    await popup.uncheck('[data-testid="export-keep-secrets"]');
  });
});

describe('import in the DevTools panel', () => {
  let panel: Page;
  beforeAll(async () => {
    panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 1200, height: 800 });
    await panel.goto(`chrome-extension://${browser.extensionId}/src/ui/devtools/panel.html?tabId=${tabId}`);
    await panel.waitForSelector('[data-testid="request-row"]');
  });

  test('a CORS Lens HAR gives the same diagnosis as the live log', async () => {
    const live = await readPopup(panel);
    await panel.setInputFiles('[data-testid="import-file"]', artifactPath('export.har'));
    await panel.waitForSelector('[data-testid="imported-banner"]');
    const imported = await readPopup(panel);
    expect(imported.rows.map((row) => [row.file, row.outcome])).toEqual(live.rows.map((row) => [row.file, row.outcome]));
    expect(imported.findings.map((finding) => finding.cause)).toEqual(live.findings.map((finding) => finding.cause));
    await panel.click('[data-testid="back-to-live"]');
  });

  let rowsOfDevtoolsHar = 0;
  test('a Chrome DevTools HAR opens and is diagnosed', async () => {
    const fixture = path.resolve('test/fixtures/har/chrome-devtools-hls.har');
    await panel.setInputFiles('[data-testid="import-file"]', fixture);
    await panel.waitForSelector('[data-testid="imported-banner"]');
    const view = await readPopup(panel);
    expect(view.rows.length).toBeGreaterThan(0);
    rowsOfDevtoolsHar = view.rows.length;
    expect(await panel.locator('[data-testid="imported-banner"]').innerText()).toContain('chrome-devtools-hls.har');
    await panel.screenshot({ path: artifactPath('panel-imported-chrome-har.png') });
    await panel.click('[data-testid="back-to-live"]');
  });

  test('a HAR with a bad entry opens with the others, and says which entry was left out and why', async () => {
    const har = JSON.parse(await readFile(path.resolve('test/fixtures/har/chrome-devtools-hls.har'), 'utf8')) as { log: { entries: Array<Record<string, unknown>> } };
    har.log.entries.splice(1, 0, { ...har.log.entries[0], request: 'not a request' });
    await panel.setInputFiles('[data-testid="import-file"]', { name: 'one-bad-entry.har', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(har)) });
    await panel.waitForSelector('[data-testid="imported-banner"]');
    // The previous test opened the same file without the bad entry: the same requests are listed.
    expect(await panel.locator('[data-testid="imported-banner"]').innerText()).toContain(`${rowsOfDevtoolsHar} requests from the file, 1 skipped`);
    expect((await readPopup(panel)).rows).toHaveLength(rowsOfDevtoolsHar);
    await panel.click('[data-testid="import-warnings"] summary');
    expect(await panel.locator('[data-testid="import-warnings"]').innerText()).toContain('Entry 2 was skipped: it has no request.');
    await panel.screenshot({ path: artifactPath('panel-import-warnings.png') });
    await panel.click('[data-testid="back-to-live"]');
  });

  test('a broken file gets a clear message and the live log stays', async () => {
    await panel.setInputFiles('[data-testid="import-file"]', { name: 'broken.har', mimeType: 'application/json', buffer: Buffer.from('{"log": {"entries": [') });
    const error = await panel.locator('[data-testid="import-error"]').innerText();
    expect(error).toContain('broken.har');
    // The live log (reloaded by the previous test's back-to-live) stays: its rows come back, none are lost.
    await panel.waitForFunction(() => document.querySelectorAll('[data-testid="request-row"]').length > 0);
    expect((await readPopup(panel)).rows.length).toBeGreaterThan(0);
  });
});
