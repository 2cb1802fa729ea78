/**
 * The one place that imports webextension-polyfill (archived upstream; Chrome ≥148 and Firefox have a
 * native promise-based `browser`). Dropping it later means replacing the `require` with `globalThis.browser`.
 */
import type Browser from 'webextension-polyfill';

/*
 * `require`, not `import`: the bundler wraps an ES import of this CommonJS module in an interop
 * namespace that copies every own property of its export, and where the browser has a native
 * `browser` (which the polyfill then returns as it is) reading each property's descriptor makes
 * Chromium build every API's bindings: ≈ 13 ms of the popup's first frame in a profiled cold open.
 * `require` hands back the export itself. Same object, same behaviour.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const browser = require('webextension-polyfill') as typeof Browser;

export { browser };
export type { Browser, WebRequest, Runtime, Tabs, Storage } from 'webextension-polyfill';
