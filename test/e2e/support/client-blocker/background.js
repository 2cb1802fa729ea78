/* global browser -- the WebExtension API of the Firefox background page this file runs in. */
// Cancels the segment loads of a page whose URL says block=segments: what a blocking extension does.
browser.webRequest.onBeforeRequest.addListener(
  (details) => {
    const page = details.documentUrl || details.originUrl || '';
    return { cancel: page.includes('block=segments') && /\/segment\d\.ts(\?|$)/.test(details.url) };
  },
  { urls: ['<all_urls>'] },
  ['blocking'],
);
