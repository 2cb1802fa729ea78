/**
 * A vite plugin that gives the named extension pages one script file each. Vite splits a page's
 * modules into chunks shared with the other pages and the worker, and the popup loaded seven files,
 * each a trip through the browser process (25–35 ms apiece on the bench machine, in parallel, the last
 * one deciding when the page's code runs). After the build is written, each page's entry chunk is
 * bundled again with everything it imports into `assets/<page>-page.js` (rolldown, vite's own bundler;
 * the chunks it reads are the build's, already transformed, so nothing is compiled twice), and the
 * page loads that file alone (docs/budgets.md#popup-one-script). The shared chunks stay for the other
 * pages and the worker.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rolldown } from 'rolldown';
import type { Plugin } from 'vite';

/** `<script type="module" crossorigin src="/assets/x.js"></script>`, the entry vite writes into a built page. */
const ENTRY_SCRIPT = /<script type="module"(?: crossorigin)? src="\/(assets\/[^"]+\.js)"><\/script>/;
const MODULE_PRELOAD = /\s*<link rel="modulepreload"[^>]*>/g;

/** The entry script a built page loads (relative to the build folder), or null when it has none. */
export function entryScriptOf(html: string): string | null {
  return ENTRY_SCRIPT.exec(html)?.[1] ?? null;
}

/** The page loading `bundle` instead of `entry`, without the preloads of the chunks it no longer loads. */
export function withSingleScript(html: string, entry: string, bundle: string): string {
  return html.replace(MODULE_PRELOAD, '').replace(`src="/${entry}"`, `src="/${bundle}"`);
}

/** `pages`: the built pages (paths in the build folder, e.g. `src/ui/popup/popup.html`). */
export function singleScriptPages(pages: readonly string[]): Plugin {
  let outDir = '';
  return {
    name: 'cors-lens-single-script-pages',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      for (const page of pages) {
        const pagePath = path.join(outDir, page);
        const html = await readFile(pagePath, 'utf8');
        const entry = entryScriptOf(html);
        if (entry === null) this.error(`single-script-pages: ${page} has no module entry script; update scripts/build/single-script-pages.ts`);
        const bundleFile = `assets/${path.basename(page, '.html')}-page.js`;
        const bundle = await rolldown({ input: path.join(outDir, entry), logLevel: 'warn' });
        try {
          await bundle.write({ file: path.join(outDir, bundleFile), format: 'es', minify: true, codeSplitting: false });
        } finally {
          await bundle.close();
        }
        await writeFile(pagePath, withSingleScript(html, entry, bundleFile));
      }
    },
  };
}
