/**
 * Lab scenarios for `local-network-access`: a public page whose player loads media from a loopback
 * address. Everything runs on 127.0.0.1, so Chromium is told which addresses are "public" with its
 * own test switches (services/network/public/cpp/network_switches.cc):
 * - `--ip-address-space-overrides=127.0.0.1:<page port>=public`: the page's server counts as a public
 *   address; the media server's port keeps its real space, loopback.
 * - `--host-resolver-rules=MAP lab-public.test 127.0.0.1`: the page has a DNS name, as a public site
 *   does (an IP literal such as 127.0.0.1 would tell the extension "loopback", whatever the override says).
 * - `--unsafely-treat-insecure-origin-as-secure=http://lab-public.test:<port>`: one page server is a
 *   secure context (Chromium then asks for the permission); the other stays insecure (Chromium then
 *   blocks without asking).
 * The permission prompt is answered by the test: headless Chromium denies it when nothing grants it,
 * and Playwright's `grantPermissions(['local-network-access'])` (CDP Browser.setPermission) allows it.
 * Played by test/e2e/local-network-access.e2e.test.ts.
 */
import { startStreamServer, type StreamRequest, type StreamServer } from './stream-server.ts';
import { allowPage } from './beyond-headers.ts';

/** The page's host name: resolved to 127.0.0.1 by the host resolver rule, public by the override. */
export const PUBLIC_PAGE_HOST = 'lab-public.test';

/** The page servers' ports, to make them public (and one of them a secure context). */
export interface PublicPagePorts {
  secure: number;
  insecure: number;
}

/** Chromium flags that make the page servers public (the media server stays loopback). */
export function localNetworkAccessArgs(ports: PublicPagePorts): string[] {
  return [
    `--host-resolver-rules=MAP ${PUBLIC_PAGE_HOST} 127.0.0.1`,
    `--ip-address-space-overrides=127.0.0.1:${ports.secure}=public,127.0.0.1:${ports.insecure}=public`,
    `--unsafely-treat-insecure-origin-as-secure=http://${PUBLIC_PAGE_HOST}:${ports.secure}`,
  ];
}

/**
 * Firefox ESR 153's Local Network Access, played on loopback (measured; docs/rules/local-network-access.md#firefox):
 * - `network.lna.address_space.public.override`: `<ip>:<port>` entries (comma-separated) that count as
 *   public; the page server's port, as Chromium's override does.
 * - `network.dns.localDomains`: the page's DNS name resolves to 127.0.0.1.
 * - `network.lna.blocking`, `network.lna.enabled` and `network.lna.block_insecure_contexts`: an
 *   insecure page's request is blocked at once (NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED). With only the
 *   override, Firefox holds it behind its permission prompt, which nobody answers headless, until the
 *   player gives up (NS_BINDING_ABORTED).
 */
export function localNetworkAccessFirefoxPrefs(publicPagePort: number): Record<string, unknown> {
  return {
    'network.dns.localDomains': PUBLIC_PAGE_HOST,
    'network.lna.address_space.public.override': `127.0.0.1:${publicPagePort}`,
    'network.lna.enabled': true,
    'network.lna.blocking': true,
    'network.lna.block_insecure_contexts': true,
  };
}

/** What Firefox's webRequest.onErrorOccurred reports for a load its Local Network Access blocked. */
export const FIREFOX_LNA_ERROR = 'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED';

export interface LocalNetworkScenario {
  id: string;
  title: string;
  history: string;
  /** The page is a secure context (the secure page server) or not. */
  secureContext: boolean;
  /** The test grants the Local Network Access permission to the page before it plays. */
  granted: boolean;
  /** Cause ids the popup must name. */
  expectedCauses: string[];
  /** Causes the popup must not name. */
  notNamed: string[];
  /** The CORS error Chromium must report for the media (CDP Network.loadingFailed corsErrorStatus), or null: every request loads. */
  chromiumCorsError: string | null;
  /**
   * The Chromium name a rejected row shows, and whether it says the name is inferred: the page's secure
   * context is read from its origin, and the lab's --unsafely-treat-insecure-origin-as-secure makes an
   * http page secure, which the origin cannot show. null: no row is rejected.
   */
  rowName: { name: string; inferred: boolean } | null;
}

export interface StartedLocalNetwork {
  media: StreamServer;
  /** The playlist the player loads (on the loopback media server). */
  src: string;
  log(): StreamRequest[];
  close(): Promise<void>;
}

/** A media server on loopback that allows every origin: CORS is never what fails here. */
export async function startLoopbackMedia(): Promise<StartedLocalNetwork> {
  const media = await startStreamServer({ headers: allowPage });
  return { media, src: `${media.origin}/hls/stream.m3u8`, log: () => media.log, close: () => media.close() };
}

/** The rules a blocked local request is easily mistaken for. */
const MISTAKEN_FOR = ['origin-without-cors', 'not-a-cors-failure', 'origin-mismatch', 'preflight-rejected'];

export const LOCAL_NETWORK_SCENARIOS: readonly LocalNetworkScenario[] = [
  {
    id: 'local-network-access-denied',
    title: 'A public secure page loads media from 127.0.0.1; the permission is not given',
    history:
      'The page is on a public address and a secure context; its hls.js loads the playlist from a media server on 127.0.0.1 that sends CORS for every origin. Chromium holds the request behind the Local Network Access prompt, nobody allows it (headless denies), and the request fails before it is sent.',
    secureContext: true,
    granted: false,
    expectedCauses: ['local-network-access'],
    notNamed: MISTAKEN_FOR,
    chromiumCorsError: 'LocalNetworkAccessPermissionDenied',
    // Chromium's name is LocalNetworkAccessPermissionDenied; the http page's origin says InsecureLocalNetwork, so the row says it infers that, why, and the other name.
    rowName: { name: 'InsecureLocalNetwork', inferred: true },
  },
  {
    id: 'local-network-access-insecure',
    title: 'A public http page loads media from 127.0.0.1',
    history:
      'The same player on a public page that is not a secure context (plain http on a DNS name): Chromium does not even ask, it blocks every request to the loopback server.',
    secureContext: false,
    granted: false,
    expectedCauses: ['local-network-access'],
    notNamed: MISTAKEN_FOR,
    chromiumCorsError: 'InsecureLocalNetwork',
    rowName: { name: 'InsecureLocalNetwork', inferred: true },
  },
  {
    id: 'local-network-access-granted',
    title: 'The same secure page after the user allowed local network access',
    history: 'The control: the test grants the page the local-network-access permission (what the user does in the prompt), and the stream plays.',
    secureContext: true,
    granted: true,
    expectedCauses: [],
    notNamed: ['local-network-access', ...MISTAKEN_FOR],
    chromiumCorsError: null,
    rowName: null,
  },
];
