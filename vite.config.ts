import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import sourceManifest from './manifest.json' with { type: 'json' };
import { noInnerHtml } from './scripts/build/no-inner-html.ts';
import { inlineStylesheets } from './scripts/build/inline-stylesheets.ts';
import { singleScriptPages } from './scripts/build/single-script-pages.ts';

type Target = 'chrome' | 'firefox';
const target: Target = process.env.TARGET === 'firefox' ? 'firefox' : 'chrome';

/**
 * One manifest source for both browsers. Chrome gets the MV3 service worker and no Gecko keys;
 * Firefox gets background scripts (an event page) and its browser_specific_settings.
 */
function manifestFor(browserTarget: Target): ManifestV3Export {
  const { background, browser_specific_settings, ...shared } = structuredClone(sourceManifest);
  if (browserTarget === 'firefox') {
    return { ...shared, background: { scripts: background.scripts, type: 'module' }, browser_specific_settings } as ManifestV3Export;
  }
  return { ...shared, background: { service_worker: background.service_worker, type: 'module' } } as ManifestV3Export;
}

export default defineConfig({
  plugins: [noInnerHtml(), preact(), crx({ manifest: manifestFor(target), browser: target }), inlineStylesheets(), singleScriptPages(['src/ui/popup/popup.html', 'src/ui/devtools/panel.html'])],
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: true,
    sourcemap: false,
    // Pages the manifest does not name: the DevTools panel (opened by devtools.panels.create()) and the
    // first-run page (opened by src/background/first-run.ts).
    rollupOptions: { input: { panel: 'src/ui/devtools/panel.html', welcome: 'src/ui/welcome/welcome.html' } },
  },
  server: { port: 5173, strictPort: true },
});
