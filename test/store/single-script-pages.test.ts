/** The build-time bundling of a page's scripts into one file (scripts/build/single-script-pages.ts). */
import { describe, expect, test } from 'vitest';
import { entryScriptOf, withSingleScript } from '../../scripts/build/single-script-pages.ts';

const built = [
  '<!doctype html><html><head><meta charset="utf-8" />',
  '    <script type="module" crossorigin src="/assets/popup.html-B2p98-EL.js"></script>',
  '    <link rel="modulepreload" crossorigin href="/assets/runtime-Bh7ewyP5.js">',
  '    <link rel="modulepreload" crossorigin href="/assets/Popup-C-X1-9iW.js">',
  '    <style>.a{}</style>',
  '  </head><body><div id="app"></div></body></html>',
].join('\n');

describe('single-script-pages', () => {
  test('the page loads the one bundle in place of its entry, and preloads nothing else', () => {
    const entry = entryScriptOf(built);
    expect(entry).toBe('assets/popup.html-B2p98-EL.js');
    const page = withSingleScript(built, entry!, 'assets/popup-page.js');
    expect(page).toBe(
      [
        '<!doctype html><html><head><meta charset="utf-8" />',
        '    <script type="module" crossorigin src="/assets/popup-page.js"></script>',
        '    <style>.a{}</style>',
        '  </head><body><div id="app"></div></body></html>',
      ].join('\n'),
    );
  });

  test('a page without a module entry script has none (the build stops with a message then)', () => {
    expect(entryScriptOf('<!doctype html><html><head><script src="/assets/classic.js"></script></head></html>')).toBeNull();
  });
});
