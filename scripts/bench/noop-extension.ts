/**
 * The baseline extension of the overhead figure: the same permissions and host permissions as CORS
 * Lens's manifest, and the same webRequest listeners with the same filters and extraInfoSpec (built
 * from LISTENED_EVENTS and listenerOptions, src/background/candidates.ts, Chromium: extraHeaders; and
 * the documents' listener, DOCUMENT_LISTENER),
 * doing nothing but count the events delivered per event and resource type
 * (`globalThis.__deliveredEvents` in its service worker). Written to a temp dir per run.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOCUMENT_LISTENER, LISTENED_EVENTS, listenerOptions } from '../../src/background/candidates.ts';

function serviceWorker(): string {
  const lines = [
    '// No-op: the same listeners and options as CORS Lens; each event is only counted, by event and resource type.',
    'const counts = (globalThis.__deliveredEvents = {});',
    "const count = (event) => (details) => { const key = event + ' ' + details.type; counts[key] = (counts[key] || 0) + 1; };",
  ];
  for (const listened of LISTENED_EVENTS) {
    const { filter, spec } = listenerOptions(listened, true);
    const args = [`count(${JSON.stringify(listened.name)})`, JSON.stringify(filter), ...(spec === undefined ? [] : [JSON.stringify(spec)])];
    lines.push(`chrome.webRequest.${listened.name}.addListener(${args.join(', ')});`);
  }
  const { name, filter, spec } = DOCUMENT_LISTENER;
  lines.push(`chrome.webRequest.${name}.addListener(count(${JSON.stringify(name)}), ${JSON.stringify(filter)}, ${JSON.stringify(spec)});`);
  lines.push('chrome.tabs.onRemoved.addListener(() => {});');
  return `${lines.join('\n')}\n`;
}

/** Builds the no-op extension next to nothing else; returns its folder. */
export async function buildNoopExtension(projectManifest: string): Promise<string> {
  const source = JSON.parse(await readFile(projectManifest, 'utf8')) as { permissions?: string[]; host_permissions?: string[]; minimum_chrome_version?: string };
  const dir = await mkdtemp(path.join(tmpdir(), 'cors-lens-noop-'));
  const manifest = {
    manifest_version: 3,
    name: 'No-op webRequest listeners (CORS Lens benchmark baseline)',
    version: '1.0.0',
    minimum_chrome_version: source.minimum_chrome_version,
    permissions: source.permissions ?? [],
    host_permissions: source.host_permissions ?? [],
    background: { service_worker: 'sw.js' },
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await writeFile(path.join(dir, 'sw.js'), serviceWorker());
  return dir;
}
