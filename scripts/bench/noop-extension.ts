/**
 * The baseline extension of the overhead figure: the same permissions and host permissions as CORS
 * Lens's manifest, and the same webRequest listeners with the same extraInfoSpec (src/background/
 * index.ts, Chromium branch: extraHeaders), each doing nothing. Written to a temp dir per run.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SERVICE_WORKER = `// No-op: the same listeners and options as CORS Lens, nothing recorded.
const filter = { urls: ['<all_urls>'] };
const noop = () => {};
chrome.webRequest.onBeforeRequest.addListener(noop, filter);
chrome.webRequest.onBeforeSendHeaders.addListener(noop, filter, ['requestHeaders', 'extraHeaders']);
chrome.webRequest.onSendHeaders.addListener(noop, filter, ['requestHeaders', 'extraHeaders']);
chrome.webRequest.onHeadersReceived.addListener(noop, filter, ['responseHeaders', 'extraHeaders']);
chrome.webRequest.onResponseStarted.addListener(noop, filter, ['responseHeaders', 'extraHeaders']);
chrome.webRequest.onBeforeRedirect.addListener(noop, filter, ['responseHeaders', 'extraHeaders']);
chrome.webRequest.onCompleted.addListener(noop, filter, ['responseHeaders', 'extraHeaders']);
chrome.webRequest.onErrorOccurred.addListener(noop, filter, ['extraHeaders']);
chrome.tabs.onRemoved.addListener(noop);
`;

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
  await writeFile(path.join(dir, 'sw.js'), SERVICE_WORKER);
  return dir;
}
