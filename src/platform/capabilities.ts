/**
 * Chromium hides Origin, Sec-Fetch-* and CORS-blocked responses from webRequest unless listeners ask
 * for 'extraHeaders'; Firefox shows everything and throws on that value (docs/capture.md#extraheaders).
 * Feature-detect it rather than sniffing the browser.
 */
export function supportsExtraHeaders(): boolean {
  const webRequest = (globalThis as { chrome?: { webRequest?: { OnBeforeSendHeadersOptions?: Record<string, string> } } }).chrome
    ?.webRequest;
  return webRequest?.OnBeforeSendHeadersOptions?.EXTRA_HEADERS === 'extraHeaders';
}

export type BrowserFamily = 'chromium' | 'firefox' | 'unknown';

/** Which engine runs us, for labelling records (the two report CORS blocks differently). */
export function browserFamily(): BrowserFamily {
  const runtimeUrl = (globalThis as { location?: { protocol?: string } }).location?.protocol ?? '';
  if (runtimeUrl === 'moz-extension:') return 'firefox';
  if (runtimeUrl === 'chrome-extension:') return 'chromium';
  return 'unknown';
}
