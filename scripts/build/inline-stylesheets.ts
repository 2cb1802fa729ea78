/**
 * A vite plugin that puts each extension page's stylesheets into the page itself (`<style>`) instead of
 * linking them. A chrome-extension:// file is fetched through the browser process, and the popup's
 * scripts wait for a linked stylesheet before they run (a stylesheet blocks scripts): the stylesheet,
 * requested last, was the last file to arrive, and the popup's first frame waited for it
 * (docs/budgets.md#popup-stylesheet). Extension pages' default content security policy restricts
 * scripts, not styles, in Chrome and in Firefox. The stylesheet file stays in the bundle (a script
 * may still load it for a lazily loaded module).
 */
import type { Plugin } from 'vite';

/** `<link rel="stylesheet" [crossorigin] href="/assets/x.css">`, as vite writes it into a built page. */
const STYLESHEET_LINK = /<link rel="stylesheet"(?: crossorigin)? href="\/?([^"]+\.css)">/g;

/**
 * The page with each linked stylesheet of `files` (bundle file name → its text) written in place.
 * A link to a file not in `files`, or whose text could end the style element, is left as it is.
 */
export function withStylesheetsInlined(html: string, files: ReadonlyMap<string, string>): string {
  return html.replace(STYLESHEET_LINK, (link, file: string) => {
    const css = files.get(file);
    return css === undefined || /<\/style/i.test(css) ? link : `<style>${css}</style>`;
  });
}

export function inlineStylesheets(): Plugin {
  return {
    name: 'cors-lens-inline-stylesheets',
    apply: 'build',
    transformIndexHtml: {
      // After vite has written the stylesheet links into the page (its post hooks get the bundle).
      order: 'post',
      handler(html, context) {
        if (!context.bundle) return html;
        const files = new Map<string, string>();
        for (const [name, output] of Object.entries(context.bundle)) {
          if (output.type === 'asset' && name.endsWith('.css')) files.set(name, typeof output.source === 'string' ? output.source : new TextDecoder().decode(output.source));
        }
        return withStylesheetsInlined(html, files);
      },
    },
  };
}
