import type { CorsExchange, CorsVerdict, MessageRef } from '../model.ts';
import { normalisePageOrigin } from './origin.ts';

/**
 * A load the browser stopped before sending it, so no response exists to CORS-check: Chromium's Local
 * Network Access (docs/rules/local-network-access.md). Chromium still reports it as a CORS error
 * (CDP Network.loadingFailed.corsErrorStatus), and its name depends on whether the requesting document
 * is a secure context, which webRequest does not report: it is read from the page origin here, and
 * said to be inferred wherever the origin alone cannot settle it.
 */

/** webRequest's error for a load Local Network Access stopped (the same for both of Chromium's names, measured in Chromium 156). */
export const LOCAL_NETWORK_ACCESS_ERROR = 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS';

/** Chromium's name when a secure page has no permission to reach the local network. */
const PERMISSION_DENIED = 'LocalNetworkAccessPermissionDenied';
/** Chromium's name when the page is not a secure context (it is blocked without a prompt). */
const INSECURE_PAGE = 'InsecureLocalNetwork';

/** What the page origin shows of the requesting document's secure context. */
type SecureContextReading =
  /** https (or a loopback http) origin of the top-level document: a secure context. */
  | 'secure'
  /** The same origin in a frame: secure only when every frame above it is too, which the request does not show. */
  | 'secure-if-ancestors-are'
  /** Any other http origin: not secure, unless the browser was told to treat it as secure (a switch or a policy). */
  | 'insecure-unless-treated-as-secure'
  /** No page origin, or an opaque one. */
  | 'unknown';

/** Hosts whose http origins are potentially trustworthy (Secure Contexts §3.1): localhost names and loopback literals. */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function secureContextOf(pageOrigin: string | null, fromTopFrame: boolean): SecureContextReading {
  const origin = normalisePageOrigin(pageOrigin);
  if (origin === null || origin === 'null') return 'unknown';
  const separator = origin.indexOf('://');
  if (separator === -1) return 'unknown';
  const scheme = origin.slice(0, separator);
  const host = origin.slice(separator + 3).replace(/:\d+$/, '');
  const trustworthy = scheme === 'https' || scheme === 'wss' || (scheme === 'http' && isLoopbackHost(host));
  if (!trustworthy) return 'insecure-unless-treated-as-secure';
  return fromTopFrame ? 'secure' : 'secure-if-ancestors-are';
}

const OPENING = 'Chromium\'s Local Network Access stopped this request before it was sent, and reports it as a CORS error; no server saw it, so its CORS headers play no part.';

/** The verdict on a load Local Network Access stopped: rejected, with Chromium's name as far as the page origin settles it. */
export function localNetworkBlockedVerdict(exchange: CorsExchange, needsPreflight: boolean, fromTopFrame: boolean): CorsVerdict {
  const origin = exchange.pageOrigin ?? '';
  const reading = secureContextOf(exchange.pageOrigin, fromTopFrame);
  const verdict = (explanation: string, explanationText: MessageRef, chromiumError?: string, inferred = false): CorsVerdict => {
    const result: CorsVerdict = { outcome: 'fail', needsPreflight, explanation: `${OPENING} ${explanation}`, explanationText };
    if (chromiumError !== undefined) result.chromiumError = chromiumError;
    if (inferred) result.chromiumErrorInferred = true;
    return result;
  };
  switch (reading) {
    case 'secure':
      return verdict(`The page ${origin} is a secure context without permission to reach the local network: ${PERMISSION_DENIED}.`, { id: 'verdict.case.localNetworkDenied', data: { origin } }, PERMISSION_DENIED);
    case 'secure-if-ancestors-are':
      return verdict(
        `Chromium's name is inferred as ${PERMISSION_DENIED}: the frame ${origin} is https, but a frame is a secure context only when every frame above it is too (otherwise the name is ${INSECURE_PAGE}).`,
        { id: 'verdict.case.localNetworkDeniedInFrame', data: { origin } },
        PERMISSION_DENIED,
        true,
      );
    case 'insecure-unless-treated-as-secure':
      return verdict(
        `Chromium's name is inferred as ${INSECURE_PAGE}: the page ${origin} is not https, so it is not a secure context unless the browser was told to treat it as one (the --unsafely-treat-insecure-origin-as-secure switch or the OverrideSecurityRestrictionsOnInsecureOrigin policy); then the name is ${PERMISSION_DENIED}.`,
        { id: 'verdict.case.localNetworkInsecure', data: { origin } },
        INSECURE_PAGE,
        true,
      );
    case 'unknown':
      return verdict(
        `The page origin is not known, so whether Chromium names it ${PERMISSION_DENIED} (a secure page) or ${INSECURE_PAGE} is not decided.`,
        { id: 'verdict.case.localNetworkPageUnknown' },
      );
  }
}
