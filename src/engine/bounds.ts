/**
 * Bounds on what hostile input can make the engine keep or scan. Every header, URL and imported
 * string may come from a page, a CDN or a file made to be slow; real values are far shorter.
 */

/**
 * The longest string a module-level memo keeps as a key (header names, header values, origins, URL
 * directories repeat across a log and are memoised). Real ones are much shorter: a header name ~40
 * characters, an ACAO or Vary line ~100, a URL directory ~200. Longer keys are computed each time,
 * with the same results: thousands of distinct 100 000-character values must not pin hundreds of
 * megabytes, and V8 hashes a string over 16 383 characters by its length alone, so such keys would
 * share one bucket and every lookup would compare them in full.
 */
export const MAX_MEMO_KEY_CHARS = 1024;

/** Whether a memo may keep `key` (see MAX_MEMO_KEY_CHARS). */
export function isMemoKey(key: string): boolean {
  return key.length <= MAX_MEMO_KEY_CHARS;
}
