import { browser } from './browser.ts';
import { Memo } from '../engine/memo.ts';

/** Sends a message to the background and returns its answer. */
export function sendToBackground<Response>(message: unknown): Promise<Response> {
  return browser.runtime.sendMessage(message) as Promise<Response>;
}

/** The extension's id and the base URL of its pages (`chrome-extension://<id>/`, `moz-extension://<uuid>/`). */
export function ownExtension(): { id: string; baseUrl: string } {
  return { id: browser.runtime.id, baseUrl: browser.runtime.getURL('') };
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

/**
 * Stand-ins for the nine positional substitutions (`$1`…`$9`), from Unicode's private use area, which
 * no message contains: a message is looked up once with them, and each call puts its values in their
 * places. Messages do not change while a page lives, and browser.i18n.getMessage costs a call into the
 * browser's bindings each time (0.5–1 ms of every live update of the popup, by profile).
 */
const SLOTS = Array.from({ length: 9 }, (_, index) => String.fromCharCode(0xe001 + index));
const SLOT_PATTERN = /[\ue001-\ue009]/g;
const HAS_SLOT = /[\ue001-\ue009]/;

/** Each key's text with the stand-ins where its substitutions go; '' when the key has no text. */
const templates = new Memo((key) => browser.i18n.getMessage(key, SLOTS));

/** `key`'s text with `substitutions` in their places (what getMessage answers), '' when it has none. */
function lookUp(key: string, substitutions: string | string[] | undefined): string {
  const template = templates.get(key);
  if (!HAS_SLOT.test(template)) return template;
  const values = substitutions === undefined ? [] : typeof substitutions === 'string' ? [substitutions] : substitutions;
  return template.replace(SLOT_PATTERN, (slot) => values[slot.charCodeAt(0) - 0xe001] ?? '');
}

/** A localized UI string from _locales (every user-visible string goes through here). */
export function message(key: string, substitutions?: string | string[]): string {
  return lookUp(key, substitutions) || key;
}

/**
 * message() for a count: `<key>_one` holds the wording for exactly one (English "1 request"; other
 * languages repeat the general form). `substitutions` default to the count itself.
 */
export function countMessage(key: string, count: number, substitutions: string | string[] = String(count)): string {
  if (count === 1) {
    const one = lookUp(`${key}_one`, substitutions);
    if (one) return one;
  }
  return message(key, substitutions);
}

/**
 * A long-lived connection to the background that survives service-worker restarts: when the worker
 * stops, the port disconnects; the view reconnects (which wakes a new worker) and calls onReconnect
 * so it can reload what it shows. Returns a function that closes it for good.
 */
export function keepConnected(name: string, onMessage: (message: unknown) => void, onReconnect: () => void): () => void {
  let closed = false;
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  const connect = (isReconnect: boolean): void => {
    if (closed) return;
    port = browser.runtime.connect({ name });
    port.onMessage.addListener((message: unknown) => onMessage(message));
    port.onDisconnect.addListener(() => {
      port = undefined;
      // Reconnect on the next task: connecting inside onDisconnect can hit the dying worker.
      setTimeout(() => connect(true), 0);
    });
    if (isReconnect) onReconnect();
  };
  connect(false);
  return () => {
    closed = true;
    port?.disconnect();
  };
}

/** The extension's own version (for export metadata). */
export function extensionVersion(): string {
  return browser.runtime.getManifest().version;
}
