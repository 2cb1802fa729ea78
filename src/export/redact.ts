import type { HeaderList, RequestRecord } from '../engine/model.ts';

/** Header names whose values are secrets (DESIGN §10). */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/** Query parameters of signed URLs (CloudFront, S3 SigV4, token-style CDNs). */
const SECRET_PARAM = /^(signature|policy|key-pair-id|x-amz-.+|.*token.*|hdnts|hdnea|__gda__|sig|auth|secret|password|expires_signature)$/i;

export const REDACTED = '[redacted]';

export function redactHeaders(headers: HeaderList | null): HeaderList | null {
  if (!headers) return headers;
  return headers.map(([name, value]) => [name, SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value]);
}

/** Replaces the values of signed-URL parameters and any user:password in the URL. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? 'redacted' : '';
    parsed.password = parsed.password ? 'redacted' : '';
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/** A copy of the record safe to share: secret headers and signed-URL parameters replaced. */
export function redactRecord(record: RequestRecord): RequestRecord {
  return {
    ...record,
    url: redactUrl(record.url),
    documentUrl: record.documentUrl === null ? null : redactUrl(record.documentUrl),
    requestHeaders: redactHeaders(record.requestHeaders),
    responseHeaders: redactHeaders(record.responseHeaders),
    redirects: record.redirects.map((hop) => ({
      ...hop,
      url: redactUrl(hop.url),
      redirectUrl: redactUrl(hop.redirectUrl),
      headers: redactHeaders(hop.headers) ?? [],
    })),
  };
}
