/**
 * A vite plugin that removes Preact's one `innerHTML` assignment (its `dangerouslySetInnerHTML`
 * support) from the bundle. CORS Lens never sets HTML from a string, and AMO's linter (`web-ext lint`,
 * UNSAFE_VAR_ASSIGNMENT) flags the assignment, which reviewers then ask about. A use of
 * `dangerouslySetInnerHTML` now throws instead of writing HTML. The build fails when the pattern is not
 * found exactly once, so a Preact upgrade that moves the code cannot ship it silently.
 */
import type { Plugin } from 'vite';

/** Preact's minified `(dom.innerHTML = newHtml.__html)`; the variable names change between builds. */
const INNER_HTML_ASSIGNMENT = /\(([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\)/g;
const REPLACEMENT = '(function(){throw new Error("CORS Lens is built without dangerouslySetInnerHTML")})()';
const PREACT_MODULE = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/;

/** Returns the module's code with the assignment replaced; throws unless it occurs exactly once. */
export function withoutInnerHtmlAssignment(code: string): string {
  const found = code.match(INNER_HTML_ASSIGNMENT)?.length ?? 0;
  if (found !== 1) throw new Error(`no-inner-html: expected one innerHTML assignment in Preact, found ${found}; update scripts/build/no-inner-html.ts`);
  return code.replace(INNER_HTML_ASSIGNMENT, REPLACEMENT);
}

export function noInnerHtml(): Plugin {
  let patched = 0;
  return {
    name: 'cors-lens-no-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!PREACT_MODULE.test(id.split('?')[0] ?? id)) return null;
      patched += 1;
      return { code: withoutInnerHtmlAssignment(code), map: null };
    },
    buildEnd(error) {
      // A build that bundled Preact some other way (a different entry file) would ship it unpatched.
      if (!error && patched === 0) this.error('no-inner-html: Preact (node_modules/preact/dist/preact.mjs) was never transformed');
    },
  };
}
