/**
 * Network errors below HTTP, by the browser's own name: shared by not-a-cors-failure (which names
 * them) and local-network-access (which leaves them to it).
 */

/** What failed, by the browser's own network error name: each has its own fix. */
export type NetworkFailure = 'refused' | 'dns' | 'tls' | 'protocol' | 'dropped';

/**
 * Network error names of Chromium (net_error_list.h, as webRequest's `error`) and Firefox (nsresult
 * names) that end a request below HTTP: no response, or one cut short, so the browser never ran a
 * CORS check. `net::ERR_FAILED` (Chromium's name for a CORS rejection) and aborts (a player cancels
 * a load when it seeks or switches quality) are deliberately absent; `ERR_BLOCKED_BY_CLIENT` is
 * extension-interference's and `ERR_BLOCKED_BY_RESPONSE` coep-blocks-media's.
 */
const EXACT: Readonly<Record<string, NetworkFailure>> = {
  'net::ERR_CONNECTION_REFUSED': 'refused',
  NS_ERROR_CONNECTION_REFUSED: 'refused',
  'net::ERR_NAME_NOT_RESOLVED': 'dns',
  'net::ERR_NAME_RESOLUTION_FAILED': 'dns',
  NS_ERROR_UNKNOWN_HOST: 'dns',
  'net::ERR_QUIC_PROTOCOL_ERROR': 'protocol',
  'net::ERR_EMPTY_RESPONSE': 'protocol',
  'net::ERR_INVALID_HTTP_RESPONSE': 'protocol',
  'net::ERR_HTTP_1_1_REQUIRED': 'protocol',
  'net::ERR_CONTENT_LENGTH_MISMATCH': 'protocol',
  'net::ERR_INCOMPLETE_CHUNKED_ENCODING': 'protocol',
  'net::ERR_RESPONSE_HEADERS_TOO_BIG': 'protocol',
  NS_ERROR_NET_PARTIAL_TRANSFER: 'protocol',
  NS_ERROR_NET_HTTP3_PROTOCOL_ERROR: 'protocol',
  NS_ERROR_NET_INADEQUATE_SECURITY: 'protocol',
  'net::ERR_CONNECTION_RESET': 'dropped',
  'net::ERR_CONNECTION_CLOSED': 'dropped',
  'net::ERR_CONNECTION_ABORTED': 'dropped',
  'net::ERR_CONNECTION_TIMED_OUT': 'dropped',
  'net::ERR_TIMED_OUT': 'dropped',
  'net::ERR_ADDRESS_UNREACHABLE': 'dropped',
  'net::ERR_INTERNET_DISCONNECTED': 'dropped',
  'net::ERR_NETWORK_CHANGED': 'dropped',
  NS_ERROR_NET_RESET: 'dropped',
  NS_ERROR_NET_INTERRUPT: 'dropped',
  NS_ERROR_NET_TIMEOUT: 'dropped',
  NS_ERROR_OFFLINE: 'dropped',
};

/** Families named by prefix: every certificate and TLS error, every HTTP/2 framing error. */
const PREFIXES: ReadonlyArray<[prefix: string, failure: NetworkFailure]> = [
  ['net::ERR_CERT_', 'tls'],
  ['net::ERR_SSL_', 'tls'],
  ['SEC_ERROR_', 'tls'],
  ['SSL_ERROR_', 'tls'],
  ['MOZILLA_PKIX_ERROR_', 'tls'],
  ['net::ERR_HTTP2_', 'protocol'],
  ['net::ERR_SPDY_', 'protocol'],
  ['NS_ERROR_NET_HTTP2_', 'protocol'],
];

/** The kind of network failure a browser error name stands for; null for anything else (CORS, aborts, blocks). */
export function networkFailureOf(error: string | null): NetworkFailure | null {
  if (error === null) return null;
  const name = error.trim();
  const exact = EXACT[name];
  if (exact !== undefined) return exact;
  for (const [prefix, failure] of PREFIXES) if (name.startsWith(prefix)) return failure;
  return null;
}
