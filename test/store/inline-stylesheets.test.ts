/** The build-time inlining of extension pages' stylesheets (scripts/build/inline-stylesheets.ts). */
import { describe, expect, test } from 'vitest';
import { withStylesheetsInlined } from '../../scripts/build/inline-stylesheets.ts';

const page = (links: string) => `<!doctype html><html><head><script type="module" crossorigin src="/assets/popup.js"></script>${links}</head><body></body></html>`;

describe('inline-stylesheets', () => {
  test('each linked stylesheet of the bundle is written into the page in its place, the rest of the page unchanged', () => {
    const files = new Map([
      ['assets/a.css', '.a{color:red}'],
      ['assets/b.css', '.b{color:blue}'],
    ]);
    const html = page('<link rel="stylesheet" crossorigin href="/assets/a.css"><link rel="stylesheet" href="/assets/b.css">');
    expect(withStylesheetsInlined(html, files)).toBe(page('<style>.a{color:red}</style><style>.b{color:blue}</style>'));
  });

  test('a link to a file the bundle does not have, or whose text could close the style element, stays a link', () => {
    const missing = page('<link rel="stylesheet" crossorigin href="/assets/elsewhere.css">');
    expect(withStylesheetsInlined(missing, new Map())).toBe(missing);
    const closing = page('<link rel="stylesheet" crossorigin href="/assets/x.css">');
    expect(withStylesheetsInlined(closing, new Map([['assets/x.css', '.x{} </STYLE><script>alert(1)</script>']]))).toBe(closing);
  });

  test('other links (module preloads, icons) are not touched', () => {
    const html = page('<link rel="modulepreload" crossorigin href="/assets/a.css"><link rel="icon" href="/assets/b.css">');
    expect(withStylesheetsInlined(html, new Map([['assets/a.css', '.a{}'], ['assets/b.css', '.b{}']]))).toBe(html);
  });
});
