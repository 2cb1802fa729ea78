/**
 * "Copy as curl": one shell line that asks the server the way the player did — with the page's
 * `Origin` — and prints only the response headers. Never without Origin: a request without it is how
 * a CDN cache fills with a copy that lacks CORS headers. Built from an argument list by shellCommand;
 * the origin, header names and values and the URL are checked first (engine/command-values.ts).
 */
import type { RequestRecord } from '../engine/model.ts';
import { headerValue } from '../engine/headers.ts';
import { corsUnsafeHeaderNames } from '../engine/cors/index.ts';
import { isHttpToken } from '../engine/cors/safelist.ts';
import { CURL_HEADERS_ONLY, headerArgs, httpUrlOf, requestOriginOf } from '../engine/command-values.ts';
import { shellCommand } from '../engine/shell.ts';
import { redactHeaders, redactUrl } from './redact.ts';

export { PLACEHOLDER_ORIGIN } from '../engine/command-values.ts';

export interface CurlOptions {
  /** The OPTIONS request the browser sends first: `-X OPTIONS` with Access-Control-Request-Method/-Headers. */
  preflight?: boolean;
  /** Also send the Cookie and Authorization headers the player sent. Off by default: they are secrets. */
  includeCredentials?: boolean;
  /**
   * Keep signed-URL parameters, user-info and secret header values (the user ticked *keep secrets*).
   * Off by default: the line goes through the export's redactor, as every string that leaves does.
   */
  keepSecrets?: boolean;
}

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

/**
 * The curl line for a record (its first URL, as the player asked for it), or null when that URL is
 * not http(s): data:, blob: and extension URLs have no server to ask.
 */
export function curlFor(record: RequestRecord, options: CurlOptions = {}): string | null {
  const firstUrl = record.redirects[0]?.url ?? record.url;
  const url = httpUrlOf(options.keepSecrets === true ? firstUrl : redactUrl(firstUrl));
  // A method is a token (RFC 9110); no browser sent anything else.
  if (url === null || !isHttpToken(record.method)) return null;

  const origin = requestOriginOf(record.pageOrigin, headerValue(record.requestHeaders, 'origin'));
  const method = record.method.toUpperCase();
  const args = [...CURL_HEADERS_ONLY];
  const requestHeaders = (options.keepSecrets === true ? record.requestHeaders : redactHeaders(record.requestHeaders)) ?? [];
  const authorHeaders = requestHeaders.filter(([name]) => {
    const lowerName = name.toLowerCase();
    if (lowerName.startsWith(':') || lowerName.startsWith('sec-') || LEFT_OUT.has(lowerName)) return false;
    return !CREDENTIAL_HEADERS.has(lowerName) || options.includeCredentials === true;
  });

  if (options.preflight && method !== 'OPTIONS') {
    args.push('-X', 'OPTIONS', ...headerArgs('Origin', origin), ...headerArgs('Access-Control-Request-Method', method));
    const unsafeNames = corsUnsafeHeaderNames(requestHeaders).filter(isHttpToken);
    if (unsafeNames.length > 0) args.push(...headerArgs('Access-Control-Request-Headers', unsafeNames.join(',')));
  } else {
    if (method === 'HEAD') args.push('-I');
    else if (method !== 'GET') args.push('-X', method);
    // Follow the same redirects the browser followed; -D prints every hop's headers.
    if (record.redirects.length > 0) args.push('-L');
    args.push(...headerArgs('Origin', origin));
    // A header whose name is not a token is left out (headerArgs): it could not have been sent.
    for (const [name, value] of authorHeaders) args.push(...headerArgs(name, value));
  }
  args.push(url.href);
  return shellCommand(args);
}
