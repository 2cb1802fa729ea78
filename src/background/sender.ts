/** Who may talk to the background: only the extension's own pages (popup, DevTools panel). */

/** What the sender check reads of a message's or port's sender (runtime.MessageSender). */
export interface SenderFacts {
  id?: string | undefined;
  url?: string | undefined;
}

/** A page of this extension: `chrome-extension://<id>/…`, `moz-extension://<uuid>/…`. */
const EXTENSION_BASE_URL = /^[a-z][a-z-]*-extension:\/\/[^/?#]+\/$/;

/**
 * Whether a message or port comes from one of the extension's own pages (popup, DevTools panel):
 * sent by this extension (`sender.id`) from a URL under its own base URL (`runtime.getURL('')`).
 * Content scripts (the page's URL), other extensions and web pages are refused.
 */
export function isFromOwnPage(sender: SenderFacts | undefined, ownId: string, ownBaseUrl: string): boolean {
  if (sender === undefined || ownId === '' || sender.id !== ownId) return false;
  // A malformed base URL ('' would be a prefix of everything) refuses all rather than trusting all.
  if (!EXTENSION_BASE_URL.test(ownBaseUrl)) return false;
  return typeof sender.url === 'string' && sender.url.startsWith(ownBaseUrl);
}
