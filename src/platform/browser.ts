/**
 * The one place that imports webextension-polyfill (archived upstream; Chrome ≥148 and Firefox have a
 * native promise-based `browser`). Dropping it later means replacing this import with `globalThis.browser`.
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Browser, WebRequest, Runtime, Tabs, Storage } from 'webextension-polyfill';
