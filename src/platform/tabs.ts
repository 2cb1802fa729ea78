import { browser } from './browser.ts';

/** Reloads a tab, so the requests its page makes from the start are recorded. */
export async function reloadTab(tabId: number): Promise<void> {
  await browser.tabs.reload(tabId);
}

/** Opens one of the extension's own pages in a new tab (the first-run page). */
export async function openExtensionTab(pagePath: string): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(pagePath) });
}

/** The keys that open the popup (`commands._execute_action`), or '' when the user assigned none. */
export async function popupShortcut(): Promise<string> {
  const commands = await browser.commands.getAll();
  return commands.find((command) => command.name === '_execute_action')?.shortcut ?? '';
}
