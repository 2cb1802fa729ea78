/**
 * Chromium's own account of a page's loads (CDP Network events): which failed, with which error and
 * CORS error, and a wait until every load the page started has ended. The e2e tests compare the
 * popup with it: a disagreement is a bug in the extension.
 */
import type { Page } from 'playwright-core';

export interface BrowserFailure {
  url: string;
  errorText: string;
  corsError: string | null;
}

export interface NetworkWatch {
  failures: BrowserFailure[];
  /** URLs of the loads that finished. */
  finished: string[];
  /** Resolves once every http(s) load the page started has finished or failed. */
  settled(): Promise<void>;
}

/** Starts watching the page's loads (before it navigates). `BEYOND_DEBUG=1` prints each request. */
export async function watchNetwork(page: Page): Promise<NetworkWatch> {
  const cdp = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  const failures: BrowserFailure[] = [];
  const finished: string[] = [];
  let open = 0;
  const waiters: Array<() => void> = [];
  const end = (event: { requestId: string }) => {
    if (!urls.has(event.requestId)) return;
    open--;
    for (const wake of waiters.splice(0)) wake();
  };
  cdp.on('Network.requestWillBeSent', (event: { requestId: string; request: { url: string }; redirectResponse?: unknown }) => {
    if (process.env.BEYOND_DEBUG) console.log('sent', event.requestId, event.request.url.slice(0, 100));
    // A blob: URL (the MediaSource the player attaches) stays open as long as the video does.
    if (!event.request.url.startsWith('http')) return;
    if (event.redirectResponse === undefined) open++;
    urls.set(event.requestId, event.request.url);
  });
  cdp.on('Network.loadingFinished', (event: { requestId: string }) => {
    if (urls.has(event.requestId)) finished.push(urls.get(event.requestId)!);
    end(event);
  });
  cdp.on('Network.loadingFailed', (event: { requestId: string; errorText: string; corsErrorStatus?: { corsError: string } }) => {
    failures.push({ url: urls.get(event.requestId) ?? '', errorText: event.errorText, corsError: event.corsErrorStatus?.corsError ?? null });
    end(event);
  });
  await cdp.send('Network.enable');
  return {
    failures,
    finished,
    async settled() {
      while (open > 0) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

/** The file name of a URL, without its query. */
export const fileOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1).split('?')[0]!;
