import { browser } from './browser.ts';

/** Sends a message to the background and returns its answer. */
export function sendToBackground<Response>(message: unknown): Promise<Response> {
  return browser.runtime.sendMessage(message) as Promise<Response>;
}

/** Subscribes to messages broadcast by the background; returns the unsubscribe function. */
export function onBackgroundMessage(listener: (message: unknown) => void): () => void {
  const wrapped = (message: unknown): undefined => {
    listener(message);
    return undefined;
  };
  browser.runtime.onMessage.addListener(wrapped);
  return () => browser.runtime.onMessage.removeListener(wrapped);
}

/**
 * The tab a view is about: `?tabId=` when given (DevTools panel, tests, a popup opened in a tab),
 * else the active tab of the current window.
 */
export async function targetTabId(search: string): Promise<number | null> {
  const fromQuery = new URLSearchParams(search).get('tabId');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

/** A localized UI string from _locales (every user-visible string goes through here). */
export function message(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}
