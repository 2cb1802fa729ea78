/**
 * The catalogue of secrets CORS Lens never lets leave the extension unless the user asks to keep them:
 * which query parameters, header names and URL parts hold credentials. Redaction (redact.ts) and the
 * re-test's "do not touch a signed URL" check both read it, so they cannot disagree.
 */

/**
 * Query parameters of signed URLs and credentials, by exact name (lower-cased): CloudFront signed
 * URLs (`Policy`, `Signature`, `Key-Pair-Id`), GCS V4/V2 (`GoogleAccessId`, `Signature`), Azure SAS
 * (`sig`), Akamai token auth (`hdnts`, `hdnea`, `__gda__`), Google API keys (`key`), nginx secure_link
 * (`md5`), Kaltura sessions (`ks`), the `sign` of several Chinese CDNs' URL auth (Tencent, Qiniu,
 * Baidu) and googlevideo's `lsig`.
 */
const SECRET_PARAM_NAMES: ReadonlySet<string> = new Set([
  'policy', 'signature', 'key-pair-id', 'googleaccessid', 'sig', 'hdnts', 'hdnea', '__gda__', 'key', 'expires_signature', 'md5', 'ks', 'sign', 'lsig',
]);

/** Query-parameter prefixes: S3 SigV4 (`X-Amz-*`), GCS V4 (`X-Goog-*`). */
const SECRET_PARAM_PREFIXES = ['x-amz-', 'x-goog-'];

/**
 * Parts of names that mark a credential, compared with `-`, `_` and `.` removed so `api_key`,
 * `api-key` and `apiKey` are one name (`__token__`, `auth_key`, `client_secret`, `jwt`, `sessionid`…).
 */
const SECRET_NAME_PARTS = ['token', 'secret', 'signature', 'password', 'passwd', 'apikey', 'auth', 'jwt', 'session', 'credential', 'hmac'];

/** Header names whose values are always secret. */
const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'cookie', 'set-cookie', 'authorization', 'proxy-authorization', 'x-api-key', 'x-amz-security-token',
]);

/** Header name parts that mark a credential (names compared lower-cased with `-`, `_`, `.` removed). */
const SECRET_HEADER_PARTS = ['token', 'secret', 'auth', 'apikey', 'session', 'password', 'credential', 'signature'];

function squeezed(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '');
}

/** Whether a query parameter (by name, any case) holds a secret. */
export function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_PARAM_NAMES.has(lower)) return true;
  if (SECRET_PARAM_PREFIXES.some((prefix) => lower.startsWith(prefix))) return true;
  const bare = squeezed(lower);
  return SECRET_NAME_PARTS.some((part) => bare.includes(part));
}

/** Whether a header (by name, any case) holds a secret in its value. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_HEADER_NAMES.has(lower)) return true;
  const bare = squeezed(lower);
  return SECRET_HEADER_PARTS.some((part) => bare.includes(part));
}

/**
 * The URL parsed when it has a place a secret can be (a query or user-info), else null (also when it
 * does not parse). Most media URLs have neither, so the parser is skipped for them.
 */
export function urlWithSecretPlaces(url: string): URL | null {
  if (!url.includes('?') && !url.includes('@')) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether a URL carries a credential: user-info, or a query parameter of the catalogue. Such a URL
 * is signed or keyed, so it must not be changed (a re-test keeps it as it is) and is redacted in exports.
 */
export function urlCarriesSecret(url: string): boolean {
  const parsed = urlWithSecretPlaces(url);
  if (parsed === null) return false;
  if (parsed.username !== '' || parsed.password !== '') return true;
  for (const name of parsed.searchParams.keys()) if (isSecretParam(name)) return true;
  return false;
}
