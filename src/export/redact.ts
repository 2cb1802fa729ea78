import type { CorsVerdict, HeaderList, RedirectHop, Report, RequestRecord } from '../engine/model.ts';

/** Header names whose values are secrets (DESIGN §10). */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/** Query parameters of signed URLs (CloudFront, S3 SigV4, token-style CDNs). */
const SECRET_PARAM = /^(signature|policy|key-pair-id|x-amz-.+|.*token.*|hdnts|hdnea|__gda__|sig|auth|secret|password|expires_signature)$/i;

export const REDACTED = '[redacted]';

/** Headers whose value is a URL that may carry signed-URL parameters (a redirect to a signed S3 URL). */
const URL_HEADERS: ReadonlySet<string> = new Set(['location', 'content-location', 'referer']);

/** Lengths of the names above: only a name of one of these lengths can be one of them in any casing. */
const REDACTED_NAME_LENGTHS: ReadonlySet<number> = new Set([...SECRET_HEADERS, ...URL_HEADERS].map((name) => name.length));

/** A URL-valued header can hold secrets only in a query or user-info. */
const mayHoldSecret = (value: string): boolean => value.includes('?') || value.includes('@');

/**
 * Whether a list holds a header to redact: a secret header, or a URL header (every request's Referer)
 * whose value has a query or user-info. Most lists hold none and are shared, not copied.
 */
function holdsSecrets(headers: HeaderList): boolean {
  for (let index = 0; index < headers.length; index++) {
    const [name, value] = headers[index]!;
    if (!REDACTED_NAME_LENGTHS.has(name.length)) continue;
    const lowerName = name.toLowerCase();
    if (SECRET_HEADERS.has(lowerName) || (URL_HEADERS.has(lowerName) && mayHoldSecret(value))) return true;
  }
  return false;
}

export function redactHeaders(headers: HeaderList | null): HeaderList | null {
  if (!headers) return headers;
  // Exports redact every record: share the list when nothing in it can be secret (the usual case).
  if (!holdsSecrets(headers)) return headers;
  return headers.map(([name, value]) => {
    const lowerName = name.toLowerCase();
    if (SECRET_HEADERS.has(lowerName)) return [name, REDACTED];
    if (URL_HEADERS.has(lowerName)) return [name, redactUrlReference(value)];
    return [name, value];
  });
}

/** Like redactUrl, for a possibly relative reference such as a `Location: /a.ts?Signature=…`. */
function redactUrlReference(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return redactUrl(value);
  let resolved: string;
  try {
    resolved = new URL(value, 'https://relative.invalid').href;
  } catch {
    return value;
  }
  const redacted = redactUrl(resolved);
  if (redacted === resolved) return value;
  // Keep it relative, as it was sent.
  const parsed = new URL(redacted);
  return value.startsWith('//') ? redacted.slice('https:'.length) : `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** Replaces the values of signed-URL parameters and any user:password in the URL. */
export function redactUrl(url: string): string {
  // Secrets live in the query or the user-info; most media URLs have neither, so skip the parser.
  if (!url.includes('?') && !url.includes('@')) return url;
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

function redactHop(hop: RedirectHop): RedirectHop {
  const url = redactUrl(hop.url);
  const redirectUrl = redactUrl(hop.redirectUrl);
  const headers = redactHeaders(hop.headers) ?? [];
  return url === hop.url && redirectUrl === hop.redirectUrl && headers === hop.headers ? hop : { ...hop, url, redirectUrl, headers };
}

/**
 * The record safe to share: secret headers and signed-URL parameters replaced. A record with nothing
 * to redact (most of them) is returned as it is, so a 50k export copies only what it changes.
 */
export function redactRecord(record: RequestRecord): RequestRecord {
  const url = redactUrl(record.url);
  const documentUrl = record.documentUrl === null ? null : redactUrl(record.documentUrl);
  const requestHeaders = redactHeaders(record.requestHeaders);
  const responseHeaders = redactHeaders(record.responseHeaders);
  let redirects = record.redirects;
  for (let index = 0; index < redirects.length; index++) {
    const hop = redactHop(redirects[index]!);
    if (hop === redirects[index]) continue;
    if (redirects === record.redirects) redirects = [...redirects];
    redirects[index] = hop;
  }
  const unchanged =
    url === record.url &&
    documentUrl === record.documentUrl &&
    requestHeaders === record.requestHeaders &&
    responseHeaders === record.responseHeaders &&
    redirects === record.redirects;
  return unchanged ? record : { ...record, url, documentUrl, requestHeaders, responseHeaders, redirects };
}

/** http(s) URLs inside free text (messages, fixes, curl lines), up to a quote, space or bracket. */
const URL_IN_TEXT = /https?:\/\/[^\s'"<>`]+/gi;

/**
 * Redacts signed-URL parameters of every URL inside free text: report messages and fixes quote
 * affected URLs and curl lines verbatim. Sentence punctuation after a URL is kept out of it.
 */
export function redactText(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (match) => {
    const trailing = /[.,;:)\]]+$/.exec(match)?.[0] ?? '';
    const url = trailing ? match.slice(0, -trailing.length) : match;
    return redactUrl(url) + trailing;
  });
}

function redactVerdict(verdict: CorsVerdict): CorsVerdict {
  const explanation = redactText(verdict.explanation);
  const failedParameter = verdict.failedParameter === undefined ? undefined : redactText(verdict.failedParameter);
  const browserDifference = verdict.browserDifference === undefined ? undefined : redactText(verdict.browserDifference);
  // Most verdicts quote no URL: share them instead of copying 50k objects.
  if (explanation === verdict.explanation && failedParameter === verdict.failedParameter && browserDifference === verdict.browserDifference) return verdict;
  const copy: CorsVerdict = { ...verdict, explanation };
  if (failedParameter !== undefined) copy.failedParameter = failedParameter;
  if (browserDifference !== undefined) copy.browserDifference = browserDifference;
  return copy;
}

/** A copy of the report safe to share: URLs in texts redacted, secret header evidence replaced. */
export function redactReport(report: Report): Report {
  return {
    ...report,
    verdicts: report.verdicts.map((entry) => ({ recordId: entry.recordId, verdict: redactVerdict(entry.verdict) })),
    findings: report.findings.map((finding) => ({
      ...finding,
      message: redactText(finding.message),
      fix: redactText(finding.fix),
      evidence: finding.evidence.map((item) => ({
        ...item,
        value: item.value === null ? null : SECRET_HEADERS.has(item.name.toLowerCase()) ? REDACTED : redactText(item.value),
      })),
    })),
    // What a rule threw may quote a URL it was reading.
    ...(report.ruleErrors ? { ruleErrors: report.ruleErrors.map((error) => ({ ...error, message: redactText(error.message) })) } : {}),
  };
}
