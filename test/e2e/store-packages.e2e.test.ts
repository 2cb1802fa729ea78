/**
 * The store packages as a store (and then a user) gets them, written by the same code as
 * `npm run package` from the build `npm run test:e2e` just made: AMO's linter finds nothing in the
 * Firefox package; the Chrome zip — also the Edge Add-ons package, Edge being Chromium with the same
 * MV3 — unpacked and loaded in Chromium shows its icons and shortcut, opens the first-run page once and
 * explains an empty tab (both pass axe-core, light and dark); the .xpi unpacked and loaded in Firefox
 * does the same.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lintFirefoxPackage, packageVersion, unzipTo, writeBrowserPackages } from '../../scripts/store/packages.ts';
import { launchChromiumWithExtension, openPopup, tabIdOf, type ChromiumWithExtension } from './support/chromium.ts';
import { launchFirefoxWithExtension, openExtensionPage, pollPage, pollUntil, type FirefoxWithExtension } from './support/firefox.ts';
import { startPageServer, type RunningServer } from './support/servers.ts';
import { artifactPath } from './support/artifacts.ts';
import { seriousViolations } from './support/axe.ts';

const en = JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, { message: string }>;
const text = (key: string) => en[key]!.message;

let work: string;
let unpacked: { chrome: string; firefox: string };
let pageServer: RunningServer;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'cors-lens-packages-'));
  const packages = writeBrowserPackages(work, packageVersion());
  unpacked = { chrome: path.join(work, 'chrome'), firefox: path.join(work, 'firefox') };
  unzipTo(packages.chrome, unpacked.chrome);
  unzipTo(packages.firefox, unpacked.firefox);
  pageServer = await startPageServer();
});

afterAll(async () => {
  await pageServer?.close();
  rmSync(work, { recursive: true, force: true });
});

test('web-ext lint on the Firefox package: 0 errors and 0 warnings', () => {
  const lint = lintFirefoxPackage(unpacked.firefox);
  expect(lint.problems).toEqual([]);
  expect({ errors: lint.errors, warnings: lint.warnings }).toEqual({ errors: 0, warnings: 0 });
});

test('both packages\' pages carry their styles in the page, and the popup its code in one file', () => {
  for (const dir of [unpacked.chrome, unpacked.firefox]) {
    for (const page of ['src/ui/popup/popup.html', 'src/ui/devtools/panel.html']) {
      const html = readFileSync(path.join(dir, page), 'utf8');
      expect(html, `${dir}/${page}`).not.toMatch(/<link rel="stylesheet"/);
      expect(html, `${dir}/${page}`).toMatch(/<style>[^<]*\.finding/);
    }
    // The popup loads one script file, with nothing to preload (scripts/build/single-script-pages.ts).
    const popup = readFileSync(path.join(dir, 'src/ui/popup/popup.html'), 'utf8');
    expect(popup.match(/<script\b/g), dir).toHaveLength(1);
    expect(popup, dir).toMatch(/<script type="module" crossorigin src="\/assets\/popup-page\.js"><\/script>/);
    expect(popup, dir).not.toMatch(/modulepreload/);
    expect(readFileSync(path.join(dir, 'assets/popup-page.js'), 'utf8'), dir).not.toMatch(/\bimport\s*[("'{*]|\bfrom\s*["']/);
  }
});

describe('the Chrome / Edge package in Chromium', () => {
  let browser: ChromiumWithExtension;
  beforeAll(async () => {
    browser = await launchChromiumWithExtension(unpacked.chrome);
  });
  afterAll(async () => browser?.close());

  test('icons, the popup shortcut, and the first-run page opened once after install', async () => {
    const welcome = browser.context.pages().find((page) => page.url().endsWith('/welcome.html')) ?? (await browser.context.waitForEvent('page', { predicate: (page) => page.url().endsWith('/welcome.html') }));
    await welcome.waitForSelector('[data-testid="shortcut"]');
    expect(await welcome.locator('h1').innerText()).toBe(text('welcomeTitle'));
    expect(await welcome.getByTestId('shortcut').innerText()).toContain('Alt+Shift+L');
    await welcome.screenshot({ path: artifactPath('store-first-run-chromium.png'), fullPage: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      await welcome.emulateMedia({ colorScheme });
      expect(await seriousViolations(welcome), `first-run page, ${colorScheme}`).toEqual([]);
    }
    expect(browser.context.pages().filter((page) => page.url().endsWith('/welcome.html'))).toHaveLength(1);

    const facts = await browser.serviceWorker.evaluate(async () => ({
      manifest: chrome.runtime.getManifest(),
      commands: await chrome.commands.getAll(),
    }));
    expect(Object.keys(facts.manifest.icons ?? {})).toEqual(['16', '32', '48', '128']);
    expect(facts.manifest.action?.default_icon).toEqual({ 16: 'icons/icon-16.png', 32: 'icons/icon-32.png' });
    expect('browser_specific_settings' in facts.manifest).toBe(false);
    expect(facts.commands.find((command) => command.name === '_execute_action')?.shortcut).toBe('Alt+Shift+L');
    // The packaged icons decode at their sizes (what the toolbar, the extensions page and the store show).
    const sizes = await welcome.evaluate(async (files: string[]) => {
      const load = (file: string) => new Promise<number>((resolve, reject) => {
        const image = new Image();
        image.onload = () => resolve(image.naturalWidth);
        image.onerror = () => reject(new Error(file));
        image.src = `/${file}`;
      });
      return Promise.all(files.map(load));
    }, Object.values(facts.manifest.icons ?? {}));
    expect(sizes).toEqual([16, 32, 48, 128]);
  });

  test('a tab without media: the popup says what CORS Lens does and what to do, and reloads the page', async () => {
    const page = await browser.context.newPage();
    const pageUrl = `${pageServer.origin}/blank.html`;
    await page.goto(pageUrl);
    const tabId = await tabIdOf(browser.serviceWorker, pageUrl);
    const popup = await openPopup(browser.context, browser.extensionId, tabId);
    const empty = popup.getByTestId('empty');
    await empty.waitFor();
    expect(await empty.locator('h2').innerText()).toBe(text('emptyTitle'));
    expect(await popup.getByTestId('empty-do').innerText()).toBe(text('emptyDo'));
    await popup.screenshot({ path: artifactPath('store-popup-empty-chromium.png') });
    for (const colorScheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme });
      expect(await seriousViolations(popup), `empty popup, ${colorScheme}`).toEqual([]);
    }

    const loadsBefore = pageServer.requests.filter((request) => request.path === '/blank.html').length;
    await Promise.all([page.waitForEvent('load'), popup.getByTestId('reload-page').click()]);
    expect(pageServer.requests.filter((request) => request.path === '/blank.html').length).toBe(loadsBefore + 1);
    // No media: no badge, nothing claimed.
    expect(await browser.serviceWorker.evaluate((id: number) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('');
    await popup.close();
    await page.close();
  });
});

describe('the Firefox package in Firefox', () => {
  let firefox: FirefoxWithExtension;
  beforeAll(async () => {
    firefox = await launchFirefoxWithExtension(unpacked.firefox);
  });
  afterAll(async () => firefox?.close());

  test('the first-run page opens after install, and the popup explains an empty tab', async () => {
    const welcomeUrl = `${firefox.extensionBase}/src/ui/welcome/welcome.html`;
    const popup = await firefox.browser.newPage();
    // Without ?tabId= the popup is about the active tab: this one, which has no media.
    await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html`);
    const heading = await pollPage(popup, () => document.querySelector('[data-testid="empty"] h2')?.textContent ?? '', (value) => value !== '');
    expect(heading).toBe(text('emptyTitle'));
    // The tabs as the extension sees them: the first-run page was opened once, by the install.
    const tabUrls = await pollUntil(
      () => popup.evaluate(async () => (await (globalThis as unknown as { browser: typeof chrome }).browser.tabs.query({})).map((tab) => tab.url ?? '')),
      (urls) => urls.includes(welcomeUrl),
    );
    expect(tabUrls.filter((url) => url === welcomeUrl)).toHaveLength(1);
    const welcome = await firefox.browser.newPage();
    await openExtensionPage(welcome, welcomeUrl);
    expect(await pollPage(welcome, () => document.querySelector('h1')?.textContent ?? '', (value) => value !== '')).toBe(text('welcomeTitle'));
    await popup.screenshot({ path: artifactPath('store-popup-empty-firefox.png') });
  });
});
