/**
 * Variants of the real Chromium build (dist/chrome) that differ only in how its webRequest listeners
 * are registered, to find which part of "an extension observes requests" costs an ordinary page its
 * load time (docs/budgets.md#why-the-ordinary-page-pays). Each variant is a copy of the build whose
 * service worker first runs a small module that rewrites `chrome.webRequest.<event>.addListener`
 * calls, then the build's own worker: everything else (store, recorder, popup) is the real extension.
 * Written to a temp dir per run.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What a variant does to each webRequest addListener(listener, filter, spec) call of the real worker. */
export interface ListenerVariant {
  name: string;
  /** What it tests, for the report. */
  description: string;
  /** Source of a function (event, filter, spec) → [filter, spec] | null (null: the listener is not added). */
  rewrite: string;
  /** Permissions removed from the manifest. */
  dropPermissions?: string[];
  /**
   * Ticks *Record every page* before the worker starts: a variant without the candidates'
   * onBeforeRequest has nothing that switches header recording on (header-recording.ts), and would
   * measure the permission alone.
   */
  recordEveryPage?: boolean;
}

/** The build holding the webRequest permission with no listener at all (also a context figure of `npm run bench`). */
export const PERMISSION_ONLY: ListenerVariant = {
  name: 'permission-only',
  description: 'the webRequest permission, no webRequest listener at all',
  rewrite: '() => null',
};

export const LISTENER_VARIANTS: readonly ListenerVariant[] = [
  PERMISSION_ONLY,
  {
    name: 'navigation-only',
    description: 'only the main_frame onBeforeRequest listener (no extraHeaders anywhere)',
    rewrite: "(event, filter, spec) => (event === 'onBeforeRequest' ? [{ ...filter, types: ['main_frame'] }, undefined] : null)",
  },
  {
    name: 'no-extra-headers',
    description: 'the current listener table without extraHeaders',
    rewrite: "(event, filter, spec) => [filter, spec && spec.filter((flag) => flag !== 'extraHeaders')]",
  },
  {
    name: 'no-response-started',
    description: 'the current listener table without onResponseStarted (which brings a time only): 4 events per ordinary request instead of 5',
    rewrite: "(event, filter, spec) => (event === 'onResponseStarted' ? null : [filter, spec])",
  },
  {
    name: 'three-events',
    description: 'also without the candidates\' onBeforeRequest (navigations kept; Record every page ticked, as nothing else switches header recording on): onSendHeaders, onHeadersReceived and onCompleted per ordinary request',
    rewrite: "(event, filter, spec) => (event === 'onResponseStarted' ? null : event === 'onBeforeRequest' ? [{ ...filter, types: ['main_frame'] }, spec] : [filter, spec])",
    recordEveryPage: true,
  },
  {
    name: 'lean-ending',
    description: 'without onResponseStarted, and onCompleted without the response headers onHeadersReceived already gave: 4 events per ordinary request, 2 of them with headers',
    rewrite: "(event, filter, spec) => (event === 'onResponseStarted' ? null : event === 'onCompleted' ? [filter, undefined] : [filter, spec])",
  },
  {
    name: 'headers-events-only',
    description: 'only onSendHeaders and onHeadersReceived (with extraHeaders; Record every page ticked): 2 events per ordinary request',
    rewrite: "(event, filter, spec) => (event === 'onSendHeaders' || event === 'onHeadersReceived' ? [filter, spec] : null)",
    recordEveryPage: true,
  },
  {
    name: 'no-webrequest-permission',
    description: 'the extension without the webRequest permission (what an optional, not yet granted permission costs)',
    rewrite: '() => null',
    dropPermissions: ['webRequest'],
  },
];

function patchModule(variant: ListenerVariant): string {
  // The key of src/platform/settings.ts (RECORD_EVERY_PAGE_KEY; that module loads the polyfill, which Node cannot).
  const recordEveryPage = variant.recordEveryPage ? "globalThis.chrome.storage.local.set({ recordEveryPage: true });\n" : '';
  return `// Listener variant "${variant.name}" (scripts/bench/listener-variants.ts): ${variant.description}.
${recordEveryPage}const rewrite = ${variant.rewrite};
for (const event of ['onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived', 'onAuthRequired', 'onResponseStarted', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred']) {
  // Chrome's native \`browser\` namespace may hold its own event objects: patch each object once.
  for (const target of new Set([globalThis.chrome?.webRequest?.[event], globalThis.browser?.webRequest?.[event]])) {
  if (!target) continue;
  const add = target.addListener.bind(target);
  target.addListener = (listener, filter, spec) => {
    const rewritten = rewrite(event, filter, spec);
    if (rewritten === null) return;
    const [newFilter, newSpec] = rewritten;
    if (newSpec === undefined || newSpec.length === 0) add(listener, newFilter);
    else add(listener, newFilter, newSpec);
  };
  }
}
`;
}

/** Copies the build to a temp dir and makes it the variant; returns its folder. */
export async function buildListenerVariant(buildDir: string, variant: ListenerVariant): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `cors-lens-variant-${variant.name}-`));
  await cp(buildDir, dir, { recursive: true });
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { permissions?: string[]; background: { service_worker: string } };
  const worker = manifest.background.service_worker;
  await writeFile(path.join(dir, 'variant-patch.js'), patchModule(variant));
  // Module evaluation follows import order: the patch is in place before the real worker registers.
  await writeFile(path.join(dir, 'variant-worker.js'), `import './variant-patch.js';\nimport './${worker}';\n`);
  manifest.background.service_worker = 'variant-worker.js';
  if (variant.dropPermissions) manifest.permissions = (manifest.permissions ?? []).filter((permission) => !variant.dropPermissions!.includes(permission));
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return dir;
}
