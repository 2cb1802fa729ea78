/**
 * "Copy as curl": one shell line that asks the server the way the player did — with the page's
 * `Origin` — and prints only the response headers. Never without Origin: a request without it is how
 * a CDN cache fills with a copy that lacks CORS headers (DESIGN §6).
 */
import { quote } from 'shell-quote';
import type { RequestRecord } from '../engine/model.ts';
import { headerValue } from '../engine/headers.ts';
import { corsUnsafeHeaderNames } from '../engine/cors/index.ts';

export interface CurlOptions {
  /** The OPTIONS request the browser sends first: `-X OPTIONS` with Access-Control-Request-Method/-Headers. */
  preflight?: boolean;
  /** Also send the Cookie and Authorization headers the player sent. Off by default: they are secrets. */
  includeCredentials?: boolean;
}

/** Sent when the page origin is unknown, so the line still never goes out without Origin. */
export const PLACEHOLDER_ORIGIN = 'https://your-site.example';

const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['cookie', 'authorization', 'proxy-authorization']);

/**
 * Headers the browser or connection adds, which curl sets itself or which would change the answer:
 * conditionals turn it into a 304, Accept-Encoding into a compressed body, Sec-* and the browser's
 * User-Agent say nothing about CORS. Origin is added on its own, first.
 */
const LEFT_OUT: ReadonlySet<string> = new Set([
  'origin', 'host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'te', 'upgrade', 'expect',
  'accept-encoding', 'user-agent', 'if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range',
  'cache-control', 'pragma', 'priority', 'dnt', 'upgrade-insecure-requests', 'x-client-data',
]);

/** HTTP field values cannot hold control characters other than tab; dropping them keeps the line one line. */
function fieldValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to remove control characters
  return value.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g, '').trim();
}

function headerArgs(name: string, value: string): string[] {
  return ['-H', `${name}: ${fieldValue(value)}`];
}

/**
 * The curl line for a record (its first URL, as the player asked for it), or null when that URL is
 * not http(s): data:, blob: and extension URLs have no server to ask.
 */
export function curlFor(record: RequestRecord, options: CurlOptions = {}): string | null {
  let url: URL;
  try {
    url = new URL(record.redirects[0]?.url ?? record.url);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // The fragment never goes on the wire; the serialized href has no spaces or control characters.
  url.hash = '';

  const sentOrigin = headerValue(record.requestHeaders, 'origin');
  const origin = record.pageOrigin ?? (sentOrigin !== null && sentOrigin.trim() !== '' ? sentOrigin : PLACEHOLDER_ORIGIN);
  const method = record.method.toUpperCase();
  const args = ['curl', '-sS', '-D', '-', '-o', '/dev/null'];
  const authorHeaders = (record.requestHeaders ?? []).filter(([name]) => {
    const lowerName = name.toLowerCase();
    if (lowerName.startsWith(':') || lowerName.startsWith('sec-') || LEFT_OUT.has(lowerName)) return false;
    return !CREDENTIAL_HEADERS.has(lowerName) || options.includeCredentials === true;
  });

  if (options.preflight && method !== 'OPTIONS') {
    args.push('-X', 'OPTIONS', ...headerArgs('Origin', origin), ...headerArgs('Access-Control-Request-Method', method));
    const unsafeNames = corsUnsafeHeaderNames(record.requestHeaders ?? []);
    if (unsafeNames.length > 0) args.push(...headerArgs('Access-Control-Request-Headers', unsafeNames.join(',')));
  } else {
    if (method === 'HEAD') args.push('-I');
    else if (method !== 'GET') args.push('-X', method);
    // Follow the same redirects the browser followed; -D prints every hop's headers.
    if (record.redirects.length > 0) args.push('-L');
    args.push(...headerArgs('Origin', origin));
    for (const [name, value] of authorHeaders) args.push(...headerArgs(name, value));
  }
  args.push(url.href);
  return quote(args);
}
