import { browser } from './browser.ts';

/** The tab DevTools inspects, or null outside a DevTools page (e.g. the panel opened as a tab). */
export function inspectedTabId(): number | null {
  const devtools = (browser as { devtools?: { inspectedWindow?: { tabId?: number } } }).devtools;
  return typeof devtools?.inspectedWindow?.tabId === 'number' ? devtools.inspectedWindow.tabId : null;
}

/** Adds the CORS Lens panel to DevTools. */
export async function createPanel(title: string, iconPath: string, pagePath: string): Promise<void> {
  await browser.devtools.panels.create(title, iconPath, pagePath);
}
