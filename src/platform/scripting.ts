import { browser } from './browser.ts';

export type FetchCredentials = 'omit' | 'same-origin' | 'include';
export type PageFetchResult = { status: number } | { error: string };

/**
 * Fetches a URL from inside the page (MAIN world), so the browser sends the page's own Origin exactly
 * as the player did (DESIGN §6). Used only for a re-test the user asked for.
 */
export async function fetchFromPage(tabId: number, frameId: number, url: string, credentials: FetchCredentials): Promise<PageFetchResult> {
  const [injection] = await browser.scripting.executeScript({
    target: { tabId, frameIds: [frameId] },
    world: 'MAIN',
    args: [url, credentials],
    func: (target: string, mode: FetchCredentials) =>
      fetch(target, { mode: 'cors', credentials: mode, cache: 'no-store' }).then(
        (response) => ({ status: response.status }),
        (error: unknown) => ({ error: String(error) }),
      ),
  });
  return (injection?.result as PageFetchResult | undefined) ?? { error: 'the page did not run the re-test' };
}
