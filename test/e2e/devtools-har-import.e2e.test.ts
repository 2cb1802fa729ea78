/**
 * A CORS Lens HAR opens in Chrome DevTools' own Network panel: the HAR is downloaded from the popup
 * after a real playback (one segment rejected by CORS), then imported with the panel's "Import HAR
 * file…" button in the DevTools front-end that Debian's Chromium ships. The panel must list every
 * exported request — its log and its table — with the URLs, statuses and sizes of the file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchChromiumWithExtension, type ChromiumWithExtension } from './support/chromium.ts';
import { openDevToolsNetworkPanel, type DevToolsNetworkPanel } from './support/devtools-frontend.ts';
import { readPopup } from './support/popup.ts';
import { artifactPath } from './support/artifacts.ts';
import { downloadText, hlsPageUrl, playToEndAndOpenPopup } from './support/recording.ts';
import { mediaDir, startMediaServer, startPageServer, type RunningServer } from './support/servers.ts';
import type { Har } from '../../src/export/har.ts';

let browser: ChromiumWithExtension;
let devtools: DevToolsNetworkPanel;
let pageServer: RunningServer;
let mediaServer: RunningServer;
let har: Har;
let popupRows: number;
const harPath = artifactPath('devtools-import.har');

beforeAll(async () => {
  pageServer = await startPageServer();
  mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
  browser = await launchChromiumWithExtension();
  const { popup } = await playToEndAndOpenPopup(browser, hlsPageUrl(pageServer, mediaServer, '/devtools-har/stream.m3u8'), mediaServer, '/devtools-har/');
  popupRows = (await readPopup(popup)).rows.length;
  const text = await downloadText(popup, 'export-har');
  har = JSON.parse(text) as Har;
  await writeFile(harPath, text);
  // The recording browser is done; DevTools runs in a browser of its own, as for someone sent the file.
  await browser.close();
  devtools = await openDevToolsNetworkPanel();
});

afterAll(async () => {
  await devtools?.close();
  await browser?.close();
  await pageServer?.close();
  await mediaServer?.close();
});

/** HAR entries in the order DevTools lists them (its importer sorts by startedDateTime; the sort is stable). */
const inDevToolsOrder = (entries: Har['log']['entries']) => [...entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));

describe("Chrome DevTools' Network panel imports a CORS Lens HAR", () => {
  test('every exported request is listed with its URL, status and size', async () => {
    const entries = inDevToolsOrder(har.log.entries);
    const failing = entries.filter((entry) => entry._corsLens.verdict?.outcome === 'fail');
    // The file holds the whole playback: one entry per popup row, the rejected segment among them.
    expect(entries).toHaveLength(popupRows);
    expect(failing.map((entry) => path.basename(new URL(entry.request.url).pathname))).toEqual(['segment2.ts', 'segment2.ts']);

    await devtools.importHar(harPath);

    const requests = await devtools.requests();
    expect(requests.every((request) => request.imported)).toBe(true);
    expect(requests.map((request) => request.url)).toEqual(entries.map((entry) => entry.request.url));
    expect(requests.map((request) => request.status)).toEqual(entries.map((entry) => entry.response.status));
    expect(requests.map((request) => request.resourceType)).toEqual(entries.map((entry) => entry._resourceType));
    // Transferred bytes come from the file too: a segment is as large as the file the server sent.
    for (const request of requests.filter((candidate) => candidate.url.endsWith('.ts'))) {
      expect(request.transferSize).toBe(statSync(path.join(mediaDir, path.basename(new URL(request.url).pathname))).size);
    }

    // What a person sees: the table's rows, the rejected segment among them.
    await devtools.frontEnd.waitForFunction((count) => document.querySelectorAll('tr.data-grid-data-grid-node[data-network-request-id]').length >= count, entries.length);
    const rows = await devtools.rows();
    expect(rows.map((row) => row.url)).toEqual(entries.map((entry) => entry.request.url));
    expect(rows.filter((row) => row.url === failing[0]!.request.url)).toHaveLength(2);
    expect(rows.map((row) => row.status)).toEqual(entries.map((entry) => `${entry.response.status} ${entry.response.statusText}`));
    expect(await devtools.frontEnd.getByText(`${entries.length} requests`, { exact: true }).count()).toBe(1);
    console.log(`DevTools (${devtools.browserVersion}) lists ${rows.length} of ${entries.length} exported requests; sizes: ${rows.map((row) => row.size.split(',')[0]).join(' | ')}`);
    await devtools.frontEnd.screenshot({ path: artifactPath('devtools-network-imported-har.png') });
  });

  test('a file DevTools cannot read is reported by DevTools (so the import above could have failed)', async () => {
    const brokenPath = artifactPath('devtools-import-broken.har');
    await writeFile(brokenPath, '{"log": {"entries": [');
    await expect(devtools.importHar(brokenPath)).rejects.toThrow(/Failed to load HAR file/);
  });
});
