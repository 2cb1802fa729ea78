import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import manifest from '../../../manifest.json' with { type: 'json' };

export const firefoxDist = fileURLToPath(new URL('../../../dist/firefox', import.meta.url));
/** Fixed moz-extension UUID, so tests know the extension's URLs (Firefox picks a random one otherwise). */
export const FIREFOX_EXTENSION_UUID = '5a1c7e2e-8c1b-4f5e-9d7a-c0a5e1e05001';

export interface FirefoxWithExtension {
  browser: Browser;
  extensionBase: string;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  extraPrefs?: Record<string, unknown>;
  /** The extension's gecko id and the moz-extension UUID to pin for it (CORS Lens's by default). */
  geckoId?: string;
  uuid?: string;
}

/** Real Firefox ESR over WebDriver BiDi, headless, with the built extension as a temporary add-on. */
export async function launchFirefoxWithExtension(dist = firefoxDist, options: FirefoxLaunchOptions = {}): Promise<FirefoxWithExtension> {
  const profile = await mkdtemp(path.join(tmpdir(), 'cors-lens-firefox-'));
  const geckoId = options.geckoId ?? manifest.browser_specific_settings.gecko.id;
  const uuid = options.uuid ?? FIREFOX_EXTENSION_UUID;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: profile,
    // Without it BiDi refuses to navigate to moz-extension:// pages (docs/capture.md#testing-firefox).
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }), ...options.extraPrefs },
  });
  await browser.installExtension(dist);
  return {
    browser,
    extensionBase: `moz-extension://${uuid}`,
    close: async () => {
      await browser.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

/** Reads until the value is accepted (BiDi's waitForFunction is unreliable on extension pages). */
export async function pollUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch {
      // the page is still navigating
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls a value computed in the page. */
export function pollPage<T>(page: Page, probe: () => T, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  return pollUntil(async () => (await page.evaluate(probe)) as T, accept, timeoutMs);
}

/**
 * Opens an extension page. puppeteer's goto to moz-extension:// never resolves over BiDi, so fire the
 * navigation and poll until the page is there.
 */
export async function openExtensionPage(page: Page, url: string): Promise<void> {
  page.goto(url).catch(() => undefined);
  await pollPage(page, () => location.href, (href) => href === url);
}

/** The tab id Firefox gave the page at `pageUrl`, asked from an extension page of CORS Lens. */
export async function firefoxTabIdOf(extensionPage: Page, pageUrl: string): Promise<number | null> {
  return extensionPage.evaluate(async (url: string) => {
    const ext = (globalThis as unknown as { browser: typeof chrome }).browser;
    const tabs = await ext.tabs.query({});
    return tabs.find((tab) => tab.url === url)?.id ?? null;
  }, pageUrl);
}

/** The popup of the tab showing `pageUrl` (found through the extension's tabs API), opened in `popup`. */
export async function openPopupFor(firefox: FirefoxWithExtension, popup: Page, pageUrl: string): Promise<void> {
  await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html`);
  const tabId = await firefoxTabIdOf(popup, pageUrl);
  if (tabId === null) throw new Error(`no tab shows ${pageUrl}`);
  await openExtensionPage(popup, `${firefox.extensionBase}/src/ui/popup/popup.html?tabId=${tabId}`);
}

/** Opens, in a new page, the popup of the tab showing `pageUrl`. */
export async function openPopupForTab(firefox: FirefoxWithExtension, pageUrl: string): Promise<Page> {
  const popup = await firefox.browser.newPage();
  await openPopupFor(firefox, popup, pageUrl);
  return popup;
}
