/**
 * Opens the first-run page once, right after install (not on update or browser update), so someone who
 * never reads a README learns what to do. Registered at top level like every listener: onInstalled
 * fires once, into the worker's first run.
 */
import { browser } from '../platform/browser.ts';
import { openExtensionTab } from '../platform/tabs.ts';

export const FIRST_RUN_PAGE = 'src/ui/welcome/welcome.html';

browser.runtime.onInstalled.addListener((details) => {
  if (details.reason !== 'install') return;
  openExtensionTab(FIRST_RUN_PAGE).catch((error: unknown) => console.error('CORS Lens: could not open the first-run page', error));
});
