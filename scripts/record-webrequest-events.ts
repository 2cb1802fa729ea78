/**
 * Records the raw webRequest event sequences of a real hls.js playback (segment2 without ACAO) in
 * Chromium and Firefox, into test/fixtures/webrequest/*.json: the recorder's unit tests replay them.
 * Run: npx tsx scripts/record-webrequest-events.ts (needs /usr/bin/chromium and /usr/bin/firefox-esr).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, waitForPlayerDone } from '../test/e2e/support/chromium.ts';
import { launchFirefoxWithExtension, openExtensionPage, pollPage } from '../test/e2e/support/firefox.ts';
import { startMediaServer, startPageServer } from '../test/e2e/support/servers.ts';

const GECKO_ID = 'webrequest-recorder@cors-lens.dev';
const UUID = '5a1c7e2e-8c1b-4f5e-9d7a-c0a5e1e05002';
const outDir = path.resolve('test/fixtures/webrequest');

/** A throwaway extension that only logs every webRequest event with all its details. */
const BACKGROUND = `
const events = [];
globalThis.__events = events;
const api = globalThis.browser ?? chrome;
const extra = api.webRequest.OnBeforeSendHeadersOptions?.EXTRA_HEADERS ? ['extraHeaders'] : [];
const filter = { urls: ['<all_urls>'] };
const add = (name, spec) => {
  const listener = (details) => { if (details.tabId >= 0) events.push({ event: name, details }); };
  if (spec) api.webRequest[name].addListener(listener, filter, spec); else api.webRequest[name].addListener(listener, filter);
};
add('onBeforeRequest');
add('onBeforeSendHeaders', ['requestHeaders', ...extra]);
add('onSendHeaders', ['requestHeaders', ...extra]);
add('onHeadersReceived', ['responseHeaders', ...extra]);
add('onResponseStarted', ['responseHeaders', ...extra]);
add('onBeforeRedirect', ['responseHeaders', ...extra]);
add('onCompleted', ['responseHeaders', ...extra]);
add('onErrorOccurred', extra.length ? extra : undefined);
api.runtime.onMessage.addListener((message) => message === 'dump' ? Promise.resolve(events) : undefined);
`;

async function writeExtension(target: 'chrome' | 'firefox'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `wr-recorder-${target}-`));
  const manifest: Record<string, unknown> = {
    manifest_version: 3,
    name: 'webRequest recorder',
    version: '1.0',
    permissions: ['webRequest'],
    host_permissions: ['<all_urls>'],
    background: target === 'chrome' ? { service_worker: 'bg.js' } : { scripts: ['bg.js'] },
  };
  if (target === 'firefox') manifest.browser_specific_settings = { gecko: { id: GECKO_ID, data_collection_permissions: { required: ['none'] } } };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(path.join(dir, 'bg.js'), BACKGROUND);
  await writeFile(path.join(dir, 'dump.html'), '<!doctype html><title>dump</title>');
  return dir;
}

/** Replaces the ephemeral ports and ids so the fixture is stable and readable. */
function stabilise(events: unknown[], pageOrigin: string, mediaOrigin: string): unknown[] {
  const text = JSON.stringify(events).replaceAll(pageOrigin, 'http://127.0.0.1:8000').replaceAll(mediaOrigin, 'http://localhost:9000');
  return JSON.parse(text.replace(/"(host)","value":"(127\.0\.0\.1|localhost):\d+"/g, '"$1","value":"$2:PORT"')) as unknown[];
}

const pageServer = await startPageServer();
const mediaServer = await startMediaServer({ withoutAllowOrigin: new Set(['segment2.ts']) });
const pageUrl = (prefix: string) => `${pageServer.origin}/hls.html?src=${encodeURIComponent(`${mediaServer.origin}/${prefix}/stream.m3u8`)}`;
try {
  {
    const dir = await writeExtension('chrome');
    const profile = await mkdtemp(path.join(tmpdir(), 'wr-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, ...CHROMIUM_ARGS],
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const page = await context.newPage();
    await page.goto(pageUrl('chromium'));
    await waitForPlayerDone(page);
    const events = await worker.evaluate(() => (globalThis as unknown as { __events: unknown[] }).__events);
    await writeFile(path.join(outDir, 'chromium-hls-segment2-no-acao.json'), `${JSON.stringify(stabilise(events, pageServer.origin, mediaServer.origin), null, 1)}\n`);
    await context.close();
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    await rm(dir, { recursive: true, force: true });
  }
  {
    const dir = await writeExtension('firefox');
    const firefox = await launchFirefoxWithExtension(dir, { geckoId: GECKO_ID, uuid: UUID });
    const { browser } = firefox;
    const page = await browser.newPage();
    await page.goto(pageUrl('firefox'));
    await pollPage(page, () => (window as unknown as { __player: { done: boolean } }).__player.done, (done) => done, 60_000);
    const dump = await browser.newPage();
    await openExtensionPage(dump, `${firefox.extensionBase}/dump.html`);
    const events = await dump.evaluate(() => (globalThis as unknown as { browser: { runtime: { sendMessage(m: string): Promise<unknown[]> } } }).browser.runtime.sendMessage('dump'));
    await writeFile(path.join(outDir, 'firefox-hls-segment2-no-acao.json'), `${JSON.stringify(stabilise(events, pageServer.origin, mediaServer.origin), null, 1)}\n`);
    await firefox.close();
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await pageServer.close();
  await mediaServer.close();
}
console.log(`wrote ${outDir}`);
